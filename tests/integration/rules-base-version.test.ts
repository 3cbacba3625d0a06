// Saving the rules form from the version it was opened from (issue 11): only the editor's own changes are saved,
// onto the version in force at the chosen time, so a concurrent save is neither undone nor brought forward early;
// the same setting changed by both is refused. The scheduled time is the shop's wall clock; the money settings
// page builds on the rules as they are under the lock.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { DomainError, inTx, loadRules } from "../../server/context";
import { defaultConfig, type MallConfig } from "../../server/config/schema";
import { rulesOverview, ruleVersionDiff, saveRules, type RulesRefused } from "../../server/rules";
import { updateMoneySettings } from "../../server/wallet/fee";
import { DAY } from "../../server/clock/time";
import { freshDatabase } from "../helpers/db";

const A = { staffId: 1, requestId: "owner-a" };
const B = { staffId: 2, requestId: "owner-b" };

let database: Database;
const t0 = new Date("2026-06-01T02:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);
const db = () => database.prisma;
/** What the rules form opens with at `now`: the config it shows and the version its save is based on. */
const openForm = async (now: Date) => {
  const o = await rulesOverview(db(), now);
  return { form: o.latest as MallConfig, baseVersion: o.baseVersion };
};

beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.close());

describe("two owners editing from the same version", () => {
  beforeEach(async () => {
    await saveRules(db(), A, { config: { ...defaultConfig, campaign: { ...defaultConfig.campaign, title: "春季" } }, reason: "初始" }, t0);
  });

  it("different settings: the second save keeps the first one's change", async () => {
    const a = await openForm(at(1));
    const b = await openForm(at(1));
    expect([a.baseVersion, b.baseVersion]).toEqual([2, 2]);
    await saveRules(db(), A, { config: { ...a.form, commission: { ...a.form.commission, ratesBps: [1200, 500, 200] } }, reason: "加一级", baseVersion: a.baseVersion }, at(1));
    await saveRules(db(), B, { config: { ...b.form, rebate: { ...b.form.rebate, n: 4 } }, reason: "改人数", baseVersion: b.baseVersion }, at(1));

    const now = (await loadRules(db(), at(2))).config;
    expect(now.commission.ratesBps).toEqual([1200, 500, 200]);
    expect(now.rebate.n).toBe(4);
    expect(now.campaign.title).toBe("春季");
    // v4 (B's) replaced v3 (A's): its one change is the number of invitees.
    expect((await ruleVersionDiff(db(), 4))?.rows).toEqual([{ path: "rebate.n", before: 3, after: 4 }]);
  });

  it("the same setting changed to another value: refused, nothing saved, the first change stays", async () => {
    const a = await openForm(at(1));
    const b = await openForm(at(1));
    await saveRules(db(), A, { config: { ...a.form, commission: { ...a.form.commission, ratesBps: [1200, 500, 200] } }, reason: "加一级", baseVersion: a.baseVersion }, at(1));
    const e = await saveRules(db(), B, { config: { ...b.form, commission: { ...b.form.commission, ratesBps: [1100, 500, 200] }, rebate: { ...b.form.rebate, n: 4 } }, reason: "一级 11%", baseVersion: b.baseVersion }, at(1)).catch((x: unknown) => x);

    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe("RULES_STALE");
    expect((e as DomainError).message).toBe("规则已在你打开后被修改：commission.ratesBps，请刷新后重新修改");
    expect((e as DomainError).issues?.map((i) => i.path)).toEqual(["commission.ratesBps"]);
    expect(await db().ruleVersion.count()).toBe(3);
    const now = (await loadRules(db(), at(2))).config;
    expect(now.commission.ratesBps).toEqual([1200, 500, 200]);
    expect(now.rebate.n).toBe(3);
  });

  it("the same value is no conflict; a form saved unchanged is refused as no change", async () => {
    const a = await openForm(at(1));
    const b = await openForm(at(1));
    await saveRules(db(), A, { config: { ...a.form, commission: { ...a.form.commission, ratesBps: [1200, 500, 200] } }, reason: "加一级", baseVersion: a.baseVersion }, at(1));
    await saveRules(db(), B, { config: { ...b.form, commission: { ...b.form.commission, ratesBps: [1200, 500, 200] }, rebate: { ...b.form.rebate, n: 4 } }, reason: "同样加一级并改人数", baseVersion: b.baseVersion }, at(1));
    expect((await ruleVersionDiff(db(), 4))?.rows.map((r) => r.path)).toEqual(["rebate.n"]);

    const c = await openForm(at(1));
    const e = await saveRules(db(), A, { config: c.form, reason: "没改", baseVersion: c.baseVersion }, at(1)).catch((x: unknown) => x);
    expect((e as RulesRefused).issues).toEqual([{ path: "", message: "规则没有变化", code: "unchanged" }]);
  });
});

