-- AlterTable
ALTER TABLE "ExternalAccount" ADD COLUMN     "subjectEnc" TEXT,
ADD COLUMN     "subjectMasked" TEXT;
