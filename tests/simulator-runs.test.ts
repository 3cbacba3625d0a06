// What-if simulator runs kept and reopened (issue 11): the run list pages back to the first run, a run
// names the rule version its A ran on (derived from what the run stores: its time and its rules), and
// B may drop the categories' own commission rates, which otherwise B's rates per level do not reach.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { parseConfig, ratesFor } from "../server/config/schema";
import { saveRules } from "../server/rules";
import { DEFAULT_POPULATION, queueSimulationTx, simulationRun } from "../server/simulator";
import { freshDatabase } from "./helpers/db";
import { refusal, signedInStaff } from "./helpers/caller";

let database: Database;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.close());

const OPERATOR = { staffId: 7, requestId: "req-sim" };
const population = { ...DEFAULT_POPULATION, members: 10, horizonDays: 7 };
const DAY = 86_400_000;
const T0 = new Date("2026-11-02T02:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY);
// Each run is marked done once queued: these tests read what a run was queued with, not the queue's cap (2 open per staff member).
const queue = async (name: string, now: Date, changes?: Record<string, unknown>) => {
  const run = await queueSimulationTx(database.prisma, OPERATOR, { name, population, changes }, now);
  await database.prisma.simulationRun.update({ where: { id: run.id }, data: { status: "DONE" } });
  return run;
};

describe("the run list", () => {
  const make = async (n: number) => {
    const ids: number[] = [];
    for (let i = 1; i <= n; i++) {
      const run = await database.prisma.simulationRun.create({ data: { staffId: 7, name: `第 ${i} 次`, population: population as object, configs: [parseConfig({})] as object[], createdAt: at(i) } });
      ids.push(run.id);
    }
    return ids;
  };

  it("pages back to the very first run, 30 at a time, newest first; an older run is reopened by its id", async () => {
    const ids = await make(35);
    const { caller } = await signedInStaff(database.prisma, "operator");
    const first = await caller.merchantSimulator.list({});
    // Runs 35 down to 6, then 5 down to 1: every run listed once.
    expect(first.runs.map((r) => r.name)).toEqual(Array.from({ length: 30 }, (_, k) => `第 ${35 - k} 次`));
    expect(first.nextCursor).toBe(ids[5]);
    const second = await caller.merchantSimulator.list({ cursor: first.nextCursor });
    expect(second.runs.map((r) => r.name)).toEqual(["第 5 次", "第 4 次", "第 3 次", "第 2 次", "第 1 次"]);
    expect(second.nextCursor).toBeNull();
    expect((await caller.merchantSimulator.get({ id: ids[0]! }))?.name).toBe("第 1 次");
    // Without input (the first page), as before.
    expect((await caller.merchantSimulator.list()).runs).toHaveLength(30);
  });

  it("says there is no older page when the runs fill exactly one", async () => {
    await make(30);
    const { caller } = await signedInStaff(database.prisma, "operator");
    const page = await caller.merchantSimulator.list({});
    expect(page.runs).toHaveLength(30);
    expect(page.nextCursor).toBeNull();
  });
});

describe("the rule version A ran on", () => {
  const versionOf = async (id: number) => (await simulationRun(database.prisma, id))!.ruleVersion;

  it("is the version in force when the run was queued, and stays so after the rules change", async () => {
    const before = await queue("版本管理前", at(0));
    // Before any save there are no versions: the rules have no number yet.
    expect(await versionOf(before.id)).toBeNull();

    // The first save makes version 1 (the rules so far, in force since ever) and version 2.
    await saveRules(database.prisma, null, { config: { rebate: { n: 2 } }, reason: "两人即返" }, at(1));
    const onV2 = await queue("v2", at(2));
    await saveRules(database.prisma, null, { config: { rebate: { n: 4 } }, reason: "四人即返" }, at(3));
    const onV3 = await queue("v3", at(4));
    // Version 4 saved on day 5 to come into force on day 7: a run on day 6 still ran on version 3.
    await saveRules(database.prisma, null, { config: { rebate: { n: 5 } }, reason: "五人即返", effectiveAt: at(7) }, at(5));
    const scheduledNotYet = await queue("v4 之前", at(6));
    const onV4 = await queue("v4", at(8));

    // The run from before versioning ran on the rules that became version 1.
    expect(await versionOf(before.id)).toBe(1);
    expect(await versionOf(onV2.id)).toBe(2);
    expect(await versionOf(onV3.id)).toBe(3);
    expect(await versionOf(scheduledNotYet.id)).toBe(3);
    expect(await versionOf(onV4.id)).toBe(4);
    // And the stored A is indeed that version's rules (n: 2, 4, 4, 5).
    const ns = await Promise.all([onV2, onV3, scheduledNotYet, onV4].map(async (r) => (await simulationRun(database.prisma, r.id))!.configs[0]!.rebate.n));
    expect(ns).toEqual([2, 4, 4, 5]);
  });

  it("is not claimed when the stored rules are not the version in force at the run's time", async () => {
    await saveRules(database.prisma, null, { config: { rebate: { n: 2 } }, reason: "两人即返" }, at(1));
    await saveRules(database.prisma, null, { config: { rebate: { n: 4 } }, reason: "四人即返" }, at(3));
    // Stored with version 2's rules but dated after version 3 came into force (a save committed while it was queued).
    const v2 = parseConfig({ rebate: { n: 2 } });
    const run = await database.prisma.simulationRun.create({ data: { staffId: 7, name: "x", population: population as object, configs: [v2] as object[], createdAt: at(4) } });
    expect(await versionOf(run.id)).toBeNull();
  });
});

describe("B's commission rates and the categories' own rates", () => {
  // A category override must name a category of the catalogue (server/rules).
  const withCategoryRates = async () => {
    await database.prisma.category.upsert({ where: { slug: "digital" }, create: { slug: "digital", name: "数码" }, update: {} });
    return saveRules(database.prisma, null, { config: { commission: { ratesBps: [1000, 500, 200], categoryRatesBps: { digital: [1500, 500, 100] } } }, reason: "数码单独比例" }, at(1));
  };

  it("leave a category's own rates in B unless B drops them; A keeps them either way", async () => {
    await withCategoryRates();
    const { caller } = await signedInStaff(database.prisma, "operator");
    const kept = await caller.merchantSimulator.queue({ name: "只改各级", population, changes: { commission: { ratesBps: [800, 400, 100] } } });
    const dropped = await caller.merchantSimulator.queue({ name: "统一比例", population, changes: { commission: { ratesBps: [800, 400, 100], categoryRatesBps: {} } } });

    const [aKept, bKept] = (await simulationRun(database.prisma, kept.id))!.configs;
    // B's 8/4/1% reach fmcg, but digital stays at its own 15/5/1% (what the form says beside B's rates).
    expect(ratesFor(bKept!, "fmcg")).toEqual([800, 400, 100]);
    expect(ratesFor(bKept!, "digital")).toEqual([1500, 500, 100]);
    expect(ratesFor(aKept!, "fmcg")).toEqual([1000, 500, 200]);

    const [aDropped, bDropped] = (await simulationRun(database.prisma, dropped.id))!.configs;
    expect(ratesFor(bDropped!, "digital")).toEqual([800, 400, 100]);
    expect(bDropped!.commission.categoryRatesBps).toEqual({});
    expect(ratesFor(aDropped!, "digital")).toEqual([1500, 500, 100]);
  });

  it("are checked by the compliance guard when B gives them", async () => {
    await withCategoryRates();
    const { caller } = await signedInStaff(database.prisma, "operator");
    const refused = await refusal(caller.merchantSimulator.queue({ name: "四级", population, changes: { commission: { categoryRatesBps: { digital: [1500, 500, 100, 50] } } } }));
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("commission.categoryRatesBps.digital：合规红线：最多 3 级佣金");
    expect(await database.prisma.simulationRun.count()).toBe(0);
  });
});