describe("a form opened on a scheduled version", () => {
  it("a save 'effective now' of another setting does not bring the scheduled settings forward", async () => {
    // v2: 50% cashback from day 7. Day 1: the form opens on v2 (the newest) and only the title is changed, effective now.
    await saveRules(db(), A, { config: { ...defaultConfig, rebate: { ...defaultConfig.rebate, percent: 50 } }, reason: "下周降返现", effectiveAt: at(7) }, t0);
    const { form, baseVersion } = await openForm(at(1));
    expect(baseVersion).toBe(2);
    expect(form.rebate.percent).toBe(50);
    await saveRules(db(), A, { config: { ...form, campaign: { ...form.campaign, title: "夏季活动" } }, reason: "改标题", baseVersion }, at(1));

    const day2 = (await loadRules(db(), at(2))).config;
    expect(day2.campaign.title).toBe("夏季活动");
    expect(day2.rebate.percent).toBe(100);
    const day7 = (await loadRules(db(), at(7))).config;
    expect(day7.campaign.title).toBe("夏季活动");
    expect(day7.rebate.percent).toBe(50);
  });
});

describe("the scheduled time is the shop's wall clock", () => {
  it("2026-12-10 00:00 is Shanghai midnight (the rules' time zone), whatever the server's zone", async () => {
    const saved = await saveRules(db(), A, { config: { ...defaultConfig, rebate: { ...defaultConfig.rebate, n: 4 } }, reason: "年底", effectiveLocal: "2026-12-10T00:00", baseVersion: 1 }, t0);
    expect(saved.effectiveAt.toISOString()).toBe("2026-12-09T16:00:00.000Z");
    expect((await loadRules(db(), new Date("2026-12-09T15:59:00Z"))).config.rebate.n).toBe(3);
    expect((await loadRules(db(), new Date("2026-12-09T16:00:00Z"))).config.rebate.n).toBe(4);
  });

  it("a wall time that does not exist is refused", async () => {
    const e = await saveRules(db(), A, { config: { ...defaultConfig, rebate: { ...defaultConfig.rebate, n: 4 } }, reason: "年底", effectiveLocal: "2026-02-30T00:00" }, t0).catch((x: unknown) => x);
    expect((e as RulesRefused).issues).toEqual([{ path: "effectiveAt", message: "生效时间无效" }]);
    expect(await db().ruleVersion.count()).toBe(0);
  });
});

describe("money settings", () => {
  it("a fee change whose transaction began before a rules save keeps that save", async () => {
    const owner = (await db().staffAccount.create({ data: { username: "boss", displayName: "boss", role: "owner", passwordHash: "x", createdAt: t0 } })).id;
    // The fee page's transaction read the rules (n = 3) before another owner's save (n = 4) committed.
    const stale = await loadRules(db(), at(1));
    await saveRules(db(), B, { config: { ...stale.config, rebate: { ...stale.config.rebate, n: 4 } }, reason: "改人数" }, at(1));
    await inTx(db(), { now: at(1), config: stale.config, ruleVersionId: stale.versionId }, (ctx) => updateMoneySettings(ctx, { staffId: owner }, { feeBps: 100, feeMinFen: 200, adjustmentApprovalAboveFen: 100_000 }));

    const now = (await loadRules(db(), at(2))).config;
    expect(now.rebate.n).toBe(4);
    expect(now.withdrawal).toEqual({ feeBps: 100, feeMinFen: 200 });
  });
});

describe("a list edited on the form of a scheduled version", () => {
  it("is refused when the rules in force at the chosen time hold another list: nothing lands on another tier", async () => {
    const opened = await openForm(t0);
    // From day 7 there is no 推广员 tier; the form opens on that version from then on.
    const withoutPromoter = opened.form.tiers.filter((t) => t.name !== "promoter");
    await saveRules(db(), A, { config: { ...opened.form, tiers: withoutPromoter }, reason: "取消推广员", effectiveAt: at(7), baseVersion: opened.baseVersion }, t0);
    const f = await openForm(at(1));
    expect(f.form.tiers.map((t) => t.name)).toEqual(["member", "partner"]);
    // The partner's threshold raised "now": in force, the second tier is still 推广员.
    const raised = f.form.tiers.map((t) => (t.name === "partner" ? { ...t, minGmv90Fen: 8_000_000 } : t));
    const e = await saveRules(db(), B, { config: { ...f.form, tiers: raised }, reason: "提高合伙人门槛", baseVersion: f.baseVersion }, at(1)).catch((x: unknown) => x);
    expect((e as DomainError).code).toBe("RULES_SCHEDULED_DIFFERS");
    expect((e as DomainError).issues?.map((i) => i.path)).toEqual(["tiers"]);
    // Nothing saved: in force on day 2 the three tiers as they were, from day 7 the two.
    expect((await loadRules(db(), at(2))).config.tiers).toEqual(defaultConfig.tiers);
    expect((await loadRules(db(), at(8))).config.tiers.map((t) => [t.name, t.minGmv90Fen ?? null])).toEqual([["member", null], ["partner", 5_000_000]]);
  });
});
