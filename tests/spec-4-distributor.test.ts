// SPEC §4 分销资格 clauses the scenario files and the history tests leave unproved: the spend minimum is ignored
// outside `spend`; a refund of the qualifying order under `first_order` takes nothing away; `spend` counts
// COMPLETED orders; binding, the matrix and 推三返一 do not depend on the status; the status is kept while
// commissions are switched off (across rule versions); two payments of one member at once are summed.
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { defaultConfig, type MallConfig } from "../server/config/schema";
import { saveRules } from "../server/rules";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment } from "../server/orders";
import { runScenario, type ScenarioOutput } from "../server/scenario/run";
import { DAY } from "../server/clock/time";
import { freshDatabase } from "./helpers/db";
import { teaShop } from "./helpers/shop";

type Ev = Record<string, unknown>;
const reg = (at: string, user: string, sponsor?: string): Ev => ({ at, type: "register", user, ...(sponsor ? { sponsor } : {}), ip: `ip-${user}`, device: `dev-${user}` });
const order = (at: string, name: string, user: string, sku = "tea"): Ev => ({ at, type: "order", order: name, user, lines: [{ sku, qty: 1 }], address: `addr-${user}` });
const ev = (at: string, type: string, name?: string): Ev => ({ at, type, ...(name ? { order: name } : {}) });
const wallets = (out: ScenarioOutput) => Object.fromEntries(Object.entries(out.users).map(([u, v]) => [u, v.wallet]));
const zero = { pending: 0, available: 0, withdrawing: 0, withdrawn: 0, credit: 0 };
const replay = (scenario: object) => runScenario(scenario, { open: freshDatabase });

