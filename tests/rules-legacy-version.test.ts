// A rules version saved under an earlier, looser compliance guard (before the 100% cap counted team and
// stepped bonuses) is still read and runs — every order, commission and task placed under it depends on
// it — while the next save must satisfy today's guard.
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Database } from "../server/db";
import { loadConfig } from "../server/context";
import { checkRuleSet, RulesRefused, saveRules } from "../server/rules";
import { freshDatabase } from "./helpers/db";

let database: Database;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.close());

const t0 = new Date("2026-06-01T02:00:00Z");

it("reads a stored version today's guard refuses, and takes a save that fixes it", async () => {
  // 5000 + 2500 + 500 = 8000 bps passed the old cap; with default tiers (a partner) the team bonus adds 3 × 800: 10400.
  const legacy = { commission: { ratesBps: [5000, 2500, 500] }, teamBonusBps: 800 };
  expect(checkRuleSet(legacy).ok).toBe(false);
  await database.prisma.ruleVersion.create({ data: { version: 1, config: legacy, reason: "旧版本", createdAt: t0, effectiveAt: new Date(0) } });

  const config = await loadConfig(database.prisma, t0);
  expect(config.commission.ratesBps).toEqual([5000, 2500, 500]);
  expect(config.teamBonusBps).toBe(800);

  // A save still over the cap is refused; one within it is version 2.
  await expect(saveRules(database.prisma, null, { config: { ...legacy, returnWindowDays: 10 }, reason: "售后期改 10 天" }, t0)).rejects.toBeInstanceOf(RulesRefused);
  const saved = await saveRules(database.prisma, null, { config: { ...legacy, teamBonusBps: 200 }, reason: "团队绩效降到 2%" }, t0);
  expect(saved.version).toBe(2);
  expect((await loadConfig(database.prisma, t0)).teamBonusBps).toBe(200);
});
