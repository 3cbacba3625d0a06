-- The revision of the app's default wording (server/legal/defaults.ts DEFAULT_LEGAL_REVISION) each generated version
-- was rendered in: at server start an older release than the newest kept text's writes nothing over it
-- (server/legal/documents.ts syncDefaultLegalVersions). Generated versions kept before: null, read as 0.
-- Prisma cannot express a CHECK; its diff ignores them.
ALTER TABLE "LegalDocumentVersion" ADD COLUMN "defaultRevision" INTEGER;
ALTER TABLE "LegalDocumentVersion" ADD CONSTRAINT "LegalDocumentVersion_default_revision" CHECK (
  "defaultRevision" IS NULL OR ("generated" AND "defaultRevision" > 0)
);
