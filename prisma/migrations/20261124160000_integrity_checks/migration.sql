-- Integrity rules Prisma's schema language cannot express. Written by hand; the schema engine
-- ignores CHECK constraints and triggers when it diffs, so prisma/schema.prisma stays in step.

-- Compliance red line (SPEC §4): commission levels 1..3 only, never a zero or negative amount.
ALTER TABLE "Commission" ADD CONSTRAINT "Commission_level_1_to_3" CHECK ("level" BETWEEN 1 AND 3);
ALTER TABLE "Commission" ADD CONSTRAINT "Commission_amount_positive" CHECK ("amountFen" > 0);

-- Stock never goes below zero, whatever the concurrency (SPEC §1).
ALTER TABLE "Product" ADD CONSTRAINT "Product_stock_nonnegative" CHECK ("stock" >= 0);
ALTER TABLE "Product" ADD CONSTRAINT "Product_price_nonnegative" CHECK ("priceFen" >= 0);
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_qty_positive" CHECK ("qty" > 0);
ALTER TABLE "Order" ADD CONSTRAINT "Order_amounts_nonnegative"
  CHECK ("goodsFen" >= 0 AND "shippingFen" >= 0 AND "creditUsedFen" >= 0 AND "payableFen" >= 0);

-- Wallet buckets never go negative (SPEC §6).
ALTER TABLE "Wallet" ADD CONSTRAINT "Wallet_buckets_nonnegative"
  CHECK ("pending" >= 0 AND "available" >= 0 AND "withdrawing" >= 0 AND "withdrawn" >= 0 AND "credit" >= 0);

ALTER TABLE "RebateTask" ADD CONSTRAINT "RebateTask_cashback_positive" CHECK ("cashbackFen" > 0);
ALTER TABLE "Withdrawal" ADD CONSTRAINT "Withdrawal_amount_positive" CHECK ("amountFen" > 0);
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_amount_nonzero" CHECK ("amountFen" <> 0);

-- Ledger entries are immutable: corrections are new entries.
CREATE FUNCTION ledger_entry_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are immutable';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "LedgerEntry_no_update" BEFORE UPDATE OR DELETE ON "LedgerEntry"
  FOR EACH ROW EXECUTE FUNCTION ledger_entry_immutable();

-- Double entry: the entries of one ledger transaction sum to zero, checked at commit.
CREATE FUNCTION ledger_txn_balanced() RETURNS trigger AS $$
DECLARE total bigint;
BEGIN
  SELECT COALESCE(SUM("amountFen"), 0) INTO total FROM "LedgerEntry" WHERE "txnId" = NEW."txnId";
  IF total <> 0 THEN
    RAISE EXCEPTION 'ledger transaction % does not balance (sum %)', NEW."txnId", total;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER "LedgerEntry_balanced" AFTER INSERT ON "LedgerEntry"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_txn_balanced();
