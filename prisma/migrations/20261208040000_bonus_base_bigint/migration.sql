-- A team bonus's base and a stepped bonus's sales are a month's sales: 32 bits end at 21 474 836.47 元.
ALTER TABLE "TeamBonus" ALTER COLUMN "baseFen" SET DATA TYPE BIGINT;
ALTER TABLE "StepBonus" ALTER COLUMN "salesFen" SET DATA TYPE BIGINT;
