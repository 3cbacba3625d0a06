-- The other half of "RefundRequest_openOrderId_check": an open (PENDING) request holds its order's open-request key,
-- so the unique key really allows one open request per order and completion waits for it (server/orders).
-- Plain ADD CONSTRAINT: requestRefund has written PENDING with "openOrderId" = "orderId" since the table was made, and
-- every decision clears it in the same update (server/aftersales, refundOrder), so existing rows pass.
ALTER TABLE "RefundRequest" ADD CONSTRAINT "RefundRequest_pending_openOrderId_check" CHECK ("status" <> 'PENDING' OR "openOrderId" IS NOT NULL);
