// Scheduled rule versions and later saves (issue 11, "versioned and effective-dated"): a change saved
// while another version waits for its time is carried into it, so neither is lost when the scheduled one
// comes into force; the history and the diffs say what each version replaced.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, loadRules } from "../server/context";
import { defaultConfig, type MallConfig } from "../server/config/schema";
import { listRuleVersions, ruleVersionDiff, RulesRefused, saveRules } from "../server/rules";
import { carryInto, rebaseEdit, sameRules } from "../server/rules/rebase";
import { createSimpleProduct, setCategoryCommissionRates } from "../server/catalog/admin";
import { registerMember } from "../server/referral";
import { DAY } from "../server/clock/time";
import { freshDatabase } from "./helpers/db";

const OWNER = { staffId: 1, requestId: "req-schedule" };

describe("carrying a saved change into a scheduled version (pure)", () => {
  const replaced = { rebate: { n: 3, percent: 100 }, tiers: [{ name: "a" }, { name: "b" }, { name: "c" }], brackets: [] as unknown[], rates: { tea: [300, 100, 50] } };

  it("the scheduled version keeps its own changes; every other setting is the saved one's", () => {
    const scheduled = { ...replaced, rebate: { n: 3, percent: 50 } };
    const saved = { ...replaced, rebate: { n: 2, percent: 100 }, brackets: [{ minFen: 0, bps: 500 }] };
    // percent is the scheduled version's own change; n and the brackets come from the save.
    expect(carryInto(saved, replaced, scheduled)).toEqual({ ...replaced, rebate: { n: 2, percent: 50 }, brackets: [{ minFen: 0, bps: 500 }] });
  });

  it("its removals stay removed, and a list whose middle entry it removed closes up", () => {
    const scheduled = { ...replaced, tiers: [{ name: "a" }, { name: "c" }], rates: {} };
    const saved = { ...replaced, tiers: [{ name: "A" }, { name: "b" }, { name: "c" }], rates: { tea: [300, 100, 50], coffee: [200, 100, 0] } };
    // tiers: entry 0 renamed by the save, entry 1 replaced by "c" and entry 2 removed by the schedule;
    // rates: the schedule removed tea, the save added coffee.
    expect(carryInto(saved, replaced, scheduled)).toEqual({ ...replaced, tiers: [{ name: "A" }, { name: "c" }], rates: { coffee: [200, 100, 0] } });
  });

  it("a save that the scheduled version already holds changes nothing in it", () => {
    const scheduled = { ...replaced, rebate: { n: 3, percent: 50 } };
    expect(sameRules(carryInto(scheduled, replaced, scheduled), scheduled)).toBe(true);
    expect(sameRules({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameRules({ a: 1, b: [] }, { a: 1 })).toBe(false);
  });
});

describe("an edit moved onto the rules as they are now (pure)", () => {
  const base = { rebate: { n: 3, percent: 100 }, tiers: [{ name: "a" }, { name: "b" }], rates: { tea: [300, 100, 50] } };

  it("only the editor's changes move, removals included; another save's changes stay", () => {
    const edited = { ...base, rebate: { n: 4, percent: 100 }, tiers: [{ name: "a" }] };
    const latest = { ...base, rebate: { n: 3, percent: 80 }, rates: { tea: [300, 100, 50], coffee: [200, 100, 0] } };
    expect(rebaseEdit(base, edited, latest, latest)).toEqual({ ok: true, changed: 2, config: { ...base, rebate: { n: 4, percent: 80 }, tiers: [{ name: "a" }], rates: latest.rates } });
  });

  it("a setting both changed to different values is a conflict, named by its dotted path; the same value is not", () => {
    const edited = { ...base, rebate: { n: 4, percent: 90 } };
    const latest = { ...base, rebate: { n: 4, percent: 80 } };
    expect(rebaseEdit(base, edited, latest, latest)).toEqual({ ok: false, stale: ["rebate.percent"], differs: [] });
  });

  it("a list is one setting: an entry edited on a list the rules in force hold otherwise is refused, not put on another entry", () => {
    // The form shows a scheduled version without the middle tier; the rules in force still have it.
    const scheduled = { tiers: [{ name: "member" }, { name: "partner", min: 5 }] };
    const inForce = { tiers: [{ name: "member" }, { name: "promoter", min: 3 }, { name: "partner", min: 5 }] };
    const edited = { tiers: [{ name: "member" }, { name: "partner", min: 8 }] };
    expect(rebaseEdit(scheduled, edited, scheduled, inForce)).toEqual({ ok: false, stale: [], differs: ["tiers"] });
  });

  it("a setting a save made in force since the form opened on a scheduled version is refused, not overwritten", () => {
    // Opened on a scheduled fee of 2%; another owner then set 3% in force now (the scheduled version, carried, still says 2%).
    const base = { fee: 2, title: "春" };
    expect(rebaseEdit(base, { ...base, fee: 5 }, base, { fee: 3, title: "春" })).toEqual({ ok: false, stale: [], differs: ["fee"] });
    // Another setting of the same form still moves onto it.
    expect(rebaseEdit(base, { ...base, title: "夏" }, base, { fee: 3, title: "春" })).toEqual({ ok: true, changed: 1, config: { fee: 3, title: "夏" } });
  });
});

describe("rule versions over time", () => {
  let database: Database;
  const t0 = new Date("2026-06-01T02:00:00Z");
  const at = (days: number) => new Date(t0.getTime() + days * DAY);
  const db = () => database.prisma;
  const withPercent = (config: MallConfig, percent: number): MallConfig => ({ ...config, rebate: { ...config.rebate, percent } });

  beforeEach(async () => {
    database = await freshDatabase();
    await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 50 });
  });
  afterEach(() => database.close());

  it("a change saved now survives an older version scheduled for later, and the scheduled change still comes", async () => {
    // v2: 50% cashback from day 7. Day 1: the tea category's rates set from the catalogue (rules in force = v1).
    await saveRules(db(), OWNER, { config: withPercent(defaultConfig, 50), reason: "下周降返现", effectiveAt: at(7) }, t0);
    const saved = await inTx(db(), { now: at(1) }, (ctx) => setCategoryCommissionRates(ctx, { type: "staff", ...OWNER } as never, "tea", [300, 100, 50]));
    expect(saved).toBeTruthy();

    // Day 2: the tea rates, 100% cashback. Day 8: the tea rates and 50% cashback (both changes).
    const day2 = (await loadRules(db(), at(2))).config;
    expect(day2.commission.categoryRatesBps).toEqual({ tea: [300, 100, 50] });
    expect(day2.rebate.percent).toBe(100);
    const day8 = (await loadRules(db(), at(8))).config;
    expect(day8.commission.categoryRatesBps).toEqual({ tea: [300, 100, 50] });
    expect(day8.rebate.percent).toBe(50);

    // v3 (the tea rates, now) replaced v1: its diff is the tea rates only, not a false "percent 50 → 100".
    expect((await ruleVersionDiff(db(), 3))?.rows.map((r) => r.path)).toEqual(["commission.categoryRatesBps.tea.0", "commission.categoryRatesBps.tea.1", "commission.categoryRatesBps.tea.2"]);
    // v4 is v2 with the tea rates carried in, at v2's time; v2 never comes into force.
    const v4 = await db().ruleVersion.findUniqueOrThrow({ where: { version: 4 } });
    expect(v4.effectiveAt).toEqual(at(7));
    expect(v4.reason).toBe("下周降返现（并入第 3 版的修改）");
    expect((await ruleVersionDiff(db(), 4))?.rows.map((r) => r.path)).toEqual(["commission.categoryRatesBps.tea.0", "commission.categoryRatesBps.tea.1", "commission.categoryRatesBps.tea.2"]);
    expect((await listRuleVersions(db(), at(2))).map((v) => [v.version, v.state])).toEqual([[4, "scheduled"], [3, "active"], [2, "superseded"], [1, "superseded"]]);
    expect((await listRuleVersions(db(), at(8))).map((v) => [v.version, v.state])).toEqual([[4, "active"], [3, "superseded"], [2, "superseded"], [1, "superseded"]]);
    const audit = await db().auditLog.findMany({ where: { action: "rules.version_created" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.target, (a.data as { previousVersion: number }).previousVersion])).toEqual([["ruleVersion:2", 1], ["ruleVersion:3", 1], ["ruleVersion:4", 2]]);
  });

  it("a chain of scheduled versions each keeps its own change and takes the new one", async () => {
    await saveRules(db(), OWNER, { config: withPercent(defaultConfig, 80), reason: "第一步", effectiveAt: at(3) }, t0);
    const step1 = (await loadRules(db(), at(3))).config;
    await saveRules(db(), OWNER, { config: { ...step1, rebate: { ...step1.rebate, n: 4 } }, reason: "第二步", effectiveAt: at(5) }, t0);
    // Day 1, from the rules in force: a 45-day window.
    await saveRules(db(), OWNER, { config: { ...defaultConfig, rebate: { ...defaultConfig.rebate, windowDays: 45 } }, reason: "窗口加长" }, at(1));
    const rebate = async (d: number) => {
      const r = (await loadRules(db(), at(d))).config.rebate;
      return [r.percent, r.n, r.windowDays];
    };
    expect(await rebate(2)).toEqual([100, 3, 45]);
    expect(await rebate(3)).toEqual([80, 3, 45]);
    expect(await rebate(6)).toEqual([80, 4, 45]);
    expect(await db().ruleVersion.count()).toBe(6);
  });

  it("refuses a save that would make a scheduled version break a rule, and stores nothing", async () => {
    // Scheduled: L1 down to 600 (L2 stays 500). Now: L2 up to 700 with L1 at 900 — fine alone, but the
    // scheduled version would then pay L1 600 < L2 700.
    const base = defaultConfig.commission.ratesBps;
    await saveRules(db(), OWNER, { config: { ...defaultConfig, commission: { ...defaultConfig.commission, ratesBps: [600, base[1]!, base[2]!] } }, reason: "降一级", effectiveAt: at(7) }, t0);
    const e = await saveRules(db(), OWNER, { config: { ...defaultConfig, commission: { ...defaultConfig.commission, ratesBps: [900, 700, base[2]!] } }, reason: "加二级" }, at(1)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RulesRefused);
    expect((e as RulesRefused).issues[0]!.message).toMatch(/^与第 2 版（定时生效）合并后：/);
    expect(await db().ruleVersion.count()).toBe(2);
  });

  it("saving what is already in force is refused as no change; the form moves only its own changes, a whole rule set brings the scheduled rules forward", async () => {
    await saveRules(db(), OWNER, { config: withPercent(defaultConfig, 50), reason: "下周", effectiveAt: at(7) }, t0);
    const e = await saveRules(db(), OWNER, { config: defaultConfig, reason: "同样" }, at(1)).catch((x: unknown) => x);
    expect((e as RulesRefused).issues).toEqual([{ path: "", message: "规则没有变化", code: "unchanged" }]);
    // The form opens on the scheduled v2: saved "now" as it is, it holds no change of its own, so nothing comes forward.
    const fromForm = await saveRules(db(), OWNER, { config: withPercent(defaultConfig, 50), reason: "提前", baseVersion: 2 }, at(1)).catch((x: unknown) => x);
    expect((fromForm as RulesRefused).issues).toEqual([{ path: "", message: "规则没有变化", code: "unchanged" }]);
    expect((await loadRules(db(), at(2))).config.rebate.percent).toBe(100);
    // A whole rule set without a base version (experiment promotion, the test hook) is the new rules as they are.
    await saveRules(db(), OWNER, { config: withPercent(defaultConfig, 50), reason: "提前" }, at(1));
    expect((await loadRules(db(), at(2))).config.rebate.percent).toBe(50);
    // v2 already holds the change: nothing to carry, no extra version.
    expect(await db().ruleVersion.count()).toBe(3);
  });

  it("the matrix width is fixed once a member holds a seat", async () => {
    // No seat yet: the width may still be chosen.
    await saveRules(db(), OWNER, { config: { ...defaultConfig, matrix: { width: 2 } }, reason: "二叉" }, t0);
    await inTx(db(), { now: t0 }, (ctx) => registerMember(ctx, { username: "first" }));
    const e = await saveRules(db(), OWNER, { config: { ...defaultConfig, matrix: { width: 3 } }, reason: "三叉" }, at(1)).catch((x: unknown) => x);
    expect((e as RulesRefused).issues).toEqual([{ path: "matrix.width", message: "已有会员排入矩阵，矩阵宽度不能再修改" }]);
    // Other changes still save.
    await saveRules(db(), OWNER, { config: { ...defaultConfig, matrix: { width: 2 }, rebate: { ...defaultConfig.rebate, percent: 80 } }, reason: "降返现" }, at(1));
  });
});

