-- CreateIndex
CREATE INDEX "Member_createdAt_idx" ON "Member"("createdAt");

-- CreateIndex
-- NULLS LAST written here by hand: the schema says nulls: Last, and the generated SQL left it out.
CREATE INDEX "Order_paidAt_id_idx" ON "Order"("paidAt" DESC NULLS LAST, "id" DESC);

-- CreateIndex
CREATE INDEX "Order_goodsFen_id_idx" ON "Order"("goodsFen", "id");
