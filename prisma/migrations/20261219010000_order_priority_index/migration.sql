-- 待发货 in the back office's orders list (server/orders/merchant.ts): WHERE status = 'PAID' ORDER BY "priorityShipping" DESC,
-- "createdAt" DESC, id DESC: a page is read off this index in order instead of sorting every paid order.
-- IF NOT EXISTS: on a large database it is built beforehand with CREATE INDEX CONCURRENTLY (README, Upgrading).
CREATE INDEX IF NOT EXISTS "Order_status_priorityShipping_createdAt_id_idx" ON "Order"("status", "priorityShipping" DESC, "createdAt" DESC, "id" DESC);
