// SPEC §7 阶梯奖励 clauses the scenario files and tests/integration/step-bonus.test.ts leave unproved: month
// boundaries in a merchant time zone other than the default (§10 `timeZone`), direct sales in the sponsor tree
// when commissions follow the matrix, a 0 bps bracket, a refund refused after the month closed, the bracket
// ranges, a distributor suspended by staff, and a late run after a rule change (a change never alters what was earned).
import { afterEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { checkRuleSet, saveRules } from "../server/rules";
import { parseConfig, type MallConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment, shipOrder, confirmDelivery, completeOrder } from "../server/orders";
import { ensureRecurringTransitions, runDueTransitions } from "../server/scheduler";
import { payMonthlyStepBonus } from "../server/bonus/step";
import { runScenario, type ScenarioOutput } from "../server/scenario/run";
import { freshDatabase } from "./helpers/db";
import { teaShop } from "./helpers/shop";

type Ev = Record<string, unknown>;
const reg = (at: string, user: string, sponsor?: string): Ev => ({ at, type: "register", user, ...(sponsor ? { sponsor } : {}), ip: `ip-${user}`, device: `dev-${user}` });
const order = (at: string, name: string, user: string, sku = "tea"): Ev => ({ at, type: "order", order: name, user, lines: [{ sku, qty: 1 }], address: `addr-${user}` });
const ev = (at: string, type: string, name?: string): Ev => ({ at, type, ...(name ? { order: name } : {}) });
const zero = { pending: 0, available: 0, withdrawing: 0, withdrawn: 0, credit: 0 };
const wallets = (out: ScenarioOutput) => Object.fromEntries(Object.entries(out.users).map(([u, v]) => [u, v.wallet]));

/** Replays a scenario and returns its output with the stepped bonus rows it paid (by member name, then month). */
async function replay(scenario: object) {
  let rows: { user: string; month: string; salesFen: number; bps: number; amountFen: number; createdAt: Date }[] = [];
  const out = await runScenario(scenario, {
    open: freshDatabase,
    inspect: async (db: Db) => {
      const paid = await db.stepBonus.findMany();
      const names = new Map((await db.member.findMany({ select: { id: true, username: true } })).map((m) => [m.id, m.username]));
      rows = paid
        .map((b) => ({ user: names.get(b.memberId)!, month: b.month, salesFen: Number(b.salesFen), bps: b.bps, amountFen: b.amountFen, createdAt: b.createdAt }))
        .sort((a, b) => (a.user + a.month < b.user + b.month ? -1 : 1));
    },
  });
  return { out, rows };
}

describe("SPEC §7 stepped bonus in a replay", () => {
  it("closes the month at 00:00 of the merchant's own zone (Europe/London, after the switch to summer time)", async () => {
    const { out, rows } = await replay({
      config: { timeZone: "Europe/London", rebate: { enabled: false }, tiers: [{ name: "member" }], stepBonus: { brackets: [{ minFen: 0, bps: 500 }, { minFen: 25000, bps: 1000 }] } },
      products: [
        { sku: "tea", priceFen: 10000, category: "fmcg", stock: 100 },
        { sku: "kit", priceFen: 20000, category: "fmcg", stock: 100 },
      ],
      events: [
        reg("2026-03-01T09:00:00Z", "alice"),
        reg("2026-03-01T09:01:00Z", "bob", "alice"),
        order("2026-03-20T10:00:00Z", "o1", "bob"),
        ev("2026-03-20T10:01:00Z", "pay", "o1"),
        order("2026-03-20T10:02:00Z", "o2", "bob", "kit"),
        ev("2026-03-20T10:03:00Z", "pay", "o2"),
        ev("2026-03-24T22:30:00Z", "deliver", "o1"),
        ev("2026-03-24T23:30:00Z", "deliver", "o2"),
        ev("2026-04-01T10:00:00Z", "refund", "o1"),
        ev("2026-04-30T23:00:00Z", "advance"),
      ],
    });
    // London is on BST (UTC+1) from 29 March: April starts 2026-03-31T23:00Z, May 2026-04-30T23:00Z.
    // o1 COMPLETED 7 × 24 h after delivery = 03-31T22:30Z = 23:30 on 31 March London -> March.
    // o2 COMPLETED 03-31T23:30Z = 00:30 on 1 April London -> April (in Asia/Shanghai both would be April).
    // March: alice 10000 -> 500 bps -> 500, paid at 03-31T23:00Z. April: 20000 < 25000 -> 500 bps -> 1000, at 04-30T23:00Z.
    // The refund of o1 after the month closed is refused (COMPLETED), so March's sales stand.
    expect(rows).toEqual([
      { user: "alice", month: "2026-03", salesFen: 10000, bps: 500, amountFen: 500, createdAt: new Date("2026-03-31T23:00:00Z") },
      { user: "alice", month: "2026-04", salesFen: 20000, bps: 500, amountFen: 1000, createdAt: new Date("2026-04-30T23:00:00Z") },
    ]);
    expect(out.orders.o1.status).toBe("COMPLETED");
    // L1 10%: o1 1000 settled at T+1 = 1 April 00:00 London, o2 2000 on 2 April; plus 500 + 1000 of bonus.
    expect(out.commissions).toEqual([
      { order: "o1", beneficiary: "alice", level: 1, amountFen: 1000, status: "SETTLED" },
      { order: "o2", beneficiary: "alice", level: 1, amountFen: 2000, status: "SETTLED" },
    ]);
    expect(wallets(out)).toEqual({ alice: { ...zero, available: 4500 }, bob: zero });
  });

  it("counts direct sales in the sponsor tree when commissions follow the matrix; a 0 bps bracket pays nothing", async () => {
    const { out, rows } = await replay({
      config: { commission: { tree: "matrix" }, rebate: { enabled: false }, tiers: [{ name: "member" }], stepBonus: { brackets: [{ minFen: 0, bps: 0 }, { minFen: 10000, bps: 1000 }] } },
      products: [
        { sku: "tea", priceFen: 10000, category: "fmcg", stock: 100 },
        { sku: "pen", priceFen: 5000, category: "fmcg", stock: 100 },
      ],
      events: [
        reg("2026-03-02T09:00:00+08:00", "alice"),
        reg("2026-03-02T09:01:00+08:00", "b1", "alice"),
        reg("2026-03-02T09:02:00+08:00", "b2", "alice"),
        reg("2026-03-02T09:03:00+08:00", "b3", "alice"),
        reg("2026-03-02T09:04:00+08:00", "carol"),
        reg("2026-03-02T09:05:00+08:00", "b4", "alice"),
        reg("2026-03-02T09:06:00+08:00", "dave", "carol"),
        order("2026-03-02T10:00:00+08:00", "o1", "b4"),
        ev("2026-03-02T10:01:00+08:00", "pay", "o1"),
        order("2026-03-02T10:10:00+08:00", "o2", "dave", "pen"),
        ev("2026-03-02T10:11:00+08:00", "pay", "o2"),
        ev("2026-03-03T10:00:00+08:00", "deliver", "o1"),
        ev("2026-03-03T10:01:00+08:00", "deliver", "o2"),
        ev("2026-04-01T00:00:00+08:00", "advance"),
      ],
    });
    // b4 is alice's fourth direct: alice's three seats are full, so b4 spills under b1 (level 3, position 0).
    expect(out.users.b4).toMatchObject({ sponsor: "alice", seat: { parent: "b1", level: 3, position: 0 } });
    // Matrix commissions: o1 b1 L1 1000, alice L2 500; o2 (dave under carol) carol L1 500; all SETTLED 03-11.
    expect(out.commissions).toEqual([
      { order: "o1", beneficiary: "b1", level: 1, amountFen: 1000, status: "SETTLED" },
      { order: "o1", beneficiary: "alice", level: 2, amountFen: 500, status: "SETTLED" },
      { order: "o2", beneficiary: "carol", level: 1, amountFen: 500, status: "SETTLED" },
    ]);
    // Direct sales (sponsor tree): alice 10000 -> 1000 bps -> 1000; b1 none (b4 is not b1's direct);
    // carol 5000 -> the 0 bps bracket -> 0 fen, not recorded.
    expect(rows.map(({ createdAt: _, ...r }) => r)).toEqual([{ user: "alice", month: "2026-03", salesFen: 10000, bps: 1000, amountFen: 1000 }]);
    expect(wallets(out)).toMatchObject({ alice: { ...zero, available: 1500 }, b1: { ...zero, available: 1000 }, carol: { ...zero, available: 500 } });
  });
});

describe("SPEC §7 bracket rules", () => {
  const refused = (brackets: unknown) => {
    const r = checkRuleSet({ stepBonus: { brackets } });
    return r.ok ? [] : r.issues.map((i) => i.path);
  };
  it("minFen ≥ 0, both integers, at most 10", () => {
    expect(refused([{ minFen: -1, bps: 100 }])).toEqual(["stepBonus.brackets.0.minFen"]);
    expect(refused([{ minFen: 0, bps: 100.5 }])).toEqual(["stepBonus.brackets.0.bps"]);
    expect(refused([{ minFen: 0, bps: 100 }, { minFen: 0, bps: 200 }])).toEqual(["stepBonus.brackets.1.minFen"]);
    // Ten brackets (0, 1000, …, 9000 fen at 100 … 109 bps) are the most allowed.
    expect(refused(Array.from({ length: 10 }, (_, i) => ({ minFen: i * 1000, bps: 100 + i })))).toEqual([]);
  });
});

describe("SPEC §7 stepped bonus in the engine", () => {
  let database: Database;
  afterEach(() => database?.close());
  const db = () => database.prisma;
  const MARCH_2 = new Date("2026-03-02T09:00:00+08:00");
  const APRIL_1 = new Date("2026-04-01T00:00:00+08:00");
  const withBrackets = (brackets: MallConfig["stepBonus"]["brackets"]) => parseConfig({ rebate: { enabled: false }, tiers: [{ name: "member" }], stepBonus: { brackets } });

  /** A sponsor whose direct's 100 元 order completes on 10 March (rules in force from the database unless given). */
  async function sponsorWithMarchSale(name: string, config?: MallConfig) {
    const o = config ? { config } : {};
    const s = await inTx(db(), { ...o, now: MARCH_2 }, (ctx) => registerMember(ctx, { username: name, ip: `ip-${name}`, device: `d-${name}` }));
    const b = await inTx(db(), { ...o, now: MARCH_2 }, (ctx) => registerMember(ctx, { username: `${name}-b`, sponsorId: s.id, ip: `ip-${name}-b`, device: `d-${name}-b` }));
    const ord = await inTx(db(), { ...o, now: MARCH_2 }, (ctx) => createOrder(ctx, { memberId: b.id, lines: [{ sku: "tea", qty: 1 }] }));
    await inTx(db(), { ...o, now: MARCH_2 }, (ctx) => confirmPayment(ctx, { orderId: ord.id, provider: "sandbox", providerTxnId: `t${ord.id}`, amountFen: ord.payableFen, currency: "CNY" }));
    await inTx(db(), { ...o, now: new Date("2026-03-03T10:00:00+08:00") }, async (ctx) => {
      await shipOrder(ctx, ord.id);
      await confirmDelivery(ctx, ord.id);
    });
    await inTx(db(), { ...o, now: new Date("2026-03-10T10:00:00+08:00") }, (ctx) => completeOrder(ctx, ord.id));
    return s.id;
  }
  const bonusOf = (memberId: number) => db().stepBonus.findMany({ where: { memberId }, select: { month: true, salesFen: true, bps: true, amountFen: true } });

  it("a late run pays the month by the rules in force when it closed, not by a change saved since", async () => {
    database = await freshDatabase();
    await teaShop(db());
    await saveRules(db(), null, { config: withBrackets([{ minFen: 0, bps: 500 }]), reason: "阶梯奖励 5%" }, new Date("2026-02-01T00:00:00+08:00"));
    await inTx(db(), { now: MARCH_2 }, (ctx) => ensureRecurringTransitions(ctx));
    const s = await sponsorWithMarchSale("s");
    // The run due on 1 April did not happen (the process was down); on 10 April the merchant ends the program.
    await saveRules(db(), null, { config: withBrackets([]), reason: "阶梯奖励结束" }, new Date("2026-04-10T09:00:00+08:00"));
    const late = new Date("2026-04-12T09:00:00+08:00");
    await runDueTransitions(db(), late, { clock: "wall", now: late });
    // March closed at 1 April 00:00 under 5%: 10000 × 500 / 10000 = 500, whatever was saved on 10 April.
    expect(await bonusOf(s)).toEqual([{ month: "2026-03", salesFen: 10000n, bps: 500, amountFen: 500 }]);
    expect(Number((await db().wallet.findUniqueOrThrow({ where: { memberId: s } })).available)).toBe(1000 + 500);
  });

  it("the same through a direct call with no rules given (the Inngest cron's path)", async () => {
    database = await freshDatabase();
    await teaShop(db());
    await saveRules(db(), null, { config: withBrackets([{ minFen: 0, bps: 500 }]), reason: "阶梯奖励 5%" }, new Date("2026-02-01T00:00:00+08:00"));
    const s = await sponsorWithMarchSale("s");
    // Raised to 10% from 5 April: March keeps 5% -> 500, not 1000.
    await saveRules(db(), null, { config: withBrackets([{ minFen: 0, bps: 1000 }]), reason: "阶梯奖励 10%" }, new Date("2026-04-05T09:00:00+08:00"));
    await payMonthlyStepBonus(db(), { now: new Date("2026-04-06T09:00:00+08:00"), instant: APRIL_1 });
    expect(await bonusOf(s)).toEqual([{ month: "2026-03", salesFen: 10000n, bps: 500, amountFen: 500 }]);
  });

  it("a distributor suspended by staff at the instant earns nothing; one suspended after it still earns the month", async () => {
    database = await freshDatabase();
    await teaShop(db());
    const config = withBrackets([{ minFen: 0, bps: 500 }]);
    await db().mallConfig.create({ data: { data: config as object } });
    const before = await sponsorWithMarchSale("before", config);
    const after = await sponsorWithMarchSale("after", config);
    await db().member.update({ where: { id: before }, data: { distributorDisabledAt: new Date("2026-03-31T12:00:00+08:00") } });
    await db().member.update({ where: { id: after }, data: { distributorDisabledAt: new Date("2026-04-02T12:00:00+08:00") } });
    await payMonthlyStepBonus(db(), { now: new Date("2026-04-03T09:00:00+08:00"), instant: APRIL_1, config });
    // 5% of 10000 = 500 for `after` only.
    expect(await bonusOf(before)).toEqual([]);
    expect(await bonusOf(after)).toEqual([{ month: "2026-03", salesFen: 10000n, bps: 500, amountFen: 500 }]);
  });
});
