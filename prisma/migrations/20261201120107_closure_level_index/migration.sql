-- CreateIndex
CREATE INDEX "SponsorClosure_ancestorId_depth_descendantId_idx" ON "SponsorClosure"("ancestorId", "depth", "descendantId");
