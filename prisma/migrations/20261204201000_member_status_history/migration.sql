-- Member status history (SPEC §7): each change of freeze, staff's distributor suspension and tier, so the monthly
-- bonuses judge a member as they stood when the month closed, however late they run. The state at T is the `previous`
-- of the member's first change after T; a member with none since is judged by the Member row as it stands.
-- CreateEnum
CREATE TYPE "MemberStatusKind" AS ENUM ('FROZEN', 'DISTRIBUTOR_DISABLED', 'TIER');

-- CreateTable
CREATE TABLE "MemberStatusChange" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "kind" "MemberStatusKind" NOT NULL,
    "previous" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MemberStatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MemberStatusChange_memberId_kind_at_idx" ON "MemberStatusChange"("memberId", "kind", "at");

-- CreateIndex
CREATE INDEX "MemberStatusChange_kind_at_idx" ON "MemberStatusChange"("kind", "at");

-- Backfill what is known: the freezes and suspensions in force, each from the instant it began (frozenAt,
-- distributorDisabledAt), so an unfreeze or re-enabling from now on does not make them reach back before it.
-- Nothing else: earlier freezes and suspensions ended before this were not kept, nor when a member reached the tier
-- they hold (a row would claim an instant nobody knows). Without a row, a freeze with no recorded time counts since
-- always and the tier is the one held now, as before this history; once a member's tier changes, its row keeps the
-- tier held until then.
INSERT INTO "MemberStatusChange" ("memberId", "kind", "previous", "value", "at")
SELECT "id", 'FROZEN', 'false', 'true', "frozenAt" FROM "Member" WHERE "frozen" AND "frozenAt" IS NOT NULL ORDER BY "id";

INSERT INTO "MemberStatusChange" ("memberId", "kind", "previous", "value", "at")
SELECT "id", 'DISTRIBUTOR_DISABLED', 'false', 'true', "distributorDisabledAt" FROM "Member" WHERE "distributorDisabledAt" IS NOT NULL ORDER BY "id";
