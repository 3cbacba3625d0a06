// Payments against each other, sign-ups and re-tiering: one lock order for Wallet and Member rows, no deadlock.
// A payment locks its buyer's Member row, then the sponsor's (child first), then its beneficiaries' wallets in one
// postLedgerMany statement. Found in review: that statement locked the wallets in heap order (a hash join), which two
// statements see differently once a wallet was updated between their snapshots; a sign-up locked the ancestors' team
// sizes, and recomputeTiers (nightly review, order completion) the re-tiered members, in id or heap order — a sponsor
// before its downline. inTx retries a deadlock, so these tests count every one a transaction met (as
// sponsor-change-payment-locks.test.ts does); helper transactions hold rows so the steps queue in a known order.
// Real concurrency needs PostgreSQL (PGlite runs one transaction at a time).
import { afterEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig, type MallConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { reviewTiers } from "../../server/tiers";
import { completeOrder, confirmDelivery, confirmPayment, createOrder, shipOrder } from "../../server/orders";
import { DAY } from "../../server/clock/time";
import { usingPostgres } from "../helpers/db";
import { raceShop, sleep } from "../helpers/races";

// Defaults: commissions 10/5/2% of a 10 000 fen tea = 1 000 / 500 / 200 fen, everyone a distributor from sign-up.
const t0 = new Date("2026-03-10T02:00:00Z");

describe.runIf(usingPostgres())("payments, sign-ups and re-tiering lock rows in one order", () => {
  let database: Database;
  /** Every transaction of a test goes through this client: it records each deadlock or serialization failure, retried or not. */
  let db: Db;
  /** The aborted transactions, each as the domain function whose statement PostgreSQL chose as the victim. */
  let aborted: string[];
  let config: MallConfig;
  let seq = 0;
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>, now = t0) => inTx(db, { config, now }, fn);

  async function open(c: MallConfig) {
    config = c;
    aborted = [];
    ({ database, db } = await raceShop(c, aborted));
  }
  afterEach(() => database.close());

  const reg = async (name: string, sponsorId: number | null, now = t0) => {
    const n = ++seq;
    return (await run((c) => registerMember(c, { username: `${name}-${n}`, sponsorId, ip: `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`, device: `dev-${n}` }), now)).id;
  };
  const order = (memberId: number, now = t0) => run((c) => createOrder(c, { memberId, lines: [{ sku: "tea", qty: 1 }] }), now);
  const pay = (o: { id: number; payableFen: number }, now = t0) =>
    run((c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }), now);
  const member = (id: number) => database.prisma.member.findUniqueOrThrow({ where: { id } });
  /** What an order paid to whom: [level, beneficiary, fen] by level. */
  const earned = async (orderId: number) =>
    (await database.prisma.commission.findMany({ where: { orderId }, orderBy: { level: "asc" } })).map((r) => [r.level, r.beneficiaryId, r.amountFen]);

  /** Runs `sql` on one row in a transaction of its own, held until released, so the steps after it queue in a known order. */
  function hold(sql: string, id: number) {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const held = database.prisma.$transaction(
      async (tx) => {
        await tx.$queryRawUnsafe(sql, id);
        await gate;
      },
      { timeout: 60_000 },
    );
    return { release, held };
  }
  const holdMember = (id: number) => hold(`SELECT id FROM "Member" WHERE id = $1 FOR NO KEY UPDATE`, id);
  const holdWallet = (id: number) => hold(`SELECT "memberId" FROM "Wallet" WHERE "memberId" = $1 FOR NO KEY UPDATE`, id);

  it("two payments crediting overlapping uplines, one wallet updated between their snapshots: both lock the wallets by member", async () => {
    await open(parseConfig({}));
    // a → b → c → {d1, w → d2}: d1's order pays c, b, a; d2's pays w, c, b.
    const a = await reg("a", null);
    const b = await reg("b", a);
    const c = await reg("c", b);
    const d1 = await reg("d1", c);
    const w = await reg("w", c);
    const d2 = await reg("d2", w);
    const [o1, o2] = [await order(d1), await order(d2)];
    // The wallets' heap in member order; then b's wallet is updated (as another posting would): its new version lies after w's.
    await database.prisma.$executeRawUnsafe(`CLUSTER "Wallet" USING "Wallet_pkey"`);
    const ha = holdWallet(a);
    const hw = holdWallet(w);
    const hb = hold(`UPDATE "Wallet" SET credit = credit WHERE "memberId" = $1`, b);
    await sleep(300);
    // d1's posting starts before b's update commits and queues behind a; d2's starts after it and queues behind w.
    const p1 = pay(o1);
    await sleep(300);
    hb.release();
    await hb.held;
    const p2 = pay(o2);
    await sleep(300);
    // In heap order d1's posting would now take a, b and wait for c, which d2's took before w: then d2's needs b.
    ha.release();
    await sleep(300);
    hw.release();
    await Promise.all([ha.held, hw.held, p1, p2]);
    expect(aborted).toEqual([]);
    expect(await earned(o1.id)).toEqual([[1, c, 1000], [2, b, 500], [3, a, 200]]);
    expect(await earned(o2.id)).toEqual([[1, w, 1000], [2, c, 500], [3, b, 200]]);
    // a: 2% of d1's; b: 5% of d1's + 2% of d2's; c: 10% of d1's + 5% of d2's; w: 10% of d2's.
    const pending = await database.prisma.wallet.findMany({ where: { memberId: { in: [a, b, c, w] } }, orderBy: { memberId: "asc" }, select: { pending: true } });
    expect(pending.map((p) => Number(p.pending))).toEqual([200, 700, 1500, 1000]);
  });

  it("a sign-up below a member whose first payment waits: the sign-up locks its ancestors nearest first", async () => {
    await open(parseConfig({}));
    const g = await reg("g", null);
    const p = await reg("p", g);
    const m = await reg("m", p);
    const c = await reg("c", m);
    const o = await order(m);
    // The heap in id order (sponsors before their downline): the team-size update meets g, p before m.
    await database.prisma.$executeRawUnsafe(`CLUSTER "Member" USING "Member_pkey"`);
    // The sign-up under c queues behind p; then m pays, which locks m, then p (m qualifies p). (Under m itself the
    // sign-up's key share on its sponsor would hold m's first payment back: it writes firstPaidOrderId, a key.)
    const { release, held } = holdMember(p);
    await sleep(300);
    const signup = reg("n", c);
    await sleep(300);
    const paid = pay(o);
    await sleep(600);
    release();
    const [, n] = await Promise.all([held, signup, paid]);
    expect(aborted).toEqual([]);
    expect(await earned(o.id)).toEqual([[1, p, 1000], [2, g, 500]]);
    expect((await member(n)).sponsorId).toBe(c);
    // Team sizes: c has n; m has c, n; p has m, c, n; g has p, m, c, n. p's qualified direct: m.
    const [cc, mm, pp, gg] = [await member(c), await member(m), await member(p), await member(g)];
    expect([cc.teamSize, mm.teamSize, pp.teamSize, gg.teamSize, pp.qualifiedDirects]).toEqual([1, 2, 3, 4, 1]);
  });

  it("the nightly review re-tiering a member and its sponsor while the member's first payment waits: the review locks the member first", async () => {
    await open(parseConfig({ tiers: [{ name: "member" }, { name: "promoter", minTeam: 5 }] }));
    const g = await reg("g", null);
    const p = await reg("p", g);
    const m = await reg("m", p);
    await reg("c", m);
    const o = await order(m);
    // The rules lower the promoter's team to 1: g (3), p (2) and m (1) rise at the review, c (0) stays.
    config = parseConfig({ tiers: [{ name: "member" }, { name: "promoter", minTeam: 1 }] });
    await database.prisma.$executeRawUnsafe(`CLUSTER "Member" USING "Member_pkey"`);
    // The review's tier update queues behind p; then m pays: m, then p.
    const { release, held } = holdMember(p);
    await sleep(300);
    const review = reviewTiers(db, { config, now: t0 });
    await sleep(300);
    const paid = pay(o);
    await sleep(600);
    release();
    await Promise.all([held, review, paid]);
    expect(aborted).toEqual([]);
    expect(await earned(o.id)).toEqual([[1, p, 1000], [2, g, 500]]);
    expect([(await member(g)).tier, (await member(p)).tier, (await member(m)).tier]).toEqual(["promoter", "promoter", "promoter"]);
  });

  it("an order's completion re-tiering its buyer's upline while an ancestor's first payment waits: the completion locks the lower one first", async () => {
    // A promoter needs 100 元 of gmv90: c's completed 100 元 order lifts c, m, p and g.
    await open(parseConfig({ rebate: { enabled: false }, tiers: [{ name: "member" }, { name: "promoter", minGmv90Fen: 10_000 }] }));
    const g = await reg("g", null);
    const p = await reg("p", g);
    const m = await reg("m", p);
    const c = await reg("c", m);
    const first = await order(c);
    await pay(first);
    await run((x) => shipOrder(x, first.id));
    await run((x) => confirmDelivery(x, first.id));
    // The return window (7 days) has closed; m orders and pays then.
    const later = new Date(t0.getTime() + 8 * DAY);
    const o = await order(m, later);
    await database.prisma.$executeRawUnsafe(`CLUSTER "Member" USING "Member_pkey"`);
    // The completion's tier update queues behind p; then m pays: m, then p.
    const { release, held } = holdMember(p);
    await sleep(300);
    const completed = run((x) => completeOrder(x, first.id), later);
    await sleep(300);
    const paid = pay(o, later);
    await sleep(600);
    release();
    const [, done] = await Promise.all([held, completed, paid]);
    expect(done).toBe(true);
    expect(aborted).toEqual([]);
    expect(await earned(o.id)).toEqual([[1, p, 1000], [2, g, 500]]);
    expect([(await member(g)).tier, (await member(p)).tier, (await member(m)).tier, (await member(c)).tier]).toEqual(["promoter", "promoter", "promoter", "promoter"]);
  });
});
