// A refund (server/orders refundOrder → voidCommissionsOfOrder) racing a payment (confirmPayment → createCommissionsForPaidOrder)
// that credits the same upline: both must lock the upline's wallets in one order. A payment locks them by member id in
// one postLedgerMany statement. Found in review: the void posted one statement per commission in level order (L1, L2, L3
// — the sponsor before its own sponsor, usually descending member id), so a refund holding L1's wallet waited for L2's
// while the payment held L2's and waited for L1's. inTx retries a deadlock, so this counts every one a transaction met
// (as payment-lock-order.test.ts does); a helper transaction holds a row so the steps queue in a known order.
// Real concurrency needs PostgreSQL (PGlite runs one transaction at a time).
import { afterEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig, type MallConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { confirmPayment, createOrder, refundOrder } from "../../server/orders";
import { usingPostgres } from "../helpers/db";
import { raceShop, sleep } from "../helpers/races";

// Defaults: commissions 10/5/2% of a 10 000 fen tea = 1 000 / 500 / 200 fen, everyone a distributor from sign-up.
const t0 = new Date("2026-03-10T02:00:00Z");

describe.runIf(usingPostgres())("a refund and a payment crediting the same upline lock its wallets in one order", () => {
  let database: Database;
  /** Every transaction of a test goes through this client: it records each deadlock or serialization failure, retried or not. */
  let db: Db;
  /** The aborted transactions, each as the domain function whose statement PostgreSQL chose as the victim. */
  let aborted: string[];
  let config: MallConfig;
  let seq = 0;
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(db, { config, now: t0 }, fn);

  async function open(c: MallConfig) {
    config = c;
    aborted = [];
    ({ database, db } = await raceShop(c, aborted));
  }
  afterEach(() => database.close());

  const reg = async (name: string, sponsorId: number | null) => {
    const n = ++seq;
    return (await run((c) => registerMember(c, { username: `${name}-${n}`, sponsorId, ip: `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`, device: `dev-${n}` }))).id;
  };
  const order = (memberId: number) => run((c) => createOrder(c, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  const pay = (o: { id: number; payableFen: number }) =>
    run((c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  /** What an order paid to whom: [level, beneficiary, fen, status] by level. */
  const earned = async (orderId: number) =>
    (await database.prisma.commission.findMany({ where: { orderId }, orderBy: { level: "asc" } })).map((r) => [r.level, r.beneficiaryId, r.amountFen, r.status]);
  const pending = async (ids: number[]) =>
    (await database.prisma.wallet.findMany({ where: { memberId: { in: ids } }, orderBy: { memberId: "asc" }, select: { pending: true } })).map((w) => Number(w.pending));

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

  it("a refund voiding L1–L3 while a payment credits L2, L1 and a member below: the void locks the wallets by member, as the payment does", async () => {
    // 推三返一 off: the two share no task, only wallets.
    await open(parseConfig({ rebate: { enabled: false } }));
    // a → b → c → {x, w → y}: x's order paid c, b, a; y's pays w, c, b. Ids rise down the tree.
    const a = await reg("a", null);
    const b = await reg("b", a);
    const c = await reg("c", b);
    const x = await reg("x", c);
    const w = await reg("w", c);
    const y = await reg("y", w);
    const o1 = await order(x);
    await pay(o1);
    const o2 = await order(y);
    // The refund stops at x's L2 commission (b's), held here; one posting per level would have locked c's wallet by then.
    const l2 = await database.prisma.commission.findFirstOrThrow({ where: { orderId: o1.id, level: 2 } });
    const { release, held } = hold(`SELECT id FROM "Commission" WHERE id = $1 FOR UPDATE`, l2.id);
    await sleep(300);
    const refunded = run((ctx) => refundOrder(ctx, o1.id));
    await sleep(300);
    // y's payment locks b's wallet, then c's.
    const paid = pay(o2);
    await sleep(600);
    release();
    const [, r, p] = await Promise.all([held, refunded, paid]);
    expect(r).toEqual({ refunded: true });
    expect(p).toEqual({ outcome: "paid" });
    expect(aborted).toEqual([]);
    expect(await earned(o1.id)).toEqual([[1, c, 1000, "VOID"], [2, b, 500, "VOID"], [3, a, 200, "VOID"]]);
    expect(await earned(o2.id)).toEqual([[1, w, 1000, "PENDING"], [2, c, 500, "PENDING"], [3, b, 200, "PENDING"]]);
    // What x's order paid is taken back: a 0; b 2% of y's; c 5% of y's; w 10% of y's.
    expect(await pending([a, b, c, w])).toEqual([0, 200, 500, 1000]);
  });

  it("a refund of a member's only paid order while a sibling's first payment qualifies their sponsor: the refund locks the Member rows before the wallets", async () => {
    await open(parseConfig({ rebate: { enabled: false } }));
    // a → b → c → {x, y}: x's order paid c, b, a; y's pays the same three. x's refund unqualifies x for c, y's payment qualifies y.
    const a = await reg("a", null);
    const b = await reg("b", a);
    const c = await reg("c", b);
    const x = await reg("x", c);
    const y = await reg("y", c);
    const o1 = await order(x);
    await pay(o1);
    const o2 = await order(y);
    // The refund stops at x's Member row, held here; voiding before it would have locked the upline's wallets by then.
    const { release, held } = hold(`SELECT id FROM "Member" WHERE id = $1 FOR NO KEY UPDATE`, x);
    await sleep(300);
    const refunded = run((ctx) => refundOrder(ctx, o1.id));
    await sleep(300);
    // y's payment locks y's Member row, then c's, then the wallets of a, b, c.
    const paid = pay(o2);
    await sleep(600);
    release();
    const [, r, p] = await Promise.all([held, refunded, paid]);
    expect(r).toEqual({ refunded: true });
    expect(p).toEqual({ outcome: "paid" });
    expect(aborted).toEqual([]);
    expect(await earned(o1.id)).toEqual([[1, c, 1000, "VOID"], [2, b, 500, "VOID"], [3, a, 200, "VOID"]]);
    expect(await earned(o2.id)).toEqual([[1, c, 1000, "PENDING"], [2, b, 500, "PENDING"], [3, a, 200, "PENDING"]]);
    expect(await pending([a, b, c])).toEqual([200, 500, 1000]);
    // c's qualified directs: y (x's only paid order is refunded).
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id: c } })).qualifiedDirects).toBe(1);
  });
});
