-- DropForeignKey
ALTER TABLE "Publication" DROP CONSTRAINT "Publication_assetId_fkey";

-- AlterTable
ALTER TABLE "Publication" ALTER COLUMN "assetId" DROP NOT NULL;

-- AddForeignKey
ALTER TABLE "Publication" ADD CONSTRAINT "Publication_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

