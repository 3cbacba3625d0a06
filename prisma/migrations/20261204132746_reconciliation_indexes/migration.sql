-- CreateIndex
CREATE INDEX "Payment_provider_paidAt_idx" ON "Payment"("provider", "paidAt");

-- CreateIndex
CREATE INDEX "PaymentIntent_provider_providerTxnId_idx" ON "PaymentIntent"("provider", "providerTxnId");

-- CreateIndex
CREATE INDEX "PaymentIntent_provider_paidAt_idx" ON "PaymentIntent"("provider", "paidAt");

-- CreateIndex
CREATE INDEX "ProviderCall_provider_providerTxnId_idx" ON "ProviderCall"("provider", "providerTxnId");

-- CreateIndex
CREATE INDEX "ProviderCall_provider_kind_doneAt_idx" ON "ProviderCall"("provider", "kind", "doneAt");
