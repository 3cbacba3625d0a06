-- CreateIndex
CREATE INDEX "RefundRequest_createdAt_id_idx" ON "RefundRequest"("createdAt", "id");

-- CreateIndex
CREATE INDEX "RefundRequest_status_dueAt_id_idx" ON "RefundRequest"("status", "dueAt", "id");

-- CreateIndex
CREATE INDEX "RiskFlag_status_id_idx" ON "RiskFlag"("status", "id");

-- CreateIndex
CREATE INDEX "StockAdjustment_createdAt_id_idx" ON "StockAdjustment"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Withdrawal_createdAt_id_idx" ON "Withdrawal"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Withdrawal_amountFen_id_idx" ON "Withdrawal"("amountFen", "id");
