-- The merchant's 用户协议 / 隐私政策 may have an English text of its own (server/legal/documents.ts saveLegalVersion):
-- a generated version keeps both languages' default texts; the merchant's may have none in English (the Chinese then
-- applies to English shoppers). Prisma cannot express a CHECK; its diff ignores them.
ALTER TABLE "LegalDocumentVersion" DROP CONSTRAINT "LegalDocumentVersion_generated_text";
ALTER TABLE "LegalDocumentVersion" ADD CONSTRAINT "LegalDocumentVersion_generated_text" CHECK (NOT "generated" OR "bodyEn" IS NOT NULL);
