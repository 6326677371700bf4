-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "fidelityCheck" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "FidelityCheck" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "assetId" TEXT NOT NULL,
    "generationId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "score" INTEGER,
    "reasons" TEXT[],
    "method" TEXT NOT NULL,
    "model" TEXT,
    "freeRegenerationId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FidelityCheck_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "FidelityCheck_assetId_key" ON "FidelityCheck"("assetId");

-- CreateIndex
CREATE UNIQUE INDEX "FidelityCheck_freeRegenerationId_key" ON "FidelityCheck"("freeRegenerationId");

-- CreateIndex
CREATE INDEX "FidelityCheck_shopId_generationId_idx" ON "FidelityCheck"("shopId", "generationId");

-- AddForeignKey
ALTER TABLE "FidelityCheck" ADD CONSTRAINT "FidelityCheck_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FidelityCheck" ADD CONSTRAINT "FidelityCheck_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

