-- 优先发货 (SPEC §7): whether the buyer's tier carried priority shipping when the order was paid, set by the payment's
-- statement. Orders paid before stay false (their tier then is unknown); a constant default adds the column without rewriting the table.
ALTER TABLE "Order" ADD COLUMN "priorityShipping" BOOLEAN NOT NULL DEFAULT false;
