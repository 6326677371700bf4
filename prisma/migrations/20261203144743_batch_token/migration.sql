-- AlterTable
ALTER TABLE "Batch" ADD COLUMN     "tokenId" TEXT;

