-- Written by hand (SPEC §4, §7). Members who existed before the 分销资格 rule earned under the
-- default mode (`everyone`): they are distributors since sign-up. A freeze recorded before frozenAt
-- existed is dated at the member's last rejected review.
UPDATE "Member" SET "distributorSince" = "createdAt" WHERE "distributorSince" IS NULL;
UPDATE "Member" m SET "frozenAt" = COALESCE(
  (SELECT MAX(f."decidedAt") FROM "RiskFlag" f WHERE f."memberId" = m.id AND f.status = 'REJECTED'), m."createdAt")
WHERE m.frozen AND m."frozenAt" IS NULL;

-- A stepped bonus is a positive amount at a rate in 0..10000 bps, once per member and month.
ALTER TABLE "StepBonus" ADD CONSTRAINT "StepBonus_amounts_valid"
  CHECK ("amountFen" > 0 AND "salesFen" >= 0 AND "bps" BETWEEN 0 AND 10000);
