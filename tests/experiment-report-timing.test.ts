// A/B experiment report (issue 11, review): the cost per new paying member counts only tasks whose outcome is
// settled (open tasks still gaining invitees would make the group with more of them look cheaper); an invitee
// counts for the group of the sponsor they signed up under, not the one a later sponsor change gave them; the
// page shows the conversion test and words the settings in the viewer's language; an ended experiment's
// promoted rule version keeps its reason whole at the 200-character cut.
import { createElement } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Database } from "../server/db";
import { inTx } from "../server/context";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment } from "../server/orders";
import { createSimpleProduct } from "../server/catalog/admin";
import { saveRules } from "../server/rules";
import { DAY } from "../server/clock/time";
import { decideSponsorChange, requestSponsorChange, runSponsorChanges } from "../server/members/sponsor-change";
import { endExperimentTx, experimentReport, startExperimentTx, variantFor, type ExperimentReport, type VariantResult } from "../server/experiments";
import { twoProportionTest } from "../server/experiments/stats";
import { ExperimentsClient } from "../app/merchant/experiments/ExperimentsClient";
import { freshDatabase } from "./helpers/db";
import { renderInProviders } from "./helpers/render";

const OWNER = { staffId: 1, requestId: "req-exp-timing" };
const t0 = new Date("2026-06-01T02:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);

describe("cost per new paying member while tasks are open", () => {
  let database: Database;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(() => database.close());

  /**
   * A (n = 3): 40 members whose open task has 2 invitees, 10 whose met task has 3 and owes ¥100; B (n = 2): 50
   * members whose met task has 2 and owes ¥100. Tasks opened on day 1, deadline day 31; rows written directly.
   */
  async function scenario() {
    const db = database.prisma;
    const exp = await startExperimentTx(db, OWNER, { name: "邀 2 人", hypothesis: "", variantPercent: 50, variantRebate: { n: 2 } }, t0);
    await db.member.createMany({ data: Array.from({ length: 100 }, (_, i) => ({ username: `h${i}`, referralCode: `HOLD${i}`, createdAt: t0 })) });
    const holders = (await db.member.findMany({ orderBy: { id: "asc" }, select: { id: true } })).map((m) => m.id);
    const groups = [
      ...Array.from({ length: 40 }, () => ({ variant: "A", status: "OPEN" as const, n: 3, invitees: 2 })),
      ...Array.from({ length: 10 }, () => ({ variant: "A", status: "MET" as const, n: 3, invitees: 3 })),
      ...Array.from({ length: 50 }, () => ({ variant: "B", status: "MET" as const, n: 2, invitees: 2 })),
    ];
    let invitee = 10_000;
    for (const [i, g] of groups.entries()) {
      const task = await db.rebateTask.create({
        data: {
          memberId: holders[i]!, anchorOrderId: 1_000 + i, status: g.status, n: g.n, percent: 100, payout: "cash", cashbackFen: 10_000,
          createdAt: at(1), deadline: at(31), experimentId: exp.id, variant: g.variant,
        },
      });
      await db.rebateAssignment.createMany({ data: Array.from({ length: g.invitees }, () => ({ taskId: task.id, inviteeId: ++invitee, orderId: invitee, assignedAt: at(2) })) });
    }
    return exp.id;
  }
  const variants = (r: ExperimentReport | null) => r!.variants;

  it("counts settled tasks only: none yet, then the paid ones, then the open ones once past their deadline", async () => {
    const id = await scenario();
    // Day 5, nothing settled. Counting every task, A's ¥1 000 would be spread over 40·2 + 10·3 = 110 new paying members
    // (909 fen) against B's ¥5 000 over 100 (5 000 fen): B "costs more" only because A's open tasks pay nothing yet.
    let [a, b] = variants(await experimentReport(database.prisma, id, at(5)));
    expect(a).toMatchObject({ newPaying: 110, cashbackFen: 100_000, settledNewPaying: 0, settledCashbackFen: 0, costPerNewPayingFen: null });
    expect(b).toMatchObject({ newPaying: 100, cashbackFen: 500_000, settledNewPaying: 0, settledCashbackFen: 0, costPerNewPayingFen: null });
    let report = (await experimentReport(database.prisma, id, at(5)))!;
    expect(report.costTest).toBeNull();
    expect(report.verdict.kind === "not_enough_data" ? null : report.verdict.facts.cost).toBeNull();

    // The met tasks confirmed and paid: A's 10 settled tasks owe ¥1 000 for 30 new paying members = floor(3 333.3) fen;
    // B's 50 owe ¥5 000 for 100 = 5 000 fen. A's 40 open tasks are still in their window: not counted.
    await database.prisma.rebateTask.updateMany({ where: { status: "MET" }, data: { status: "PAID" } });
    [a, b] = variants(await experimentReport(database.prisma, id, at(5)));
    expect(a).toMatchObject({ settledNewPaying: 30, settledCashbackFen: 100_000, costPerNewPayingFen: 3_333 });
    expect(b).toMatchObject({ settledNewPaying: 100, settledCashbackFen: 500_000, costPerNewPayingFen: 5_000 });
    // The cost test's units: members with a settled task (A's 10, each x = 10 000, y = 3; B's 50, x = 10 000, y = 2).
    expect(a.costSums).toEqual({ units: 10, sumX: 100_000, sumY: 30, sumXX: 10 * 10_000 ** 2, sumXY: 10 * 30_000, sumYY: 10 * 9 });
    expect(b.costSums).toEqual({ units: 50, sumX: 500_000, sumY: 100, sumXX: 50 * 10_000 ** 2, sumXY: 50 * 20_000, sumYY: 50 * 4 });

    // Day 32: A's open tasks are past their deadline (they can only expire): their 80 invitees now count, at no cost:
    // ¥1 000 over 110 = floor(909.09) fen.
    report = (await experimentReport(database.prisma, id, at(32)))!;
    [a, b] = report.variants;
    expect(a).toMatchObject({ settledNewPaying: 110, settledCashbackFen: 100_000, costPerNewPayingFen: 909 });
    expect(a.costSums.units).toBe(50);
    expect(b).toMatchObject({ costPerNewPayingFen: 5_000 });
  });
});

describe("invitees stay with the group of the sponsor they signed up under", () => {
  let database: Database;
  beforeEach(async () => {
    database = await freshDatabase();
    await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 500 });
    // Below the minimum anchor: an invitee's first order counts for a task without opening one of its own.
    await createSimpleProduct(database.prisma, { sku: "cup", name: "茶杯", priceFen: 1_000, category: "tea", stock: 500 });
    await saveRules(database.prisma, OWNER, { config: { rebate: { minAnchorFen: 5_000 } }, reason: "满 50 元开任务" }, at(-1));
  });
  afterEach(() => database.close());

  const db = () => database.prisma;
  const member = (username: string, sponsorId: number | null, now: Date) => inTx(db(), { now }, (ctx) => registerMember(ctx, { username, sponsorId }));
  async function paidOrder(memberId: number, now: Date, sku: string) {
    const o = await inTx(db(), { now }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku, qty: 1 }] }));
    await inTx(db(), { now }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  }
  let request = 0;
  async function move(memberId: number, to: number, now: Date) {
    request++;
    const { id } = await inTx(db(), { now }, (ctx) => requestSponsorChange(ctx, { memberId, to, reason: "客户申请改绑" }, { staffId: 101, requestId: `req-mv-${request}a` }));
    await inTx(db(), { now }, (ctx) => decideSponsorChange(ctx, id, true, null, { staffId: 202, requestId: `req-mv-${request}b` }));
    expect(await runSponsorChanges(db(), { now })).toBe(1);
  }

  it("moved to a B holder after signing up under an A holder (one after their first order counted): still A's", async () => {
    const exp = await startExperimentTx(db(), OWNER, { name: "半价返现", hypothesis: "", variantPercent: 50, variantRebate: { percent: 50 } }, t0);
    const { salt } = await db().experiment.findUniqueOrThrow({ where: { id: exp.id } });
    const holder: Partial<Record<"A" | "B", number>> = {};
    for (let i = 0; !holder.A || !holder.B; i++) {
      const m = await member(`s${i}`, null, t0);
      holder[variantFor(salt, m.id, 50)] ??= m.id;
    }
    await paidOrder(holder.A!, at(1), "tea");
    await paidOrder(holder.B!, at(1), "tea");
    // x signs up under A's holder and pays: assigned to its task; y signs up and does not buy.
    const x = await member("x", holder.A!, at(2));
    await paidOrder(x.id, at(2), "cup");
    const y = await member("y", holder.A!, at(2));
    expect(await db().rebateAssignment.count({ where: { inviteeId: x.id, task: { memberId: holder.A! } } })).toBe(1);
    // Both moved under B's holder, whose task's window (day 1 to 31) covers their signup on day 2.
    await move(x.id, holder.B!, at(3));
    await move(y.id, holder.B!, at(3));
    expect((await db().member.findMany({ where: { id: { in: [x.id, y.id] } }, select: { sponsorId: true } })).map((m) => m.sponsorId)).toEqual([holder.B, holder.B]);

    const [a, b] = (await experimentReport(db(), exp.id, at(4)))!.variants;
    // A: invited x and y, x converted (1/2); B invited nobody.
    expect(a).toMatchObject({ invited: 2, converted: 1, conversion: 0.5 });
    expect(b).toMatchObject({ invited: 0, converted: 0, conversion: null });
  });
});

