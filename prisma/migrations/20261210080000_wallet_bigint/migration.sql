-- A wallet's `withdrawn` is a lifetime total and a reconciliation run's totals a day's net: 32 bits end at
-- 21 474 836.47 元, after which a posting the provider already paid out would fail.
ALTER TABLE "Wallet" ALTER COLUMN "withdrawn" SET DATA TYPE BIGINT;
ALTER TABLE "ReconciliationRun" ALTER COLUMN "billTotalFen" SET DATA TYPE BIGINT,
ALTER COLUMN "ourTotalFen" SET DATA TYPE BIGINT;
