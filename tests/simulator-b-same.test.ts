// 收益模拟器 (W1 finding 7): rule set B left as the form opens it is the rules in force, and the page says so rather
// than running two identical columns silently. One function (server/simulator/compare ruleSetBSameAsA) decides, for
// the form being edited and for a stored run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/server/db";
import { applyChanges, ruleSetBSameAsA } from "@/server/simulator/compare";
import { DEFAULT_POPULATION, queueSimulationTx, simulationRun } from "@/server/simulator";
import { freshDatabase } from "./helpers/db";
import { bSameAsRules } from "@/app/merchant/simulator/form";
import { parseConfig } from "@/server/config/schema";

// The default rules: commission 10 / 5 / 2 %, 推三返一 n = 3, 100 %, within 30 days.
const rules = parseConfig({});
const untouched = { compare: true, l1: "10", l2: "5", l3: "2", uniformRates: false, rebateN: 3, rebatePercent: 100, rebateWindow: 30 };

describe("rule set B against A", () => {
  it("is the same when B's changes restate A's values, whatever the order of the keys", () => {
    expect(ruleSetBSameAsA(rules, applyChanges(rules, { commission: { ratesBps: [1000, 500, 200] }, rebate: { windowDays: 30, percent: 100, n: 3 } }))).toBe(true);
  });

  it("differs as soon as one setting does", () => {
    expect(ruleSetBSameAsA(rules, applyChanges(rules, { rebate: { n: 1 } }))).toBe(false);
    expect(ruleSetBSameAsA(rules, applyChanges(rules, { commission: { ratesBps: [1000, 500, 100] } }))).toBe(false);
  });

  it("the form as it opens (B = the rules in force) is the same; one edited field, or B unticked, is not", () => {
    expect(bSameAsRules(rules, untouched)).toBe(true);
    expect(bSameAsRules(rules, { ...untouched, rebateN: 1 })).toBe(false);
    expect(bSameAsRules(rules, { ...untouched, l1: "12" })).toBe(false);
    expect(bSameAsRules(rules, { ...untouched, compare: false })).toBe(false);
  });
});

describe("a stored run", () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.close());

  it("says B = A when it was queued with B restating the rules in force, and not otherwise", async () => {
    const population = { ...DEFAULT_POPULATION, members: 10, horizonDays: 7 };
    const bSame = async (name: string, changes: Record<string, unknown> | null, staffId: number) => {
      const run = await queueSimulationTx(database.prisma, { staffId }, { name, population, changes }, new Date("2026-11-02T02:00:00Z"));
      return (await simulationRun(database.prisma, run.id))!.bSameAsA;
    };
    // A fresh database runs the default rules (10 / 5 / 2 %, n = 3, 100 %, 30 days).
    expect(await bSame("B 未改", { commission: { ratesBps: [1000, 500, 200] }, rebate: { n: 3, percent: 100, windowDays: 30 } }, 1)).toBe(true);
    expect(await bSame("B 一人即返", { rebate: { n: 1 } }, 2)).toBe(false);
    expect(await bSame("只有 A", null, 3)).toBe(false);
  });
});
