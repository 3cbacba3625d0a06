// A/B campaign experiments (issue 11): stable assignment by member, B's settings through the
// compliance guard, each task opened on its variant's rules (then SPEC §5 as usual), per-variant
// outcomes, and ending with B promoting B's settings as a new rule version.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Prisma, type Database } from "../server/db";
import { DomainError, inTx } from "../server/context";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment } from "../server/orders";
import { createSimpleProduct } from "../server/catalog/admin";
import { loadRules } from "../server/context";
import { saveRules } from "../server/rules";
import { DAY } from "../server/clock/time";
import { endExperimentTx, experimentReport, startExperimentTx, variantFor, verdictOf, type VariantResult } from "../server/experiments";
import type { RatioDifferenceTest } from "../server/experiments/stats";
import { verdictText } from "../server/experiments/verdict-text";
import { MESSAGES } from "@/lib/i18n/messages";
import { createT } from "@/lib/i18n/core";
import { freshDatabase } from "./helpers/db";

const OWNER = { staffId: 1, requestId: "req-exp" };
const OTHER_OWNER = { staffId: 2, requestId: "req-exp-2" };
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

describe("assignment", () => {
  it("is stable per member, splits at the chosen share, and differs between experiments", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const first = ids.map((id) => variantFor("salt-1", id, 20));
    expect(ids.map((id) => variantFor("salt-1", id, 20))).toEqual(first);
    // Binomial(10 000, 0.2): mean 2 000, sd 40; ±5 sd.
    const b = first.filter((v) => v === "B").length;
    expect(b).toBeGreaterThan(1_800);
    expect(b).toBeLessThan(2_200);
    // A larger share only moves members from A to B (buckets are nested).
    ids.forEach((id, i) => {
      if (first[i] === "B") expect(variantFor("salt-1", id, 50)).toBe("B");
    });
    const other = ids.map((id) => variantFor("salt-2", id, 20));
    const same = other.filter((v, i) => v === first[i]).length;
    // Independent splits agree on ~0.8² + 0.2² = 68% of members, not all.
    expect(same).toBeLessThan(7_200);
    expect(same).toBeGreaterThan(6_400);
  });
});

/** A group's results (one task per member); `costFen` = its cashback per new paying member as shown (null: no new paying member yet). */
const result = (variant: "A" | "B", members: number, metMembers: number, costFen: number | null = null): VariantResult => ({
  variant, rebate: null, tasks: members, members, metMembers, metRate: metMembers / members, metInterval: null, newPaying: costFen === null ? 0 : 10,
  inviteesPerTask: null, invited: 0, converted: 0, conversion: null, conversionInterval: null, kFactor: null,
  cashbackFen: costFen === null ? 0 : costFen * 10, settledNewPaying: costFen === null ? 0 : 10, settledCashbackFen: costFen === null ? 0 : costFen * 10, costPerNewPayingFen: costFen,
  // Not read by verdictOf: these tests hand it the cost test (costTested).
  costSums: { units: members, sumX: 0, sumY: 0, sumXX: 0, sumXY: 0, sumYY: 0 },
});
/** A cost test with this p-value: verdictOf reads only whether it is significant (the direction is the shown figures'). */
const costTested = (pValue: number): RatioDifferenceTest => ({ difference: 0, interval: { low: 0, high: 0 }, z: 0, pValue });