describe("the report page", () => {
  const rebate = { enabled: true, n: 3, percent: 100, windowDays: 30, capFen: 500, minAnchorFen: 0, payout: "credit" as const };
  const group = (variant: "A" | "B", invited: number, converted: number): VariantResult => ({
    variant, rebate, tasks: 40, members: 40, metMembers: 0, metRate: 0, metInterval: null, newPaying: converted, inviteesPerTask: null,
    invited, converted, conversion: converted / invited, conversionInterval: null, kFactor: null,
    cashbackFen: 0, settledNewPaying: 0, settledCashbackFen: 0, costPerNewPayingFen: null, costSums: { units: 0, sumX: 0, sumY: 0, sumXX: 0, sumXY: 0, sumYY: 0 },
  });
  const conversionTest = twoProportionTest(10, 40, 20, 40)!;
  const report: ExperimentReport = {
    id: 7, name: "半价返现", hypothesis: "", status: "ENDED", variantPercent: 50, startedAt: t0, endedAt: at(40), winner: "A", promotedVersion: null,
    variants: [group("A", 40, 10), group("B", 40, 20)], metTest: null, conversionTest, costTest: null, costChange: null,
    verdict: { kind: "not_enough_data", facts: { minMembers: 30, membersA: 40, membersB: 40 } },
  };
  const render = (locale: "zh-CN" | "en") =>
    renderInProviders(createElement(ExperimentsClient, { canEdit: false }), locale, (trpc, qc) => {
      qc.setQueryData(trpc.merchantExperiments.list.queryKey(), [{ id: 7, name: "半价返现", status: "ENDED", variantPercent: 50, startedAt: t0, endedAt: at(40), winner: "A", promotedVersion: null }] as never);
      qc.setQueryData(trpc.merchantRules.overview.queryKey(), { active: { rebate } } as never);
      qc.setQueryData(trpc.merchantExperiments.report.queryKey({ id: 7 }), report as never);
    }).html.replaceAll("<!-- -->", "");

  it("shows the conversion difference (B − A) with its 95% interval and p-value", () => {
    // 10/40 against 20/40: +25.0 points; pooled 30/80 = 0.375, SE = √(0.375·0.625·(1/40 + 1/40)) = 0.108253,
    //   z = 0.25 / 0.108253 = 2.3094, p = 2·(1 − Φ(2.3094)) = 2·(1 − 0.98954) = 0.021.
    expect(conversionTest.pValue).toBeCloseTo(0.0209, 3);
    const low = (conversionTest.interval.low * 100).toFixed(1);
    const high = (conversionTest.interval.high * 100).toFixed(1);
    const en = render("en");
    expect(en).toContain("Invitee conversion difference (B − A)");
    expect(/data-testid="exp-conversion-diff">([^<]*)</.exec(en)?.[1]).toBe(`25.0 points (95% interval ${low} to ${high}, p = 0.021)`);
    expect(/data-testid="exp-conversion-diff">([^<]*)</.exec(render("zh-CN"))?.[1]).toBe(`25.0 个百分点（95% 区间 ${low} ~ ${high}，p = 0.021）`);
  });

  it("words the settings in the viewer's language, and defines the cost on hover", () => {
    const en = render("en");
    expect(en).toContain("Invite 3, 100% back, within 30 days, up to ¥5.00, Store credit");
    // No Chinese punctuation written into the English page (the experiment's own name aside).
    expect(en.replaceAll("半价返现", "")).not.toMatch(/[，：≤]/);
    expect(en).toContain("Results: 半价返现");
    expect(render("zh-CN")).toContain("邀 3 人返 100%，30 天内，封顶 ¥5.00，");
    expect(en).toContain('title="Cashback of the cashback tasks whose outcome is settled');
  });
});

describe("ending an experiment with B", () => {
  let database: Database;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(() => database.close());

  it("cuts the promoted version's reason at 200 characters, never inside an emoji", async () => {
    // 「实验「X」结束，采用 B 组规则：」 is 17 UTF-16 units (one each): the emoji (two units each) after it straddle any even cut.
    const exp = await startExperimentTx(database.prisma, OWNER, { name: "X", hypothesis: "", variantPercent: 50, variantRebate: { percent: 50 } }, t0);
    const prefix = "实验「X」结束，采用 B 组规则：";
    expect(prefix.length).toBe(17);
    await endExperimentTx(database.prisma, OWNER, { id: exp.id, winner: "B", reason: "🍵".repeat(200) }, at(1));
    const { reason } = await database.prisma.ruleVersion.findFirstOrThrow({ orderBy: { version: "desc" } });
    // 17 characters, then 183 whole emoji (a cut at 200 UTF-16 units would keep 91 and half of the 92nd).
    expect(reason).toBe(prefix + "🍵".repeat(183));
  });
});
