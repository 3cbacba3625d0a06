-- CreateTable
CREATE TABLE "ProductSales" (
    "productId" INTEGER NOT NULL,
    "soldQty" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ProductSales_pkey" PRIMARY KEY ("productId")
);

-- AddForeignKey
ALTER TABLE "ProductSales" ADD CONSTRAINT "ProductSales_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- What sold before this migration, from the orders themselves; from here on the payment and refund facts add to it.
INSERT INTO "ProductSales" ("productId", "soldQty")
SELECT l."productId", SUM(l.qty)::int
FROM "OrderLine" l JOIN "Order" o ON o.id = l."orderId"
WHERE o.status IN ('PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED')
GROUP BY l."productId";
