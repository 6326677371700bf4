-- CreateEnum
CREATE TYPE "AssetKind" AS ENUM ('upload', 'product_photo', 'generated');

-- CreateTable
CREATE TABLE "Asset" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "kind" "AssetKind" NOT NULL,
    "sha256" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "bytes" INTEGER NOT NULL,
    "originalKey" TEXT NOT NULL,
    "displayKey" TEXT NOT NULL,
    "thumbKey" TEXT NOT NULL,
    "filename" TEXT,
    "productId" TEXT,
    "sourceMediaId" TEXT,
    "metadata" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Asset_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Asset_shopId_createdAt_idx" ON "Asset"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "Asset_shopId_productId_idx" ON "Asset"("shopId", "productId");

-- CreateIndex
CREATE UNIQUE INDEX "Asset_shopId_kind_sha256_key" ON "Asset"("shopId", "kind", "sha256");

-- AddForeignKey
ALTER TABLE "Asset" ADD CONSTRAINT "Asset_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

