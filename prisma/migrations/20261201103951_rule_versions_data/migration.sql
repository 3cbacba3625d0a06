-- Written by hand (issue 11): the database's part of the compliance guard, immutable versions, and
-- the initial version for the rows that existed before versioning.

-- Compliance red line (SPEC §4): a stored rule set never has more than 3 commission levels, for the
-- default rates nor for any category's.
CREATE FUNCTION rule_commission_levels_ok(c jsonb) RETURNS boolean AS $$
  SELECT COALESCE(jsonb_array_length(c->'commission'->'ratesBps'), 0) <= 3
     AND NOT EXISTS (
       SELECT 1 FROM jsonb_each(CASE WHEN jsonb_typeof(c->'commission'->'categoryRatesBps') = 'object'
                                     THEN c->'commission'->'categoryRatesBps' ELSE '{}'::jsonb END) e
       WHERE jsonb_typeof(e.value) <> 'array' OR jsonb_array_length(e.value) > 3)
$$ LANGUAGE sql IMMUTABLE;
ALTER TABLE "RuleVersion" ADD CONSTRAINT "RuleVersion_at_most_3_levels" CHECK (rule_commission_levels_ok("config"));
ALTER TABLE "RuleVersion" ADD CONSTRAINT "RuleVersion_version_positive" CHECK ("version" >= 1);

-- A version is never edited nor removed: a change is a new version.
CREATE FUNCTION rule_version_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'rule versions are immutable: save a new version instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "RuleVersion_immutable" BEFORE UPDATE OR DELETE ON "RuleVersion"
  FOR EACH ROW EXECUTE FUNCTION rule_version_immutable();

-- A mall with data gets version 1 = its rules so far, in force since ever, and every existing order,
-- commission and rebate task records it. (A fresh database gets version 1 at its first save.)
INSERT INTO "RuleVersion" ("version", "config", "authorStaffId", "reason", "createdAt", "effectiveAt")
SELECT 1, COALESCE((SELECT "data" FROM "MallConfig" WHERE id = 'default'), '{}'::jsonb), NULL,
       '启用规则版本管理前的规则', now(), 'epoch'::timestamptz
WHERE EXISTS (SELECT 1 FROM "Order") OR EXISTS (SELECT 1 FROM "MallConfig");
UPDATE "Order" SET "ruleVersionId" = (SELECT id FROM "RuleVersion" WHERE "version" = 1) WHERE "ruleVersionId" IS NULL;
UPDATE "Commission" SET "ruleVersionId" = (SELECT id FROM "RuleVersion" WHERE "version" = 1) WHERE "ruleVersionId" IS NULL;
UPDATE "RebateTask" SET "ruleVersionId" = (SELECT id FROM "RuleVersion" WHERE "version" = 1) WHERE "ruleVersionId" IS NULL;