describe("SPEC §4 distributor modes in a replay", () => {
  it("first_order ignores distributorMinSpendFen, and a refund of the qualifying order keeps the status", async () => {
    const out = await replay({
      config: { commission: { distributorMode: "first_order", distributorMinSpendFen: 50000 }, rebate: { enabled: false }, tiers: [{ name: "member" }] },
      products: [{ sku: "tea", priceFen: 10000, category: "fmcg", stock: 100 }],
      events: [
        reg("2026-03-02T09:00:00+08:00", "alice"),
        reg("2026-03-02T09:01:00+08:00", "bob", "alice"),
        reg("2026-03-02T09:02:00+08:00", "carol", "bob"),
        order("2026-03-02T10:00:00+08:00", "o1", "bob"),
        ev("2026-03-02T10:01:00+08:00", "pay", "o1"),
        ev("2026-03-02T10:30:00+08:00", "refund", "o1"),
        order("2026-03-02T11:00:00+08:00", "o2", "carol"),
        ev("2026-03-02T11:01:00+08:00", "pay", "o2"),
      ],
    });
    // o1 (bob, 10000): bob becomes a distributor by paying (the 50000 minimum is ignored outside `spend`);
    //   alice never paid -> L1 10% = 1000 FORFEITED, which the refund leaves as it is (final).
    // o1 refunded: bob stays a distributor. o2 (carol, 10000): bob L1 1000 PENDING; alice L2 5% = 500 FORFEITED.
    expect(out.commissions).toEqual([
      { order: "o1", beneficiary: "alice", level: 1, amountFen: 1000, status: "FORFEITED" },
      { order: "o2", beneficiary: "bob", level: 1, amountFen: 1000, status: "PENDING" },
      { order: "o2", beneficiary: "alice", level: 2, amountFen: 500, status: "FORFEITED" },
    ]);
    // A forfeited entry leaves the money with the merchant: alice's wallet stays empty.
    expect(wallets(out)).toEqual({ alice: zero, bob: { ...zero, pending: 1000 }, carol: zero });
  });

  it("spend sums every paid, unrefunded order, COMPLETED ones included", async () => {
    const out = await replay({
      config: { commission: { distributorMode: "spend", distributorMinSpendFen: 25000 }, rebate: { enabled: false }, tiers: [{ name: "member" }] },
      products: [
        { sku: "tea", priceFen: 10000, category: "fmcg", stock: 100 },
        { sku: "kit", priceFen: 15000, category: "fmcg", stock: 100 },
      ],
      events: [
        reg("2026-03-02T09:00:00+08:00", "alice"),
        reg("2026-03-02T09:01:00+08:00", "bob", "alice"),
        reg("2026-03-02T09:02:00+08:00", "carol", "bob"),
        order("2026-03-02T10:00:00+08:00", "o1", "bob"),
        ev("2026-03-02T10:01:00+08:00", "pay", "o1"),
        ev("2026-03-03T10:00:00+08:00", "deliver", "o1"),
        order("2026-03-11T10:00:00+08:00", "o2", "bob", "kit"),
        ev("2026-03-11T10:01:00+08:00", "pay", "o2"),
        order("2026-03-11T11:00:00+08:00", "o3", "carol"),
        ev("2026-03-11T11:01:00+08:00", "pay", "o3"),
      ],
    });
    // o1 bob 10000 < 25000: not yet; alice L1 1000 FORFEITED. o1 delivered 03-03 -> COMPLETED 03-10 10:00.
    // o2 bob 15000 at 03-11: o1 (COMPLETED, 10000) + o2 15000 = 25000 >= 25000 -> bob is a distributor; alice L1 1500 FORFEITED.
    // o3 carol 10000: bob L1 1000 PENDING (were COMPLETED left out, bob's 15000 would forfeit it); alice L2 500 FORFEITED.
    expect(out.orders.o1.status).toBe("COMPLETED");
    expect(out.commissions).toEqual([
      { order: "o1", beneficiary: "alice", level: 1, amountFen: 1000, status: "FORFEITED" },
      { order: "o2", beneficiary: "alice", level: 1, amountFen: 1500, status: "FORFEITED" },
      { order: "o3", beneficiary: "bob", level: 1, amountFen: 1000, status: "PENDING" },
      { order: "o3", beneficiary: "alice", level: 2, amountFen: 500, status: "FORFEITED" },
    ]);
    expect(out.users.bob.wallet).toEqual({ ...zero, pending: 1000 });
  });

  it("a non-distributor is still bound, seated and paid 推三返一", async () => {
    const out = await replay({
      config: { commission: { distributorMode: "spend", distributorMinSpendFen: 50000 }, rebate: { n: 1 }, tiers: [{ name: "member" }] },
      products: [{ sku: "tea", priceFen: 10000, category: "fmcg", stock: 100 }],
      events: [
        reg("2026-03-02T09:00:00+08:00", "alice"),
        reg("2026-03-02T09:01:00+08:00", "bob", "alice"),
        order("2026-03-02T10:00:00+08:00", "a1", "alice"),
        ev("2026-03-02T10:01:00+08:00", "pay", "a1"),
        order("2026-03-02T11:00:00+08:00", "b1", "bob"),
        ev("2026-03-02T11:01:00+08:00", "pay", "b1"),
        ev("2026-03-03T10:00:00+08:00", "deliver", "a1"),
        ev("2026-03-03T10:05:00+08:00", "deliver", "b1"),
        ev("2026-03-12T00:00:00+08:00", "advance"),
      ],
    });
    // alice spends 10000 < 50000: never a distributor. a1 opens her task (n = 1, deadline 04-01 10:01).
    // b1 (bob, alice's direct): alice L1 1000 FORFEITED; bob's first paid order is alice's invitee -> MET;
    //   b1 opens bob's own task (OPEN, nobody invited). Both orders COMPLETED 03-10 (10:00, 10:05) -> alice's task
    //   CONFIRMED 03-10 10:05, PAID at T+1 03-11 00:00: 100% of 10000 = 10000 to available.
    expect(out.users.bob).toMatchObject({ sponsor: "alice", seat: { parent: "alice", level: 2, position: 0 } });
    expect(out.commissions).toEqual([{ order: "b1", beneficiary: "alice", level: 1, amountFen: 1000, status: "FORFEITED" }]);
    expect(out.rebateTasks).toEqual([
      { user: "alice", anchorOrder: "a1", status: "PAID", invitees: ["bob"], amountFen: 10000 },
      { user: "bob", anchorOrder: "b1", status: "OPEN", invitees: [], amountFen: 0 },
    ]);
    expect(wallets(out)).toEqual({ alice: { ...zero, available: 10000 }, bob: zero });
  });
});

