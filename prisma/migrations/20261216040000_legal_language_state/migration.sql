-- Each language of a 用户协议 / 隐私政策 version is the merchant's or the app's default on its own (server/legal/documents.ts):
-- a language the merchant never wrote keeps following the 店铺资料, and the merchant's English is flagged when the
-- Chinese (binding) text changed after it. Prisma cannot express a CHECK; its diff ignores them.
ALTER TABLE "LegalDocumentVersion" ADD COLUMN "customZh" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "customEn" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "enOutdatedAt" TIMESTAMPTZ(3);
ALTER TABLE "LegalDocumentVersion" DROP CONSTRAINT "LegalDocumentVersion_default_revision";

-- The merchant's saves so far, each with the language it wrote (its audit entry's; before English texts: the Chinese).
WITH saves AS (
  SELECT v."kind", v."version", v."createdAt",
    COALESCE((SELECT a."after"->>'locale' FROM "AuditLog" a
              WHERE a."action" = 'legal.version_created' AND a."target" = 'legal:' || v."kind" AND (a."after"->>'version')::int = v."version"
              LIMIT 1), 'zh-CN') AS "locale"
  FROM "LegalDocumentVersion" v
  WHERE NOT v."generated"
)
UPDATE "LegalDocumentVersion" v SET
  "customZh" = EXISTS (SELECT 1 FROM saves z WHERE z."kind" = v."kind" AND z."version" <= v."version" AND z."locale" = 'zh-CN'),
  -- A merchant's version has English only from an English save (a Chinese save beside the default English dropped it).
  "customEn" = v."bodyEn" IS NOT NULL,
  "enOutdatedAt" = (
    SELECT max(z."createdAt") FROM saves z
    WHERE z."kind" = v."kind" AND z."version" <= v."version" AND z."locale" = 'zh-CN'
      AND z."version" > (SELECT max(e."version") FROM saves e WHERE e."kind" = v."kind" AND e."version" <= v."version" AND e."locale" = 'en')
  )
WHERE NOT v."generated";
-- The merchant's English beside the default Chinese: that Chinese is the wording of the version it was saved over.
UPDATE "LegalDocumentVersion" v SET "defaultRevision" = (
  SELECT g."defaultRevision" FROM "LegalDocumentVersion" g WHERE g."kind" = v."kind" AND g."generated" AND g."version" < v."version" ORDER BY g."version" DESC LIMIT 1
)
WHERE NOT v."generated" AND NOT v."customZh";

ALTER TABLE "LegalDocumentVersion" ADD CONSTRAINT "LegalDocumentVersion_languages" CHECK (
  ("generated" OR "customZh" OR "customEn")
  AND NOT ("generated" AND "customZh")
  AND (("bodyEn" IS NULL) = ("customZh" AND NOT "customEn"))
  AND ("enOutdatedAt" IS NULL OR "customEn")
);
ALTER TABLE "LegalDocumentVersion" ADD CONSTRAINT "LegalDocumentVersion_default_revision" CHECK (
  "defaultRevision" IS NULL OR ("defaultRevision" > 0 AND NOT "customZh")
);
