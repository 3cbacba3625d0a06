-- CreateEnum
CREATE TYPE "SponsorChangeStatus" AS ENUM ('PENDING', 'APPROVED', 'RUNNING', 'DONE', 'REJECTED', 'FAILED');

-- AlterEnum
ALTER TYPE "DueKind" ADD VALUE 'SPONSOR_CHANGE';

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "distributorDisabledAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "SponsorChangeRequest" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "fromSponsorId" INTEGER,
    "toSponsorId" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "SponsorChangeStatus" NOT NULL DEFAULT 'PENDING',
    "requestedById" INTEGER NOT NULL,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL,
    "preview" JSONB NOT NULL,
    "decidedById" INTEGER,
    "decidedAt" TIMESTAMPTZ(3),
    "decisionNote" TEXT,
    "oldAncestorIds" INTEGER[],
    "newAncestorIds" INTEGER[],
    "subtreeSize" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "failureReason" TEXT,
    "requestId" TEXT,

    CONSTRAINT "SponsorChangeRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SponsorBindHistory" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "fromSponsorId" INTEGER,
    "toSponsorId" INTEGER NOT NULL,
    "changeRequestId" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "requestedById" INTEGER NOT NULL,
    "approvedById" INTEGER NOT NULL,
    "movedCount" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SponsorBindHistory_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SponsorChangeRequest_memberId_requestedAt_idx" ON "SponsorChangeRequest"("memberId", "requestedAt");

-- CreateIndex
CREATE INDEX "SponsorChangeRequest_status_requestedAt_idx" ON "SponsorChangeRequest"("status", "requestedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SponsorBindHistory_changeRequestId_key" ON "SponsorBindHistory"("changeRequestId");

-- CreateIndex
CREATE INDEX "SponsorBindHistory_memberId_createdAt_idx" ON "SponsorBindHistory"("memberId", "createdAt");

-- Written by hand (the schema engine does not model these):
-- one open sponsor change per member, and one move running at a time in the whole shop.
CREATE UNIQUE INDEX "SponsorChangeRequest_one_open_per_member" ON "SponsorChangeRequest"("memberId")
  WHERE status IN ('PENDING', 'APPROVED', 'RUNNING');
CREATE UNIQUE INDEX "SponsorChangeRequest_one_running" ON "SponsorChangeRequest"((true))
  WHERE status = 'RUNNING';

-- The bind history is append-only, like the audit log.
CREATE FUNCTION sponsor_bind_history_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'sponsor bind history is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "SponsorBindHistory_append_only" BEFORE UPDATE OR DELETE ON "SponsorBindHistory"
  FOR EACH ROW EXECUTE FUNCTION sponsor_bind_history_append_only();