describe("SPEC §4 distributor status in the engine", () => {
  let database: Database;
  afterEach(() => database?.close());
  const db = () => database.prisma;
  const rules = (mode: MallConfig["commission"]["distributorMode"], extra: Partial<MallConfig["commission"]> = {}): MallConfig => ({
    ...defaultConfig,
    commission: { ...defaultConfig.commission, distributorMode: mode, ...extra },
  });
  const member = (username: string, sponsorId: number | null, now: Date) => inTx(db(), { now }, (ctx) => registerMember(ctx, { username, sponsorId }));
  const place = (memberId: number, now: Date) => inTx(db(), { now }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  const payFor = (o: { id: number; payableFen: number }, now: Date) =>
    inTx(db(), { now }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  const commissionsOf = (orderId: number) =>
    db().commission.findMany({ where: { orderId }, orderBy: { level: "asc" }, select: { beneficiaryId: true, level: true, amountFen: true, status: true } });
  const since = async (id: number) => (await db().member.findUniqueOrThrow({ where: { id } })).distributorSince;

  it("is gained and kept while commissions are switched off, and earns once they are back on", async () => {
    database = await freshDatabase();
    await teaShop(db());
    const t0 = new Date("2026-06-01T02:00:00Z");
    const at = (days: number) => new Date(t0.getTime() + days * DAY);
    await saveRules(db(), null, { config: rules("first_order", { enabled: false }), reason: "佣金暂停" }, t0);
    const s = await member("s", null, t0);
    const b = await member("b", s.id, t0);
    const c = await member("c", b.id, t0);
    // b pays while commissions are off: no commission row, but b becomes a distributor (SPEC §4: kept while off).
    const ob = await place(b.id, at(1));
    await payFor(ob, at(1));
    expect(await commissionsOf(ob.id)).toEqual([]);
    expect(await since(b.id)).toEqual(at(1));
    await saveRules(db(), null, { config: rules("first_order"), reason: "佣金恢复" }, at(2));
    // c's 100 元 order under the new version: b (distributor since day 1) L1 10% = 1000 PENDING; s never paid: L2 5% = 500 FORFEITED.
    const oc = await place(c.id, at(3));
    await payFor(oc, at(3));
    expect(await commissionsOf(oc.id)).toEqual([
      { beneficiaryId: b.id, level: 1, amountFen: 1000, status: "PENDING" },
      { beneficiaryId: s.id, level: 2, amountFen: 500, status: "FORFEITED" },
    ]);
  });

  it("spend: two payments of one member at once are summed (the later one sees the earlier)", async () => {
    database = await freshDatabase();
    await teaShop(db());
    const now = new Date("2026-06-01T02:00:00Z");
    const spend = rules("spend", { distributorMinSpendFen: 20000 });
    await db().mallConfig.create({ data: { data: spend as object } });
    const s = await member("s", null, now);
    const b = await member("b", s.id, now);
    const c = await member("c", b.id, now);
    const o1 = await place(b.id, now);
    const o2 = await place(b.id, now);
    // Each 10000 alone is under 20000; whichever commits second counts both: 20000 >= 20000.
    await Promise.all([payFor(o1, now), payFor(o2, now)]);
    expect(await since(b.id)).toEqual(now);
    expect(await db().notification.count({ where: { memberId: b.id, kind: "distributor" } })).toBe(1);
    // s never paid: both of b's orders forfeit s's L1 1000.
    expect((await db().commission.findMany({ where: { orderId: { in: [o1.id, o2.id] } } })).map((x) => x.status)).toEqual(["FORFEITED", "FORFEITED"]);
    const oc = await place(c.id, new Date(now.getTime() + DAY));
    await payFor(oc, new Date(now.getTime() + DAY));
    expect((await commissionsOf(oc.id))[0]).toEqual({ beneficiaryId: b.id, level: 1, amountFen: 1000, status: "PENDING" });
  });
});
