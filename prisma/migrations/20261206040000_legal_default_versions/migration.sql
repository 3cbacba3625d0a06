-- A 店铺资料 save that changes the default 用户协议 / 隐私政策 gives it a new version (PIPL 第十七条), kept as it read.
-- AlterTable
ALTER TABLE "LegalDocumentVersion" ADD COLUMN     "bodyEn" TEXT,
ADD COLUMN     "generated" BOOLEAN NOT NULL DEFAULT false,
ALTER COLUMN "authorStaffId" DROP NOT NULL,
ALTER COLUMN "createdAt" DROP NOT NULL;

-- A generated version keeps the default text in both languages; the merchant's text is one text for every language.
-- Only version 1's kept default text has neither author nor date (Prisma cannot express a CHECK; its diff ignores them).
ALTER TABLE "LegalDocumentVersion" ADD CONSTRAINT "LegalDocumentVersion_generated_text" CHECK ("generated" = ("bodyEn" IS NOT NULL));
ALTER TABLE "LegalDocumentVersion" ADD CONSTRAINT "LegalDocumentVersion_author" CHECK (
  ("authorStaffId" IS NULL) = ("createdAt" IS NULL) AND ("authorStaffId" IS NOT NULL OR ("generated" AND "version" = 1))
);
