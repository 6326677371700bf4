-- CreateEnum
CREATE TYPE "BillingChargeKind" AS ENUM ('subscription', 'purchase');

-- AlterEnum
ALTER TYPE "CreditKind" ADD VALUE 'expire';

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "dailyCreditCap" INTEGER;

-- AlterTable
ALTER TABLE "CreditEntry" ADD COLUMN     "model" TEXT,
ADD COLUMN     "tokenId" TEXT;

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "includedCredits" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "includedCreditsExpireAt" TIMESTAMP(3),
ADD COLUMN     "includedCreditsGrantKey" TEXT;

-- CreateTable
CREATE TABLE "BillingCharge" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "kind" "BillingChargeKind" NOT NULL,
    "chargeId" TEXT NOT NULL,
    "offerId" TEXT NOT NULL,
    "credits" INTEGER NOT NULL,
    "price" TEXT NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL,
    "currentPeriodEnd" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BillingCharge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrialClaim" (
    "domainHash" TEXT NOT NULL,
    "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrialClaim_pkey" PRIMARY KEY ("domainHash")
);

-- CreateIndex
CREATE UNIQUE INDEX "BillingCharge_chargeId_key" ON "BillingCharge"("chargeId");

-- CreateIndex
CREATE INDEX "BillingCharge_shopId_createdAt_idx" ON "BillingCharge"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "BillingCharge_kind_status_currentPeriodEnd_idx" ON "BillingCharge"("kind", "status", "currentPeriodEnd");

-- CreateIndex
CREATE INDEX "CreditEntry_tokenId_createdAt_idx" ON "CreditEntry"("tokenId", "createdAt");

-- AddForeignKey
ALTER TABLE "BillingCharge" ADD CONSTRAINT "BillingCharge_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

