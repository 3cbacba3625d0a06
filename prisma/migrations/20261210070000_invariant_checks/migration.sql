-- Invariants the code keeps, now also refused by the database (Prisma cannot express a CHECK; its diff ignores them).
-- Plain ADD CONSTRAINT: every writer since the first migration kept them (server/orders, server/aftersales,
-- server/wallet, server/tiers, server/cart; the bench generators too), so existing rows pass.
-- Sums in bigint: an int4 overflow would be an error, not a refusal.

-- SPEC §1: a line's goods amount is qty × unit price less its discount (qty > 0 is "OrderLine_qty_positive").
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_goods_check" CHECK ("goodsFen" = "qty"::bigint * "unitPriceFen" - "discountFen");
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_unitPrice_check" CHECK ("unitPriceFen" >= 0);
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_discount_check" CHECK ("discountFen" >= 0);

-- Store credit pays at most the goods (createOrder's CREDIT_TOO_LARGE); the provider collects the rest.
ALTER TABLE "Order" ADD CONSTRAINT "Order_creditUsed_check" CHECK ("creditUsedFen" BETWEEN 0 AND "goodsFen");
ALTER TABLE "Order" ADD CONSTRAINT "Order_payable_check" CHECK ("payableFen"::bigint = "goodsFen"::bigint + "shippingFen" - "creditUsedFen");

-- An order paid wholly with credit records a payment of 0.
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_amount_check" CHECK ("amountFen" >= 0);

-- A month's team bonus row exists only when something was paid (as "StepBonus_amounts_valid").
ALTER TABLE "TeamBonus" ADD CONSTRAINT "TeamBonus_amount_check" CHECK ("amountFen" > 0);

-- SPEC §6: none, one or two approvers (amount and fee: "Withdrawal_amount_positive", "Withdrawal_fee_check").
ALTER TABLE "Withdrawal" ADD CONSTRAINT "Withdrawal_approvalsNeeded_check" CHECK ("approvalsNeeded" BETWEEN 0 AND 2);

-- The open-request marker is the request's own order, and only while it is PENDING: a decided request never
-- blocks a new one or the order's completion.
ALTER TABLE "RefundRequest" ADD CONSTRAINT "RefundRequest_openOrderId_check" CHECK ("openOrderId" IS NULL OR ("openOrderId" = "orderId" AND "status" = 'PENDING'));

-- SPEC §7 counters, kept in step with payments, refunds and sponsor changes.
ALTER TABLE "Member" ADD CONSTRAINT "Member_paidUnrefundedCount_check" CHECK ("paidUnrefundedCount" >= 0);
ALTER TABLE "Member" ADD CONSTRAINT "Member_qualifiedDirects_check" CHECK ("qualifiedDirects" >= 0);

-- Setting a quantity of 0 removes the line (setCartQty).
ALTER TABLE "CartItem" ADD CONSTRAINT "CartItem_qty_check" CHECK ("qty" > 0);
