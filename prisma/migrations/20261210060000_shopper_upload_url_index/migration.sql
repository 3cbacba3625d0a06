-- /media asks of every picture it serves whether a shopper uploaded it (after-sales photos are private).
CREATE INDEX "ShopperUpload_url_idx" ON "ShopperUpload"("url");
