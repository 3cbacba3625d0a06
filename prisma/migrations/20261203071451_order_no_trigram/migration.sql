-- pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it without superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "Order_orderNo_trgm_idx" ON "Order" USING GIN ("orderNo" gin_trgm_ops);
