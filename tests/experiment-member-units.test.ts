// A/B experiments test members, the unit of assignment: a member with several 推三返一 tasks in a group
// counts once in the two-proportion test's n (their tasks are not independent), and in the minimum the
// verdict waits for. Tasks opened stay on the page as a descriptive count.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Database } from "../server/db";
import { inTx } from "../server/context";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment } from "../server/orders";
import { createSimpleProduct } from "../server/catalog/admin";
import { saveRules } from "../server/rules";
import { DAY } from "../server/clock/time";
import { experimentReport, startExperimentTx, variantFor, verdictOf, type VariantResult } from "../server/experiments";
import { twoProportionTest } from "../server/experiments/stats";
import { verdictText } from "../server/experiments/verdict-text";
import { MESSAGES } from "@/lib/i18n/messages";
import { createT } from "@/lib/i18n/core";
import { freshDatabase } from "./helpers/db";

const OWNER = { staffId: 1, requestId: "req-exp-units" };
const zh = createT("zh-CN", MESSAGES["zh-CN"]);

describe("experiment statistics count members, not tasks", () => {
  let database: Database;
  const t0 = new Date("2026-06-01T02:00:00Z");
  const at = (days: number) => new Date(t0.getTime() + days * DAY);

  beforeEach(async () => {
    database = await freshDatabase();
    await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 500 });
    // Below the minimum anchor: an invitee's first order counts for a task without opening one of its own.
    await createSimpleProduct(database.prisma, { sku: "cup", name: "茶杯", priceFen: 1_000, category: "tea", stock: 500 });
    // One invitee meets a task, so each invitee's first order meets one task.
    await saveRules(database.prisma, OWNER, { config: { rebate: { n: 1, minAnchorFen: 5_000 } }, reason: "邀 1 人即返" }, new Date(t0.getTime() - DAY));
  });
  afterEach(() => database.close());

  const db = () => database.prisma;
  const member = (username: string, sponsorId: number | null, now: Date) => inTx(db(), { now }, (ctx) => registerMember(ctx, { username, sponsorId }));
  async function paidOrder(memberId: number, now: Date, sku = "tea") {
    const o = await inTx(db(), { now }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku, qty: 1 }] }));
    await inTx(db(), { now }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    return o;
  }
  /** An invitee of `sponsorId` signs up and pays a first order below the anchor minimum. */
  const invitee = async (username: string, sponsorId: number, now: Date) => paidOrder((await member(username, sponsorId, now)).id, now, "cup");

  it("a member with four tasks is one unit of the test's n", async () => {
    const exp = await startExperimentTx(db(), OWNER, { name: "半价返现", hypothesis: "", variantPercent: 50, variantRebate: { percent: 50 } }, t0);
    const { salt } = await db().experiment.findUniqueOrThrow({ where: { id: exp.id } });
    const groups: Record<"A" | "B", number[]> = { A: [], B: [] };
    for (let i = 0; groups.A.length < 3 || groups.B.length < 2; i++) {
      const m = await member(`s${i}`, null, t0);
      groups[variantFor(salt, m.id, 50)].push(m.id);
    }
    const [a1, a2, a3] = groups.A as [number, number, number];
    const [b1, b2] = groups.B as [number, number];
    // A: a1 opens 4 tasks, two of them met (each invitee counts for the oldest open task); a2 opens 1, met; a3 opens 1.
    for (let k = 0; k < 4; k++) await paidOrder(a1, at(1));
    await paidOrder(a2, at(1));
    await paidOrder(a3, at(1));
    await invitee("a1-x", a1, at(2));
    await invitee("a1-y", a1, at(2));
    await invitee("a2-x", a2, at(2));
    // B: two members, one task each, none met.
    await paidOrder(b1, at(1));
    await paidOrder(b2, at(1));

    // The met tasks confirmed and paid, the others past their 30-day deadline: every outcome settled, so the cost counts them all.
    await db().rebateTask.updateMany({ where: { status: "MET" }, data: { status: "PAID" } });
    const report = (await experimentReport(db(), exp.id, at(32)))!;
    // Members: 2/3 against 0/2. pooled 2/5 = 0.4; SE = √(0.4·0.6·(1/3 + 1/2)) = √0.2 = 0.447214;
    //   z = −0.666667 / 0.447214 = −1.4907; p = 2·(1 − Φ(1.4907)) = 2·(1 − 0.93198) = 0.136.
    // (Counting tasks, 3/6 against 0/2, would give pooled 3/8, SE = √(0.375·0.625·(1/6 + 1/2)) = 0.395285, z = −1.2649, p = 0.206.)
    // Newcombe, from the Wilson intervals worked below: low = −0.666667 − √(0² + (0.938508 − 0.666667)²) = −0.938508;
    //   high = −0.666667 + √(0.657620² + (0.666667 − 0.207660)²) = −0.666667 + √(0.432464 + 0.210687) = −0.666667 + 0.801967 = 0.1353.
    const test = report.metTest!;
    expect(test.difference).toBeCloseTo(-2 / 3, 10);
    expect(test.z).toBeCloseTo(-1.4907, 3);
    expect(test.pValue).toBeCloseTo(0.136, 3);
    expect(test.interval.low).toBeCloseTo(-0.938508, 4);
    expect(test.interval.high).toBeCloseTo(0.1353, 4);
    const [a, b] = report.variants;
    // A: 6 tasks (3 met) but 3 members, 2 of whom completed a task; B: 2 members, 0 completed.
    expect(a).toMatchObject({ tasks: 6, members: 3, metMembers: 2, newPaying: 3, inviteesPerTask: 0.5, kFactor: 1 });
    expect(b).toMatchObject({ tasks: 2, members: 2, metMembers: 0, newPaying: 0, inviteesPerTask: 0, kFactor: 0, costPerNewPayingFen: null });
    // A's three paid tasks each owe 100% of ¥100: 30 000 fen for 3 new paying members = 10 000 fen each.
    expect(a).toMatchObject({ cashbackFen: 30_000, costPerNewPayingFen: 10_000 });
    // The cost test's units are members too: a1 (x = 20 000 fen, y = 2), a2 (10 000, 1), a3 (0, 0); B's two members (0, 0).
    expect(a.costSums).toEqual({ units: 3, sumX: 30_000, sumY: 3, sumXX: 20_000 ** 2 + 10_000 ** 2, sumXY: 20_000 * 2 + 10_000, sumYY: 2 ** 2 + 1 });
    expect(b.costSums).toEqual({ units: 2, sumX: 0, sumY: 0, sumXX: 0, sumXY: 0, sumYY: 0 });
    // B has no new paying member: no cost to test.
    expect(report.costTest).toBeNull();
    expect(a.metRate).toBeCloseTo(2 / 3, 10);
    expect(b.metRate).toBe(0);
    // Wilson 2/3 (z² = 3.841459): denom = 1 + 3.841459/3 = 2.280486; centre = (0.666667 + 0.640243) / 2.280486 = 0.573084;
    //   half = 1.959964·√(0.222222/3 + 3.841459/36) / 2.280486 = 1.959964·√0.180781 / 2.280486 = 0.365424 → [0.207660, 0.938508].
    expect(a.metInterval!.low).toBeCloseTo(0.20766, 4);
    expect(a.metInterval!.high).toBeCloseTo(0.938508, 4);
    // Wilson 0/2: [0, z²/(n + z²)] = [0, 3.841459 / 5.841459] = [0, 0.6576].
    expect(b.metInterval!.low).toBe(0);
    expect(b.metInterval!.high).toBeCloseTo(0.6576, 4);
    // The verdict waits for 30 members per group, and says so in members.
    expect(report.verdict).toEqual({ kind: "not_enough_data", facts: { minMembers: 30, membersA: 3, membersB: 2 } });
    expect(verdictText(zh, report.verdict)).toBe("数据还不够：每组至少需要 30 位开启返现任务的会员（A 组 3 位，B 组 2 位）");
  });
});

describe("the verdict's minimum", () => {
  const group = (variant: "A" | "B", tasks: number, members: number, metMembers: number): VariantResult => ({
    variant, rebate: null, tasks, members, metMembers, metRate: metMembers / members, metInterval: null, newPaying: 0,
    inviteesPerTask: null, invited: 0, converted: 0, conversion: null, conversionInterval: null, kFactor: null,
    cashbackFen: 0, settledNewPaying: 0, settledCashbackFen: 0, costPerNewPayingFen: null, costSums: { units: members, sumX: 0, sumY: 0, sumXX: 0, sumXY: 0, sumYY: 0 },
  });

  it("counts members: 40 tasks of 29 members are not enough", () => {
    const v = verdictOf(group("A", 40, 29, 5), group("B", 100, 100, 60), twoProportionTest(5, 29, 60, 100), null);
    expect(v).toEqual({ kind: "not_enough_data", facts: { minMembers: 30, membersA: 29, membersB: 100 } });
  });
});