describe("verdict", () => {
  it("waits for 30 members with a task per group", async () => {
    const { twoProportionTest } = await import("../server/experiments/stats");
    const v = verdictOf(result("A", 29, 5), result("B", 100, 60), twoProportionTest(5, 29, 60, 100), null);
    expect(v).toEqual({ kind: "not_enough_data", facts: { minMembers: 30, membersA: 29, membersB: 100 } });
    expect(verdictText(zh, v)).toBe("数据还不够：每组至少需要 30 位开启返现任务的会员（A 组 29 位，B 组 100 位）");
    expect(verdictText(en, v)).toBe("Not enough data yet: each group needs at least 30 members who opened a cashback task (group A has 29, group B has 100)");
  });

  it("names the better group at 95% confidence, with the cost per new buyer confirmed or only a direction", async () => {
    const { twoProportionTest } = await import("../server/experiments/stats");
    // 30/100 vs 45/100: z = 2.1909, p = 0.0285 (worked in tests/experiment-stats.test.ts).
    // Newcombe interval [0.0159, 0.2768] excludes 0. Cost ¥88 against ¥100: 8 800 / 10 000 − 1 = −12%.
    const v = verdictOf(result("A", 100, 30, 10_000), result("B", 100, 45, 8_800), twoProportionTest(30, 100, 45, 100), costTested(0.004));
    expect(v).toMatchObject({ kind: "b_better", facts: { significant: true, intervalContainsZero: false, higher: "B", cost: { direction: "lower", significant: true } } });
    expect(v.facts).toMatchObject({ pValue: expect.closeTo(0.0285, 4), differencePoints: expect.closeTo(15, 9), cost: { change: expect.closeTo(-0.12, 9) } });
    expect(verdictText(zh, v)).toBe("B 组会员达成率比 A 组高 15.0 个百分点（95% 置信度，p = 0.028），每位新付费会员成本低 12.0%（95% 置信度，p = 0.004）");
    expect(verdictText(en, v)).toBe(
      "Group B's member completion rate is 15.0 percentage points higher than group A's (95% confidence, p = 0.028), and group B's cost per new paying member is 12.0% lower (95% confidence, p = 0.004)",
    );
    // 30/100 vs 35/100: pooled 0.325, SE = √(0.325·0.675·0.02) = 0.066238, z = 0.7549, p = 0.450. Cost 10 500 / 10 000 − 1 = +5%.
    // The cost not tested (a group with one member with new buyers has no variance): only a direction.
    const n = verdictOf(result("A", 100, 30, 10_000), result("B", 100, 35, 10_500), twoProportionTest(30, 100, 35, 100), null);
    expect(n.kind).toBe("no_difference");
    expect(verdictText(zh, n)).toBe("两组会员达成率的差异尚不显著（p = 0.450），每位新付费会员成本高 5.0%（方向参考，未达统计显著）：继续运行以积累数据");
    expect(verdictText(en, n)).toBe(
      "The difference in member completion rates is not significant yet (p = 0.450), and group B's cost per new paying member is 5.0% higher (a direction only, not statistically significant): keep the experiment running to gather more data",
    );
    // Same completion figures reversed, A also cheaper: 12 500 / 10 000 − 1 = +25% for B → A is better on both.
    const a = verdictOf(result("A", 100, 45, 10_000), result("B", 100, 30, 12_500), twoProportionTest(45, 100, 30, 100), costTested(0.004));
    expect(a.kind).toBe("a_better");
    expect(verdictText(zh, a)).toBe("B 组会员达成率比 A 组低 15.0 个百分点（95% 置信度，p = 0.028），每位新付费会员成本高 25.0%（95% 置信度，p = 0.004）");
    expect(verdictText(en, a)).toBe(
      "Group B's member completion rate is 15.0 percentage points lower than group A's (95% confidence, p = 0.028), and group B's cost per new paying member is 25.0% higher (95% confidence, p = 0.004)",
    );
    // Equal costs, and no cost figure yet (no new paying member in a group): the tested rate alone.
    const same = verdictOf(result("A", 100, 30, 10_000), result("B", 100, 45, 10_000), twoProportionTest(30, 100, 45, 100), costTested(1));
    expect(verdictText(zh, same)).toBe("B 组会员达成率比 A 组高 15.0 个百分点（95% 置信度，p = 0.028），每位新付费会员成本相同");
    expect(verdictText(en, same)).toBe(
      "Group B's member completion rate is 15.0 percentage points higher than group A's (95% confidence, p = 0.028), and the cost per new paying member is the same",
    );
    const noCost = verdictOf(result("A", 100, 30), result("B", 100, 45, 10_000), twoProportionTest(30, 100, 45, 100), null);
    expect(noCost).toMatchObject({ kind: "b_better", facts: { cost: null } });
    expect(verdictText(zh, noCost)).toBe("B 组会员达成率比 A 组高 15.0 个百分点（95% 置信度，p = 0.028）");
    expect(verdictText(en, noCost)).toBe("Group B's member completion rate is 15.0 percentage points higher than group A's (95% confidence, p = 0.028)");
  });

  it("names no winner when the group with the higher completion rate costs significantly more per new buyer", async () => {
    const { twoProportionTest } = await import("../server/experiments/stats");
    // B lowers n: more tasks complete (30/100 → 45/100, p = 0.028) but each new buyer costs ¥120 against ¥100: 12 000 / 10 000 − 1 = +20%.
    const v = verdictOf(result("A", 100, 30, 10_000), result("B", 100, 45, 12_000), twoProportionTest(30, 100, 45, 100), costTested(0.004));
    expect(v.kind).toBe("mixed");
    expect(verdictText(zh, v)).toBe("B 组会员达成率比 A 组高 15.0 个百分点（95% 置信度，p = 0.028），但每位新付费会员成本高 20.0%（95% 置信度，p = 0.004）：两组各有长短，请按更看重的指标决定");
    expect(verdictText(en, v)).toBe(
      "Group B's member completion rate is 15.0 percentage points higher than group A's (95% confidence, p = 0.028), but group B's cost per new paying member is 20.0% higher (95% confidence, p = 0.004): each group has its strengths, so decide by the metric that matters more to you",
    );
    // The same figures with the cost difference not significant (p = 0.060): the tested rate decides, the cost is a direction.
    const unsure = verdictOf(result("A", 100, 30, 10_000), result("B", 100, 45, 12_000), twoProportionTest(30, 100, 45, 100), costTested(0.06));
    expect(unsure.kind).toBe("b_better");
    expect(verdictText(zh, unsure)).toBe("B 组会员达成率比 A 组高 15.0 个百分点（95% 置信度，p = 0.028），每位新付费会员成本高 20.0%（方向参考，未达统计显著）");
    // A completes more, B is cheaper: 7 500 / 10 000 − 1 = −25%.
    const w = verdictOf(result("A", 100, 45, 10_000), result("B", 100, 30, 7_500), twoProportionTest(45, 100, 30, 100), costTested(0.004));
    expect(w.kind).toBe("mixed");
    expect(verdictText(zh, w)).toBe("B 组会员达成率比 A 组低 15.0 个百分点（95% 置信度，p = 0.028），但每位新付费会员成本低 25.0%（95% 置信度，p = 0.004）：两组各有长短，请按更看重的指标决定");
    // A has paid no cashback yet (¥0 per new buyer), B has: B costs more, with no percentage to give.
    const z = verdictOf(result("A", 100, 30, 0), result("B", 100, 45, 5_000), twoProportionTest(30, 100, 45, 100), costTested(0.004));
    expect(z.kind).toBe("mixed");
    expect(verdictText(zh, z)).toContain("但每位新付费会员成本更高（A 组尚无返现成本）");
    expect(verdictText(en, z)).toContain("but group B's cost per new paying member is higher (group A has no cashback cost yet)");
    // ¥100.01 against ¥100.00: +0.01%, rounds to 0.0% but is still higher; far from significant, it names no one and decides nothing.
    const slightly = verdictOf(result("A", 100, 30, 10_000), result("B", 100, 45, 10_001), twoProportionTest(30, 100, 45, 100), costTested(0.98));
    expect(slightly.kind).toBe("b_better");
    expect(verdictText(zh, slightly)).toContain("，每位新付费会员成本略高（不到 0.1%）（方向参考，未达统计显著）");
    expect(verdictText(en, slightly)).toContain("and group B's cost per new paying member is slightly higher (by less than 0.1%) (a direction only, not statistically significant)");
  });

  it("calls a difference significant only when the interval shown excludes 0 too", async () => {
    const { twoProportionTest } = await import("../server/experiments/stats");
    // 0/30 vs 4/30: pooled 4/60, SE = √(0.066667·0.933333·2/30) = 0.064406, z = 0.133333 / 0.064406 = 2.0702, p = 0.0384;
    // Wilson 4/30: centre = (0.133333 + 0.064024) / 1.128049 = 0.174955, half = 1.959964·√(0.0038519 + 0.0010671) / 1.128049 = 0.121859,
    // low 0.053096; Newcombe low = 0.133333 − √((0.133333 − 0.053096)² + 0.113513²) = 0.133333 − √(0.0064380 + 0.0128852) = −0.005675.
    const t = twoProportionTest(0, 30, 4, 30)!;
    expect(t.pValue).toBeCloseTo(0.0384, 4);
    expect(t.interval.low).toBeCloseTo(-0.005675, 5);
    const v = verdictOf(result("A", 30, 0), result("B", 30, 4), t, null);
    expect(v).toMatchObject({ kind: "no_difference", facts: { significant: true, intervalContainsZero: true, cost: null } });
    expect(verdictText(zh, v)).toBe("两组会员达成率的差异尚不显著（p = 0.038，但差值的 95% 区间仍包含 0）：继续运行以积累数据");
    expect(verdictText(en, v)).toBe(
      "The difference in member completion rates is not significant yet (p = 0.038, but the 95% interval of the difference still includes 0): keep the experiment running to gather more data",
    );
  });
});

