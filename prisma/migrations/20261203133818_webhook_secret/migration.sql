-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "webhookSecretCiphertext" TEXT,
ADD COLUMN     "webhookSecretPreviousCiphertext" TEXT,
ADD COLUMN     "webhookSecretRotatedAt" TIMESTAMP(3);

