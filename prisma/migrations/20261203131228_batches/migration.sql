-- CreateEnum
CREATE TYPE "BatchStatus" AS ENUM ('running', 'paused', 'cancelled', 'completed');

-- CreateEnum
CREATE TYPE "BatchItemStatus" AS ENUM ('waiting', 'starting', 'generating', 'review', 'publishing', 'published', 'rejected', 'failed', 'cancelled');

-- AlterTable
ALTER TABLE "Generation" ADD COLUMN     "batchItemId" TEXT;

-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Batch" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "status" "BatchStatus" NOT NULL DEFAULT 'running',
    "selection" TEXT NOT NULL,
    "presetId" TEXT,
    "customPrompt" TEXT,
    "model" TEXT NOT NULL,
    "resolution" TEXT NOT NULL,
    "aspectRatio" TEXT NOT NULL,
    "variants" INTEGER NOT NULL,
    "onResult" TEXT NOT NULL,
    "placement" TEXT NOT NULL,
    "pricePerItem" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "usesOwnKey" BOOLEAN NOT NULL DEFAULT false,
    "totalItems" INTEGER NOT NULL,
    "stopReason" TEXT,
    "origin" TEXT NOT NULL,
    "webhookUrl" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "pausedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Batch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BatchItem" (
    "id" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "productId" TEXT NOT NULL,
    "productTitle" TEXT NOT NULL,
    "imageUrl" TEXT,
    "status" "BatchItemStatus" NOT NULL DEFAULT 'waiting',
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "autoRetries" INTEGER NOT NULL DEFAULT 0,
    "sourceAssetId" TEXT,
    "generationId" TEXT,
    "errorMessage" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BatchItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Batch_shopId_createdAt_idx" ON "Batch"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "Batch_status_idx" ON "Batch"("status");

-- CreateIndex
CREATE INDEX "BatchItem_batchId_status_position_idx" ON "BatchItem"("batchId", "status", "position");

-- CreateIndex
CREATE UNIQUE INDEX "BatchItem_batchId_productId_key" ON "BatchItem"("batchId", "productId");

-- AddForeignKey
ALTER TABLE "Batch" ADD CONSTRAINT "Batch_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BatchItem" ADD CONSTRAINT "BatchItem_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BatchItem" ADD CONSTRAINT "BatchItem_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

