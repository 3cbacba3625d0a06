-- AlterTable
ALTER TABLE "ProviderCall" ADD COLUMN     "refundOpenSince" TIMESTAMPTZ(3);

-- The refund query sweep reads only refunds still waiting for their outcome, least recently asked first.
CREATE INDEX "ProviderCall_refund_open_idx" ON "ProviderCall" ("lastAttemptAt", id) WHERE "refundOpenSince" IS NOT NULL;

-- Refunds already accepted as processing with no outcome recorded yet wait from when they were sent.
UPDATE "ProviderCall" c SET "refundOpenSince" = COALESCE(c."doneAt", c."lastAttemptAt", c."createdAt")
WHERE c.kind = 'REFUND' AND c.status = 'DONE'
  AND EXISTS (SELECT 1 FROM "AuditLog" a WHERE a.action = 'payment.refund_sent' AND a.data->>'refundNo' = c."idempotencyNo" AND a.data->>'status' = 'PROCESSING')
  AND NOT EXISTS (SELECT 1 FROM "AuditLog" a WHERE a.action IN ('payment.refund_confirmed', 'payment.refund_failed') AND a.data->>'refundNo' = c."idempotencyNo");
