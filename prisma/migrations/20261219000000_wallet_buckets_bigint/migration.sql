-- A member's pending, available, in-withdrawal and store-credit balances in 64 bits like `withdrawn`: at 32 bits a
-- wallet past 21 474 836.47 元 made the next payment crediting it fail (22003). Rewrites the table once.
ALTER TABLE "Wallet" ALTER COLUMN "pending" SET DATA TYPE BIGINT,
ALTER COLUMN "available" SET DATA TYPE BIGINT,
ALTER COLUMN "withdrawing" SET DATA TYPE BIGINT,
ALTER COLUMN "credit" SET DATA TYPE BIGINT;
