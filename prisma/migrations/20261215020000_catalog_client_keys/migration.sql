-- Client keys of the back office's new-product form and stock adjustment dialog: a create or an adjustment sent
-- again (a retry, a double submit) returns the first one instead of acting twice. Existing rows keep NULL.
ALTER TABLE "Product" ADD COLUMN "clientKey" TEXT,
ADD COLUMN "clientKeyDigest" TEXT;

ALTER TABLE "StockAdjustment" ADD COLUMN "clientKey" TEXT;

CREATE UNIQUE INDEX "Product_clientKey_key" ON "Product"("clientKey");

CREATE UNIQUE INDEX "StockAdjustment_actorId_clientKey_key" ON "StockAdjustment"("actorId", "clientKey");
