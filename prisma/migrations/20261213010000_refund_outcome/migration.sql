-- CreateEnum
CREATE TYPE "RefundOutcome" AS ENUM ('CONFIRMED', 'FAILED', 'UNCONFIRMED');

-- AlterTable
ALTER TABLE "ProviderCall" ADD COLUMN     "refundOutcome" "RefundOutcome";

-- Each refund's outcome so far, from its audit entries as refund-state read them until now: the newest of its order's
-- refund_confirmed, refund_failed, refund_unconfirmed and refund_sent SUCCESS (a late SUCCESS after a failure wins).
-- Entries written before targets named orders by number had the id.
UPDATE "ProviderCall" c SET "refundOutcome" = CASE latest.action
    WHEN 'payment.refund_failed' THEN 'FAILED'::"RefundOutcome"
    WHEN 'payment.refund_unconfirmed' THEN 'UNCONFIRMED'::"RefundOutcome"
    ELSE 'CONFIRMED'::"RefundOutcome" END
FROM (
  SELECT r.id, a.action FROM "ProviderCall" r JOIN "Order" o ON o.id = r."orderId", LATERAL (
    SELECT a.action FROM "AuditLog" a
    WHERE a.target IN ('order:' || o."orderNo", 'order:' || o.id)
      AND a.action IN ('payment.refund_sent', 'payment.refund_confirmed', 'payment.refund_failed', 'payment.refund_unconfirmed')
      AND (a.action <> 'payment.refund_sent' OR a.data->>'status' = 'SUCCESS')
      AND a.data->>'refundNo' = r."idempotencyNo"
    ORDER BY a.id DESC
    LIMIT 1
  ) a
  WHERE r.kind = 'REFUND'
) latest
WHERE c.id = latest.id;

-- The orders list's 退款异常 filter reads only refunds whose money may be stuck (given up on, failed or unconfirmed),
-- never the whole outbox. On a large database build it first without blocking (README, Migrations): CREATE INDEX
-- CONCURRENTLY IF NOT EXISTS with this definition.
CREATE INDEX IF NOT EXISTS "ProviderCall_refund_stuck_idx" ON "ProviderCall" ("orderId")
  WHERE kind = 'REFUND' AND (status = 'DEAD' OR "refundOutcome" IN ('FAILED', 'UNCONFIRMED'));