describe("experiments on the engine", () => {
  let database: Database;
  const t0 = new Date("2026-06-01T02:00:00Z");
  const at = (days: number) => new Date(t0.getTime() + days * DAY);

  beforeEach(async () => {
    database = await freshDatabase();
    await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 500 });
    // Below the minimum anchor: an invitee's first order counts for a task without opening one of its own.
    await createSimpleProduct(database.prisma, { sku: "cup", name: "茶杯", priceFen: 1_000, category: "tea", stock: 500 });
    await saveRules(database.prisma, OWNER, { config: { rebate: { minAnchorFen: 5_000 } }, reason: "满 50 元开任务" }, new Date(t0.getTime() - DAY));
  });
  afterEach(() => database.close());

  const db = () => database.prisma;
  const member = (username: string, sponsorId: number | null, now: Date) => inTx(db(), { now }, (ctx) => registerMember(ctx, { username, sponsorId }));
  async function paidOrder(memberId: number, now: Date, sku = "tea") {
    const o = await inTx(db(), { now }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku, qty: 1 }] }));
    await inTx(db(), { now }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    return o;
  }
  const refusal = async (p: Promise<unknown>) => {
    const e = await p.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  };

  it("refuses a variant the compliance guard refuses, an unchanged one, a bad share and a second running experiment", async () => {
    const start = (variantRebate: Record<string, unknown>, variantPercent = 50) => startExperimentTx(db(), OWNER, { name: "返现 50%", hypothesis: "", variantPercent, variantRebate }, t0);
    expect((await refusal(start({ percent: 101 }))).issues).toMatchObject([{ path: "rebate.percent", message: "返现比例不能超过 100%" }]);
    expect((await refusal(start({ depositFen: 100 }))).issues?.[0]?.message).toMatch(/费用|押金|付费/);
    expect((await refusal(start({ percent: 100 }))).issues).toEqual([{ path: "rebate", message: "B 组规则与现行规则相同" }]);
    expect((await refusal(start({ percent: 50 }, 100))).issues).toEqual([{ path: "variantPercent", message: "B 组占比须为 1% 到 99% 的整数" }]);
    await start({ percent: 50 });
    expect((await refusal(start({ n: 2 }))).code).toBe("EXPERIMENT_RUNNING");
    // The database keeps one running experiment even if the code did not.
    await expect(
      db().$executeRawUnsafe(`INSERT INTO "Experiment" (name, hypothesis, "variantPercent", salt, "variantRebate", "createdByStaffId", "startedAt") VALUES ('x', '', 50, 's', '{}', 1, now())`),
    ).rejects.toThrow(/Experiment_one_running/);
    expect(await db().experiment.count()).toBe(1);
    expect(await db().auditLog.count({ where: { action: "experiment.started" } })).toBe(1);
  });

  it("opens each anchor buyer's task on their variant's rules, reports per variant, and promotes B when it wins", async () => {
    const exp = await startExperimentTx(db(), OWNER, { name: "一人即返半价", hypothesis: "门槛更低，更多人完成", variantPercent: 50, variantRebate: { n: 1, percent: 50 } }, t0);
    const { salt } = await db().experiment.findUniqueOrThrow({ where: { id: exp.id } });
    // Sign up sharers until there is one of each variant (the split is by member id).
    const sharers: Record<"A" | "B", number> = { A: 0, B: 0 };
    for (let i = 0; !sharers.A || !sharers.B; i++) {
      const m = await member(`s${i}`, null, t0);
      const v = variantFor(salt, m.id, 50);
      if (!sharers[v]) sharers[v] = m.id;
    }
    const anchorA = await paidOrder(sharers.A, at(1));
    const anchorB = await paidOrder(sharers.B, at(1));
    const taskA = await db().rebateTask.findUniqueOrThrow({ where: { anchorOrderId: anchorA.id } });
    const taskB = await db().rebateTask.findUniqueOrThrow({ where: { anchorOrderId: anchorB.id } });
    // A: the rules in force (3 invitees, 100%); B: the variant (1 invitee, 50% of ¥100).
    expect(taskA).toMatchObject({ experimentId: exp.id, variant: "A", n: 3, percent: 100, cashbackFen: 10_000 });
    expect(taskB).toMatchObject({ experimentId: exp.id, variant: "B", n: 1, percent: 50, cashbackFen: 5_000 });

    // One invitee each, plus one sign-up under B who never buys.
    await paidOrder((await member("a1", sharers.A, at(2))).id, at(2), "cup");
    await paidOrder((await member("b1", sharers.B, at(2))).id, at(2), "cup");
    await member("b2", sharers.B, at(3));
    expect(await db().rebateTask.findUniqueOrThrow({ where: { id: taskA.id } })).toMatchObject({ status: "OPEN" });
    expect(await db().rebateTask.findUniqueOrThrow({ where: { id: taskB.id } })).toMatchObject({ status: "MET" });

    const report = (await experimentReport(db(), exp.id, at(3)))!;
    const [a, b] = report.variants;
    // No cost yet: A's task is open in its window and B's met one awaits confirmation, neither outcome settled.
    expect(a).toMatchObject({ tasks: 1, members: 1, metMembers: 0, newPaying: 1, inviteesPerTask: 1, invited: 1, converted: 1, conversion: 1, kFactor: 1, cashbackFen: 0, settledNewPaying: 0, costPerNewPayingFen: null });
    expect(b).toMatchObject({ tasks: 1, members: 1, metMembers: 1, newPaying: 1, invited: 2, converted: 1, conversion: 0.5, kFactor: 1, cashbackFen: 5_000, settledNewPaying: 0, costPerNewPayingFen: null });
    expect(a.rebate).toMatchObject({ n: 3, percent: 100 });
    expect(b.rebate).toMatchObject({ n: 1, percent: 50 });
    expect(report.verdict.kind).toBe("not_enough_data");
    expect(verdictText(zh, report.verdict)).toBe("数据还不够：每组至少需要 30 位开启返现任务的会员（A 组 1 位，B 组 1 位）");

    // Ending: B wins → a new rule version with B's settings, in force from now; the experiment stops splitting.
    const ended = await endExperimentTx(db(), OTHER_OWNER, { id: exp.id, winner: "B", reason: "B 组达成率更高" }, at(4));
    expect(ended.promotedVersion).toBe(3);
    expect((await loadRules(db(), at(4))).config.rebate).toMatchObject({ n: 1, percent: 50, minAnchorFen: 5_000 });
    expect(await db().experiment.findUniqueOrThrow({ where: { id: exp.id } })).toMatchObject({ status: "ENDED", winner: "B", promotedVersion: 3, endedByStaffId: 2 });
    const later = await paidOrder(sharers.A, at(5));
    expect(await db().rebateTask.findUniqueOrThrow({ where: { anchorOrderId: later.id } })).toMatchObject({ experimentId: null, variant: null, n: 1, percent: 50 });
    // What was opened under A keeps A's settings.
    expect(await db().rebateTask.findUniqueOrThrow({ where: { id: taskA.id } })).toMatchObject({ n: 3, percent: 100 });

    expect((await refusal(endExperimentTx(db(), OWNER, { id: exp.id, winner: "A", reason: "again" }, at(6)))).code).toBe("EXPERIMENT_ENDED");
    const audit = await db().auditLog.findMany({ where: { action: { startsWith: "experiment." } }, orderBy: { id: "asc" } });
    expect(audit.map((e) => [e.action, e.actorId])).toEqual([["experiment.started", 1], ["experiment.ended", 2]]);
  });

  it("the report of an experiment B won still shows A's settings as they were during the experiment", async () => {
    const exp = await startExperimentTx(db(), OWNER, { name: "一人即返半价", hypothesis: "", variantPercent: 50, variantRebate: { n: 1, percent: 50 } }, t0);
    const settings = async (now: Date) => (await experimentReport(db(), exp.id, now))!.variants.map((v) => v.rebate);
    const during = await settings(at(1));
    expect(during).toMatchObject([{ n: 3, percent: 100, minAnchorFen: 5_000 }, { n: 1, percent: 50, minAnchorFen: 5_000 }]);
    await endExperimentTx(db(), OWNER, { id: exp.id, winner: "B", reason: "B 更好" }, at(2));
    // B's settings are now the rules in force; A's column still shows what A ran on.
    expect((await loadRules(db(), at(3))).config.rebate).toMatchObject({ n: 1, percent: 50 });
    expect(await settings(at(3))).toEqual(during);
    expect((await db().experiment.findUniqueOrThrow({ where: { id: exp.id } })).controlRebate).toMatchObject({ n: 3, percent: 100 });
    // A later rule change does not alter it either.
    await saveRules(db(), OWNER, { config: { rebate: { n: 1, percent: 50, windowDays: 14 } }, reason: "延长" }, at(4));
    expect(await settings(at(5))).toEqual(during);
    // An experiment ended before A's settings were recorded: the rules in force just before its end.
    await db().experiment.update({ where: { id: exp.id }, data: { controlRebate: Prisma.DbNull } });
    expect(await settings(at(5))).toEqual(during);
  });

  it("B's promotion takes only what B changed: a rebate setting changed during the experiment stays", async () => {
    const exp = await startExperimentTx(db(), OWNER, { name: "一人即返半价", hypothesis: "", variantPercent: 50, variantRebate: { n: 1, percent: 50 } }, t0);
    const inForce = (await loadRules(db(), at(1))).config;
    await saveRules(db(), OWNER, { config: { ...inForce, rebate: { ...inForce.rebate, windowDays: 14 } }, reason: "缩短窗口" }, at(1));
    await endExperimentTx(db(), OWNER, { id: exp.id, winner: "B", reason: "B 更好" }, at(2));
    // n and percent are B's; the 14-day window saved during the experiment is kept (B's copy had 30).
    expect((await loadRules(db(), at(3))).config.rebate).toMatchObject({ n: 1, percent: 50, windowDays: 14, minAnchorFen: 5_000 });
  });

  /** One signed-up member of each variant (the split is by member id). */
  async function oneOfEach(experimentId: number): Promise<Record<"A" | "B", number>> {
    const { salt } = await db().experiment.findUniqueOrThrow({ where: { id: experimentId } });
    const found: Record<"A" | "B", number> = { A: 0, B: 0 };
    for (let i = 0; !found.A || !found.B; i++) {
      const m = await member(`v${i}`, null, t0);
      const v = variantFor(salt, m.id, 50);
      if (!found[v]) found[v] = m.id;
    }
    return found;
  }

  it("a rules save during the experiment reaches group B too: a new window applies, and switched off neither group opens tasks", async () => {
    const exp = await startExperimentTx(db(), OWNER, { name: "一人即返半价", hypothesis: "", variantPercent: 50, variantRebate: { n: 1, percent: 50 } }, t0);
    const m = await oneOfEach(exp.id);
    const inForce = (await loadRules(db(), at(1))).config;
    await saveRules(db(), OWNER, { config: { ...inForce, rebate: { ...inForce.rebate, windowDays: 14 } }, reason: "缩短窗口" }, at(1));
    const a = await paidOrder(m.A, at(2));
    const b = await paidOrder(m.B, at(2));
    // Both take the 14-day window in force; B keeps its own n and percent (50% of ¥100 = ¥50), A the rules' (3, 100%).
    expect(await db().rebateTask.findUniqueOrThrow({ where: { anchorOrderId: a.id } })).toMatchObject({ variant: "A", n: 3, percent: 100, cashbackFen: 10_000, deadline: new Date(at(2).getTime() + 14 * DAY) });
    expect(await db().rebateTask.findUniqueOrThrow({ where: { anchorOrderId: b.id } })).toMatchObject({ variant: "B", n: 1, percent: 50, cashbackFen: 5_000, deadline: new Date(at(2).getTime() + 14 * DAY) });
    // The page shows B as its tasks take it: the rules in force with B's changes.
    expect((await experimentReport(db(), exp.id, at(2)))!.variants[1].rebate).toMatchObject({ n: 1, percent: 50, windowDays: 14, minAnchorFen: 5_000 });

    await saveRules(db(), OWNER, { config: { ...inForce, rebate: { ...inForce.rebate, windowDays: 14, enabled: false } }, reason: "活动暂停" }, at(3));
    const laterA = await paidOrder(m.A, at(4));
    const laterB = await paidOrder(m.B, at(4));
    expect(await db().rebateTask.findUnique({ where: { anchorOrderId: laterA.id } })).toBeNull();
    expect(await db().rebateTask.findUnique({ where: { anchorOrderId: laterB.id } })).toBeNull();
  });

  it("an experiment stored with a full copy of B's settings (before only B's changes were stored) follows the same rules", async () => {
    const exp = await startExperimentTx(db(), OWNER, { name: "半价", hypothesis: "", variantPercent: 50, variantRebate: { percent: 50 } }, t0);
    // What the start stored then: the rules at the start (minimum anchor ¥50, the rest defaults) with B's 50%.
    await db().experiment.update({
      where: { id: exp.id },
      data: { variantRebate: { enabled: true, n: 3, percent: 50, windowDays: 30, capFen: null, minAnchorFen: 5_000, payout: "cash" } },
    });
    const m = await oneOfEach(exp.id);
    const inForce = (await loadRules(db(), at(1))).config;
    await saveRules(db(), OWNER, { config: { ...inForce, rebate: { ...inForce.rebate, windowDays: 14 } }, reason: "缩短窗口" }, at(1));
    const b = await paidOrder(m.B, at(2));
    // B changed only the percent: the 14-day window saved since reaches it, as for an experiment stored with its changes.
    expect(await db().rebateTask.findUniqueOrThrow({ where: { anchorOrderId: b.id } })).toMatchObject({ variant: "B", n: 3, percent: 50, cashbackFen: 5_000, deadline: new Date(at(2).getTime() + 14 * DAY) });
    expect((await experimentReport(db(), exp.id, at(2)))!.variants[1].rebate).toMatchObject({ n: 3, percent: 50, windowDays: 14 });

    await saveRules(db(), OWNER, { config: { ...inForce, rebate: { ...inForce.rebate, windowDays: 14, enabled: false } }, reason: "活动暂停" }, at(3));
    const laterB = await paidOrder(m.B, at(4));
    expect(await db().rebateTask.findUnique({ where: { anchorOrderId: laterB.id } })).toBeNull();
    // B wins: only its percent is promoted; the window and the switch-off saved during the experiment stay.
    await endExperimentTx(db(), OWNER, { id: exp.id, winner: "B", reason: "B 更好" }, at(5));
    expect((await loadRules(db(), at(5))).config.rebate).toMatchObject({ enabled: false, n: 3, percent: 50, windowDays: 14, minAnchorFen: 5_000 });
  });

  it("B still wins when the merchant already saved B's change as the rules in force: no version is saved, the one in force is recorded", async () => {
    const exp = await startExperimentTx(db(), OWNER, { name: "半价", hypothesis: "", variantPercent: 50, variantRebate: { percent: 50 } }, t0);
    const inForce = (await loadRules(db(), at(1))).config;
    // Versions: 1 (initial), 2 (minimum anchor, beforeEach), 3 (B's 50% adopted early).
    expect((await saveRules(db(), OWNER, { config: { ...inForce, rebate: { ...inForce.rebate, percent: 50 } }, reason: "提前采用" }, at(1))).version).toBe(3);
    const ended = await endExperimentTx(db(), OWNER, { id: exp.id, winner: "B", reason: "B 更好" }, at(2));
    expect(ended).toEqual({ id: exp.id, winner: "B", promotedVersion: 3, alreadyInForce: true });
    expect(await db().ruleVersion.count()).toBe(3);
    expect(await db().experiment.findUniqueOrThrow({ where: { id: exp.id } })).toMatchObject({ status: "ENDED", winner: "B", promotedVersion: 3 });
    expect((await loadRules(db(), at(2))).config.rebate).toMatchObject({ n: 3, percent: 50 });
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "experiment.ended" } });
    expect(audit.after).toMatchObject({ winner: "B", promotedVersion: 3, alreadyInForce: true });
  });

  it("ending with A keeps the rules in force and saves no version", async () => {
    const exp = await startExperimentTx(db(), OWNER, { name: "五人返", hypothesis: "", variantPercent: 10, variantRebate: { n: 5 } }, t0);
    const before = await db().ruleVersion.count();
    expect(await endExperimentTx(db(), OWNER, { id: exp.id, winner: "A", reason: "B 没有更好" }, at(1))).toMatchObject({ winner: "A", promotedVersion: null });
    expect(await db().ruleVersion.count()).toBe(before);
    expect((await loadRules(db(), at(1))).config.rebate.n).toBe(3);
  });
});
