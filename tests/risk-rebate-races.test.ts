// A risk rejection (server/risk/review reviewMember) and 推三返一 steps racing payments and refunds in the same upline:
// every path locks Member rows, then the wallets it posts to by member id, then RebateTask rows (a payment's order).
// Found in review: the rejection voided order by order (each order's commissions, then its anchor task and the buyer's
// wallet), so a wallet of the upline came after the buyer's own, or after a task, while a payment below the member
// locked them by member id; a first payment completing a task locked the task before its owner's wallet, which a refund
// voiding a commission to the same owner held already; an order's completion locked its tasks before its buyer's Member
// row, which an invitee's first payment held already. Found next: a refund gave store credit back (the buyer's wallet)
// before voiding the upline's commissions, and took its anchor task's and its inviter's task's cashback after locking the
// task; an approval settled order by order and locked a task before its owner's wallet. Now a refund and an approval lock
// every wallet they post to by member id in one statement (the void's, the settlement's) before any task. Found after: a
// first payment locked its inviter's wallet (推三返一) after its commissions' wallets, and in the matrix tree (or with the
// sponsor forfeiting) the inviter is not among those, so a payment or refund crediting both deadlocked it; now the
// commissions' statement locks the inviter's with theirs, by member id. inTx retries a deadlock, so these tests count
// every one a transaction met (recordingAborts); a helper transaction holds a row so the steps queue in a known order.
// Real concurrency needs PostgreSQL (PGlite runs one transaction at a time).
import { afterEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig, type MallConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { completeOrder, confirmDelivery, confirmPayment, createOrder, refundOrder, shipOrder } from "../server/orders";
import { DAY } from "../server/clock/time";
import { createSimpleProduct } from "../server/catalog/admin";
import { reviewMember } from "../server/risk/review";
import { fromMerchant, walletFromLedger, walletOf } from "../server/wallet/ledger";
import { setDistributorEnabled } from "../server/distribution";
import { decideSponsorChange, requestSponsorChange, runSponsorChanges } from "../server/members/sponsor-change";
import { matrixAncestors } from "../server/matrix";
import { usingPostgres } from "./helpers/db";
import { behind as behindRow, raceShop, sleep } from "./helpers/races";

// Commissions 10/5/2% of a 100 元 tea = 1 000 / 500 / 200 fen; a 100 元 gift earns no commission (its category's rates
// are 0), a 100 元 book its L1 only (1 000). 推三返一: n = 3, 50% of the anchor's goods = 5 000 fen. Everyone is a
// distributor from sign-up.
const config = parseConfig({ commission: { categoryRatesBps: { gift: [0], book: [1000] } }, rebate: { percent: 50 } });
// The same with commissions paid in the matrix tree (SPEC §3, §4 commission.tree), the matrix two seats wide: a sponsor's
// subtree is full three levels down after 14 sign-ups under it.
const matrixRules = parseConfig({ commission: { tree: "matrix", categoryRatesBps: { gift: [0], book: [1000] } }, rebate: { percent: 50 }, matrix: { width: 2 } });
const t0 = new Date("2026-03-10T02:00:00Z");

describe.runIf(usingPostgres())("a risk rejection and 推三返一 steps against payments and refunds in the same upline", () => {
  let database: Database;
  /** Every transaction of a test goes through this client: it records each deadlock or serialization failure, retried or not. */
  let db: Db;
  /** The aborted transactions, each as the domain function whose statement PostgreSQL chose as the victim. */
  let aborted: string[];
  let seq = 0;
  /** The rules of the test's shop (open). */
  let rules: MallConfig;
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>, now = t0) => inTx(db, { config: rules, now }, fn);

  async function open(c: MallConfig) {
    rules = c;
    aborted = [];
    ({ database, db } = await raceShop(c, aborted));
    await run(async (ctx) => {
      await ctx.tx.category.create({ data: { slug: "gift", name: "礼品" } });
      await createSimpleProduct(ctx.tx, { sku: "gift", name: "礼盒", priceFen: 10_000, category: "gift", stock: 100_000 });
      await ctx.tx.category.create({ data: { slug: "book", name: "书" } });
      await createSimpleProduct(ctx.tx, { sku: "book", name: "书", priceFen: 10_000, category: "book", stock: 100_000 });
    });
  }
  afterEach(() => database.close());

  const reg = async (name: string, sponsorId: number | null) => {
    const n = ++seq;
    return (await run((c) => registerMember(c, { username: `${name}-${n}`, sponsorId, ip: `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`, device: `dev-${n}` }))).id;
  };
  type Sku = "tea" | "gift" | "book";
  /** An order of one tea, gift or book; to `address` when given. */
  const order = (memberId: number, sku: Sku, address?: string, now = t0) => run((c) => createOrder(c, { memberId, lines: [{ sku, qty: 1 }], address }), now);
  const pay = (o: { id: number; payableFen: number }, now = t0) =>
    run((c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }), now);
  const paid = async (memberId: number, sku: Sku, address?: string) => {
    const o = await order(memberId, sku, address);
    expect(await pay(o)).toEqual({ outcome: "paid" });
    return o.id;
  };
  const reject = (memberId: number) => run((c) => reviewMember(c, memberId, "reject"));
  const approve = (memberId: number, now = t0) => run((c) => reviewMember(c, memberId, "approve"), now);
  const refund = (orderId: number) => run((c) => refundOrder(c, orderId));
  /** What an order paid to whom: [beneficiary, fen, status] by level. */
  const earned = async (orderId: number) =>
    (await database.prisma.commission.findMany({ where: { orderId }, orderBy: { level: "asc" } })).map((r) => [r.beneficiaryId, r.amountFen, r.status]);
  const pending = async (ids: number[]) => Promise.all(ids.map(async (id) => Number((await database.prisma.wallet.findUniqueOrThrow({ where: { memberId: id } })).pending)));
  const available = async (ids: number[]) => Promise.all(ids.map(async (id) => Number((await database.prisma.wallet.findUniqueOrThrow({ where: { memberId: id } })).available)));
  const task = async (anchorOrderId: number) => {
    const t = await database.prisma.rebateTask.findUniqueOrThrow({ where: { anchorOrderId }, include: { assignments: { where: { removedAt: null }, orderBy: { id: "asc" } } } });
    return { status: t.status, invitees: t.assignments.map((a) => a.inviteeId) };
  };
  /** The member legs of the ledger transactions of `kind`, as [member, fen] by transaction. */
  const legs = async (kind: string) =>
    (await database.prisma.ledgerEntry.findMany({ where: { txn: { kind }, memberId: { not: null } }, orderBy: { id: "asc" } })).map((e) => [e.memberId, e.amountFen]);
  /** Every ledger transaction sums to zero, and every wallet is what its ledger entries add up to. */
  async function expectLedgerBalanced() {
    const total = await database.prisma.ledgerEntry.aggregate({ _sum: { amountFen: true } });
    expect(total._sum.amountFen).toBe(0);
    const unbalanced = await database.prisma.$queryRawUnsafe<unknown[]>(`SELECT "txnId" FROM "LedgerEntry" GROUP BY "txnId" HAVING sum("amountFen") <> 0`);
    expect(unbalanced).toEqual([]);
    await run(async (ctx) => {
      for (const w of await ctx.tx.wallet.findMany({ select: { memberId: true } })) expect(await walletOf(ctx, w.memberId)).toEqual(await walletFromLedger(ctx, w.memberId));
    });
  }

  /** Holds `sql`'s row; starts `first`, and `second` once `first` waits on a lock, then releases (helpers/races behind). */
  const behind = <A, B>(sql: string, id: number, first: () => Promise<A>, second: () => Promise<B>) => behindRow(database.prisma, sql, id, first, second);

  it("a rejection voiding two orders while a payment below the member credits the member and its upline: the upline's wallets before the member's", async () => {
    await open(config);
    // g → s → m → {c1, c2, c3}. m's gift o1 earns nobody and anchors m's task; c1–c3's first teas fill it (MET, 5 000 pending).
    const g = await reg("g", null);
    const s = await reg("s", g);
    const m = await reg("m", s);
    const cs = [await reg("c1", m), await reg("c2", m), await reg("c3", m)];
    const o1 = await paid(m, "gift");
    for (const c of cs) await paid(c, "tea");
    expect(await task(o1)).toEqual({ status: "MET", invitees: cs });
    // m ships o2 to an address s ordered to: shared_address flags m. o2 pays s 1 000 and g 500.
    await order(s, "gift", "addr-s");
    const o2 = await paid(m, "tea", "addr-s");
    expect(await database.prisma.riskFlag.count({ where: { memberId: m, status: "OPEN" } })).toBe(1);
    const o3 = await order(cs[0]!, "tea");
    // The rejection stops at o2's L1 commission, held here; order by order it holds m's wallet by then (o1's task voided).
    const l1 = await database.prisma.commission.findFirstOrThrow({ where: { orderId: o2, level: 1 } });
    // c1's second tea pays m 1 000, s 500, g 200: it locks g's, s's and m's wallets, in that order.
    const [r, p] = await behind(`SELECT id FROM "Commission" WHERE id = $1 FOR UPDATE`, l1.id, () => reject(m), () => pay(o3));
    expect(r).toMatchObject({ decided: 1 });
    expect(p).toEqual({ outcome: "paid" });
    expect(aborted).toEqual([]);
    expect(await earned(o1)).toEqual([]);
    expect(await earned(o2)).toEqual([[s, 1000, "VOID"], [g, 500, "VOID"]]);
    expect(await earned(o3.id)).toEqual([[m, 1000, "PENDING"], [s, 500, "PENDING"], [g, 200, "PENDING"]]);
    expect((await task(o1)).status).toBe("VOID");
    expect((await task(o2)).status).toBe("VOID");
    // Voided: o2's 1 000 (s) and 500 (g); m's cashback 5 000.
    expect(await legs("commission_void")).toEqual([[s, -1000], [g, -500]]);
    expect(await legs("rebate_void")).toEqual([[m, -5000]]);
    // Taken back from o2's day of accrual, in the KPI leaderboard.
    const facts = await database.prisma.kpiFact.findMany({ where: { kind: "commission_void" }, orderBy: { id: "asc" } });
    expect(facts.map((f) => [f.memberId, (f.data as { earnedFen: number }).earnedFen, f.day])).toEqual([[s, -1000, "2026-03-10"], [g, -500, "2026-03-10"]]);
    // g: 3 × 200 from c1–c3, 200 from o3 (o2's 500 voided); s: 3 × 500 + 500; m: 3 × 1 000 + 1 000 (cashback voided).
    expect(await pending([g, s, m])).toEqual([800, 2000, 4000]);
    await expectLedgerBalanced();
  });

  it("a rejection of a member whose orders earn nobody, invitee of its sponsor's met task, while a payment below it credits both: both wallets before any task", async () => {
    await open(config);
    // s → {m, e, f}, m → {c1, c2, c3}. s's tea anchors a task; m's first gift, e's and f's first teas fill it (MET).
    const s = await reg("s", null);
    const m = await reg("m", s);
    const e = await reg("e", s);
    const f = await reg("f", s);
    const cs = [await reg("c1", m), await reg("c2", m), await reg("c3", m)];
    const os = await paid(s, "tea", "addr-s");
    const o1 = await paid(m, "gift");
    await paid(e, "tea");
    await paid(f, "tea");
    expect(await task(os)).toEqual({ status: "MET", invitees: [m, e, f] });
    // m's gift o1 anchors m's task; c1–c3's first teas fill it (each pays m 1 000, s 500).
    for (const c of cs) await paid(c, "tea");
    expect(await task(o1)).toEqual({ status: "MET", invitees: cs });
    // m's second gift goes to s's address: m is flagged. m's orders earn nobody: the rejection voids no commission.
    const o2 = await paid(m, "gift", "addr-s");
    expect(await database.prisma.riskFlag.count({ where: { memberId: m, status: "OPEN" } })).toBe(1);
    const o3 = await order(cs[0]!, "tea");
    // The rejection stops at s's task (m's own two voided by then), held here; m's wallet is locked by then.
    const ts = await database.prisma.rebateTask.findUniqueOrThrow({ where: { anchorOrderId: os } });
    // c1's second tea pays m 1 000 and s 500: it locks s's wallet, then m's.
    const [r, p] = await behind(`SELECT id FROM "RebateTask" WHERE id = $1 FOR UPDATE`, ts.id, () => reject(m), () => pay(o3));
    expect(r).toMatchObject({ decided: 1 });
    expect(p).toEqual({ outcome: "paid" });
    expect(aborted).toEqual([]);
    expect(await earned(o3.id)).toEqual([[m, 1000, "PENDING"], [s, 500, "PENDING"]]);
    expect((await task(o1)).status).toBe("VOID");
    expect((await task(o2)).status).toBe("VOID");
    // m no longer counts for s's task, whose deadline is ahead: OPEN again with e and f, its cashback taken back.
    expect(await task(os)).toEqual({ status: "OPEN", invitees: [e, f] });
    expect(await legs("commission_void")).toEqual([]);
    expect(await legs("rebate_void")).toEqual([[m, -5000]]);
    expect(await legs("rebate_reverse")).toEqual([[s, -5000]]);
    // s: e's and f's 1 000 each, 3 × 500 from c1–c3, 500 from o3; m: 3 × 1 000 + 1 000.
    expect(await pending([s, m])).toEqual([4000, 4000]);
    await expectLedgerBalanced();
  });

  it("an invitee's first order refunded while another invitee's first payment, earning the inviter nothing, makes the task MET: the payment locks the inviter's wallet before the task", async () => {
    await open(config);
    // s → {b, e, d}. s's tea anchors a task; b's first tea (s 1 000) and e's first tea (s 1 000) count for it.
    const s = await reg("s", null);
    const b = await reg("b", s);
    const e = await reg("e", s);
    const d = await reg("d", s);
    const os = await paid(s, "tea");
    const ob = await paid(b, "tea");
    // b's second tea keeps b a paying member after the refund (s's qualified directs are not touched by it).
    await paid(b, "tea");
    await paid(e, "tea");
    expect(await task(os)).toEqual({ status: "OPEN", invitees: [b, e] });
    const od = await order(d, "gift");
    // The refund of b's first order stops at b's own task, held here: it holds s's wallet (the void of s's 1 000) by then.
    const tb = await database.prisma.rebateTask.findUniqueOrThrow({ where: { anchorOrderId: ob } });
    // d's first order, a gift, earns s nothing and is the task's third: MET, 5 000 to s's wallet.
    const [r, p] = await behind(`SELECT id FROM "RebateTask" WHERE id = $1 FOR UPDATE`, tb.id, () => run((ctx) => refundOrder(ctx, ob)), () => pay(od));
    expect(r).toEqual({ refunded: true });
    expect(p).toEqual({ outcome: "paid" });
    expect(aborted).toEqual([]);
    expect(await earned(ob)).toEqual([[s, 1000, "VOID"]]);
    expect((await task(ob)).status).toBe("VOID");
    // Whichever came first: b no longer counts, d does; two of three, OPEN (any cashback accrued is reversed).
    expect(await task(os)).toEqual({ status: "OPEN", invitees: [e, d] });
    // s: b's second tea and e's first, 1 000 each.
    expect(await pending([s])).toEqual([2000]);
    await expectLedgerBalanced();
  });

  it("an anchor order completing while an invitee's first payment counts for its task: the completion locks the buyer's Member row before the tasks", async () => {
    await open(config);
    // s → x → y. s's tea anchors a task; x's first tea counts for it and anchors x's own task.
    const s = await reg("s", null);
    const x = await reg("x", s);
    const y = await reg("y", x);
    const os = await paid(s, "tea");
    const ox = await paid(x, "tea");
    await run((c) => shipOrder(c, ox));
    await run((c) => confirmDelivery(c, ox));
    // The return window (7 days) has closed: x's order completes; y orders then, within x's task's 30 days.
    const later = new Date(t0.getTime() + 8 * DAY);
    const oy = await order(y, "tea", undefined, later);
    // The completion stops at s's task (x's own locked by then), held here.
    const ts = await database.prisma.rebateTask.findUniqueOrThrow({ where: { anchorOrderId: os } });
    // y's first payment locks y's Member row, then x's (x qualifies), then x's wallet and x's task.
    const [done, p] = await behind(`SELECT id FROM "RebateTask" WHERE id = $1 FOR UPDATE`, ts.id, () => run((c) => completeOrder(c, ox), later), () => pay(oy, later));
    expect(done).toBe(true);
    expect(p).toEqual({ outcome: "paid" });
    expect(aborted).toEqual([]);
    expect(await task(ox)).toEqual({ status: "OPEN", invitees: [y] });
    expect(await task(os)).toEqual({ status: "OPEN", invitees: [x] });
    // x's order completed at its window's end, a day before this run: its commission to s is past T+1 and settled;
    // y's pays x 1 000 and s 500.
    expect(await earned(ox)).toEqual([[s, 1000, "SETTLED"]]);
    expect(await earned(oy.id)).toEqual([[x, 1000, "PENDING"], [s, 500, "PENDING"]]);
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id: x } })).qualifiedDirects).toBe(1);
    await expectLedgerBalanced();
  });

  it("a refund giving back store credit while a payment below the buyer credits the buyer and its upline: the refund locks its wallets by member id before the credit", async () => {
    await open(config);
    // g → s → b → c. c's first tea pays b 1 000, s 500, g 200 (b has no task yet: c counts for none).
    const g = await reg("g", null);
    const s = await reg("s", g);
    const b = await reg("b", s);
    const c = await reg("c", b);
    await paid(c, "tea");
    // b spends 3 000 fen of store credit on a tea (7 000 paid): it pays s 1 000, g 500 and anchors b's task.
    await run((ctx) => fromMerchant(ctx, "fund:b", "test", "merchant:adjustment", b, "credit", 3000));
    const ob = await run((ctx) => createOrder(ctx, { memberId: b, lines: [{ sku: "tea", qty: 1 }], creditFen: 3000 }));
    expect(await pay(ob)).toEqual({ outcome: "paid" });
    const oc = await order(c, "tea");
    // The refund stops at the void of ob's commissions, held here; giving the credit back first, it holds b's wallet by then.
    const l1 = await database.prisma.commission.findFirstOrThrow({ where: { orderId: ob.id, level: 1 } });
    // c's second tea pays b 1 000, s 500, g 200: it locks g's, s's and b's wallets, in that order (c's Member row only).
    const [r, p] = await behind(`SELECT id FROM "Commission" WHERE id = $1 FOR UPDATE`, l1.id, () => refund(ob.id), () => pay(oc));
    expect(r).toEqual({ refunded: true });
    expect(p).toEqual({ outcome: "paid" });
    expect(aborted).toEqual([]);
    expect(await earned(ob.id)).toEqual([[s, 1000, "VOID"], [g, 500, "VOID"]]);
    expect(await earned(oc.id)).toEqual([[b, 1000, "PENDING"], [s, 500, "PENDING"], [g, 200, "PENDING"]]);
    expect((await task(ob.id)).status).toBe("VOID");
    expect(await legs("credit_return")).toEqual([[b, 3000]]);
    // b: the 3 000 credit back; c's two teas, 1 000 each. s: 500 each (ob's 1 000 voided); g: 200 each (ob's 500 voided).
    expect(Number((await database.prisma.wallet.findUniqueOrThrow({ where: { memberId: b } })).credit)).toBe(3000);
    expect(await pending([b, s, g])).toEqual([2000, 1000, 400]);
    await expectLedgerBalanced();
  });

  it("a refund of an anchor order earning nobody while a refund of an invitee's first order earning the anchor buyer removes it from the MET task: both lock the wallets before the task", async () => {
    await open(config);
    // s → b → {c, x, y}. b's gift ob anchors b's task; c's, x's and y's first teas fill it (MET, 5 000 pending), each paying b 1 000, s 500.
    const s = await reg("s", null);
    const b = await reg("b", s);
    const [c, x, y] = [await reg("c", b), await reg("x", b), await reg("y", b)];
    const ob = await paid(b, "gift");
    const oc = await paid(c, "tea");
    await paid(x, "tea");
    await paid(y, "tea");
    expect(await task(ob)).toEqual({ status: "MET", invitees: [c, x, y] });
    // c's second tea keeps c a paying member after the refund: that refund takes no Member row of b's.
    await paid(c, "tea");
    // The refund of c's first tea stops at c's own task, held here; it holds b's and s's wallets (the void of b's 1 000, s's 500) by then.
    const tc = await database.prisma.rebateTask.findUniqueOrThrow({ where: { anchorOrderId: oc } });
    // The refund of b's gift voids no commission; it voids b's MET task, then takes its cashback from b's wallet.
    const [r1, r2] = await behind(`SELECT id FROM "RebateTask" WHERE id = $1 FOR UPDATE`, tc.id, () => refund(oc), () => refund(ob));
    expect([r1, r2]).toEqual([{ refunded: true }, { refunded: true }]);
    expect(aborted).toEqual([]);
    expect(await earned(oc)).toEqual([[b, 1000, "VOID"], [s, 500, "VOID"]]);
    // c's refund came first: c removed, the cashback reversed, OPEN again; then b's refund voids it with nothing to take back.
    expect(await task(ob)).toEqual({ status: "VOID", invitees: [x, y] });
    expect(await legs("rebate_reverse")).toEqual([[b, -5000]]);
    expect(await legs("rebate_void")).toEqual([]);
    // b: x's, y's and c's second tea, 1 000 each; s: 500 each.
    expect(await pending([b, s])).toEqual([3000, 1500]);
    await expectLedgerBalanced();
  });

  it("a refund of an invitee's first order earning nobody while a rejection of another invitee of the MET task voids its commission: both lock the inviter's wallet before the task", async () => {
    await open(config);
    // s → {x, m, y}. s's gift anchors a task; x's first gift, m's and y's first teas (s 1 000 each) fill it: MET, 5 000 pending.
    const s = await reg("s", null);
    const [x, m, y] = [await reg("x", s), await reg("m", s), await reg("y", s)];
    const os = await paid(s, "gift", "addr-s");
    const ox = await paid(x, "gift");
    const om = await paid(m, "tea");
    await paid(y, "tea");
    expect(await task(os)).toEqual({ status: "MET", invitees: [x, m, y] });
    // m's next order goes to s's address: m is flagged.
    await order(m, "gift", "addr-s");
    expect(await database.prisma.riskFlag.count({ where: { memberId: m, status: "OPEN" } })).toBe(1);
    // The rejection stops at m's own task, held here: it holds m's and s's wallets by then.
    const tm = await database.prisma.rebateTask.findUniqueOrThrow({ where: { anchorOrderId: om } });
    // The refund of x's gift voids no commission; it removes x from s's MET task, then takes the cashback from s's wallet.
    const [r, f] = await behind(`SELECT id FROM "RebateTask" WHERE id = $1 FOR UPDATE`, tm.id, () => reject(m), () => refund(ox));
    expect(r).toMatchObject({ decided: 1 });
    expect(f).toEqual({ refunded: true });
    expect(aborted).toEqual([]);
    expect(await earned(om)).toEqual([[s, 1000, "VOID"]]);
    expect((await task(om)).status).toBe("VOID");
    expect((await task(ox)).status).toBe("VOID");
    // The rejection came first: m removed, the cashback reversed, OPEN again; then x is removed from the OPEN task.
    expect(await task(os)).toEqual({ status: "OPEN", invitees: [y] });
    expect(await legs("rebate_reverse")).toEqual([[s, -5000]]);
    // s: y's 1 000 (m's voided).
    expect(await pending([s])).toEqual([1000]);
    await expectLedgerBalanced();
  });

  it("an approval settling two held orders, the first earning the sponsor only, while a payment below the sponsor credits the upline: the approval locks the wallets by member id", async () => {
    await open(config);
    // g → s → p → {m, q}. p's gift to its address anchors p's task. m's book o1 goes there too (m flagged) and pays p 1 000;
    // m's tea o2 pays p 1 000, s 500, g 200. m's first order counts for p's task.
    const g = await reg("g", null);
    const s = await reg("s", g);
    const p = await reg("p", s);
    const m = await reg("m", p);
    const q = await reg("q", p);
    const op = await paid(p, "gift", "addr-p");
    const o1 = await paid(m, "book", "addr-p");
    expect(await database.prisma.riskFlag.count({ where: { memberId: m, status: "OPEN" } })).toBe(1);
    const o2 = await paid(m, "tea");
    // Both complete 8 days later while m is held: their commissions stay PENDING.
    const completed = new Date(t0.getTime() + 8 * DAY);
    for (const o of [o1, o2]) {
      await run((c) => shipOrder(c, o));
      await run((c) => confirmDelivery(c, o));
      expect(await run((c) => completeOrder(c, o), completed)).toBe(true);
    }
    expect(await earned(o2)).toEqual([[p, 1000, "PENDING"], [s, 500, "PENDING"], [g, 200, "PENDING"]]);
    // Approved 10 days after payment: each commission confirms (at the completion) and settles at once (T+1 passed).
    const later = new Date(t0.getTime() + 10 * DAY);
    const oq = await order(q, "tea", undefined, later);
    // The approval stops at o2's L1 commission, held here; order by order it holds p's wallet (o1's settlement) by then.
    const l1 = await database.prisma.commission.findFirstOrThrow({ where: { orderId: o2, level: 1 } });
    // q's first tea pays p 1 000, s 500, g 200: it locks g's, s's and p's wallets, in that order.
    const [a, pq] = await behind(`SELECT id FROM "Commission" WHERE id = $1 FOR UPDATE`, l1.id, () => approve(m, later), () => pay(oq, later));
    expect(a).toMatchObject({ decided: 1 });
    expect(pq).toEqual({ outcome: "paid" });
    expect(aborted).toEqual([]);
    expect(await earned(o1)).toEqual([[p, 1000, "SETTLED"]]);
    expect(await earned(o2)).toEqual([[p, 1000, "SETTLED"], [s, 500, "SETTLED"], [g, 200, "SETTLED"]]);
    expect(await earned(oq.id)).toEqual([[p, 1000, "PENDING"], [s, 500, "PENDING"], [g, 200, "PENDING"]]);
    expect(await task(op)).toEqual({ status: "OPEN", invitees: [m, q] });
    expect(await available([p, s, g])).toEqual([2000, 500, 200]);
    expect(await pending([p, s, g])).toEqual([1000, 500, 200]);
    await expectLedgerBalanced();
  });

  it("an approval making a held task MET while a refund of another invitee's first order earning the inviter removes it: both lock the inviter's wallet before the task", async () => {
    await open(config);
    // p → {m, x, y}. p's gift to its address anchors p's task; m's first gift goes there too (m flagged) and counts for it;
    // x's and y's first teas (p 1 000 each) make three: held by m's flag, the task stays OPEN.
    const p = await reg("p", null);
    const [m, x, y] = [await reg("m", p), await reg("x", p), await reg("y", p)];
    const op = await paid(p, "gift", "addr-p");
    await paid(m, "gift", "addr-p");
    expect(await database.prisma.riskFlag.count({ where: { memberId: m, status: "OPEN" } })).toBe(1);
    const ox = await paid(x, "tea");
    await paid(y, "tea");
    expect(await task(op)).toEqual({ status: "OPEN", invitees: [m, x, y] });
    // The refund of x's tea stops at x's own task, held here: it holds p's wallet (the void of p's 1 000) by then.
    const tx = await database.prisma.rebateTask.findUniqueOrThrow({ where: { anchorOrderId: ox } });
    // The approval resumes p's task: three invitees, MET, 5 000 to p's wallet.
    const [f, a] = await behind(`SELECT id FROM "RebateTask" WHERE id = $1 FOR UPDATE`, tx.id, () => refund(ox), () => approve(m));
    expect(f).toEqual({ refunded: true });
    expect(a).toMatchObject({ decided: 1 });
    expect(aborted).toEqual([]);
    expect(await earned(ox)).toEqual([[p, 1000, "VOID"]]);
    // The refund came first: x removed while the task was held; the approval then finds two invitees, OPEN.
    expect(await task(op)).toEqual({ status: "OPEN", invitees: [m, y] });
    expect(await legs("rebate_accrue")).toEqual([]);
    // p: y's 1 000.
    expect(await pending([p])).toEqual([1000]);
    await expectLedgerBalanced();
  });

  /**
   * Matrix two wide: s, then its 14 directs in sign-up order, fill s's first three matrix levels (a1 a2 / b1–b4 / c1–c8,
   * b1 under a1, c1 under b1); i, its 15th direct, spills over to the fourth, under c1. i's commission upline is c1, b1,
   * a1: its inviter s earns nothing on i's orders.
   */
  async function spilledInvitee() {
    const s = await reg("s", null);
    const team: number[] = [];
    for (let k = 0; k < 14; k++) team.push(await reg(`d${k}`, s));
    const i = await reg("i", s);
    const [a1, b1, c1] = [team[0]!, team[2]!, team[6]!];
    expect(await run((c) => matrixAncestors(c, i, 4))).toEqual([{ memberId: c1, depth: 1 }, { memberId: b1, depth: 2 }, { memberId: a1, depth: 3 }, { memberId: s, depth: 4 }]);
    return { s, a1, b1, c1, i };
  }
  const wallet = `SELECT "memberId" FROM "Wallet" WHERE "memberId" = $1 FOR UPDATE`;

  it("matrix tree: an invitee's first payment crediting its matrix upline, not its inviter, while a payment below the inviter credits the inviter and that upline: the inviter's wallet locked with the upline's", async () => {
    await open(matrixRules);
    const { s, a1, b1, c1, i } = await spilledInvitee();
    // s's tea anchors a task (s has no matrix upline); b1's first tea pays a1 1 000, s 500 and counts for it.
    const os = await paid(s, "tea");
    await paid(b1, "tea");
    const [oi, ob] = [await order(i, "tea"), await order(b1, "tea")];
    // i's first tea (c1 1 000, b1 500, a1 200; i counts for s's task) locks s's, a1's and b1's wallets, then stops at c1's,
    // held here. b1's second tea pays a1 1 000, s 500: it locks s's wallet, then a1's (b1's Member row only).
    const [pi, pb] = await behind(wallet, c1, () => pay(oi), () => pay(ob));
    expect([pi, pb]).toEqual([{ outcome: "paid" }, { outcome: "paid" }]);
    expect(aborted).toEqual([]);
    expect(await earned(oi.id)).toEqual([[c1, 1000, "PENDING"], [b1, 500, "PENDING"], [a1, 200, "PENDING"]]);
    expect(await earned(ob.id)).toEqual([[a1, 1000, "PENDING"], [s, 500, "PENDING"]]);
    expect(await task(os)).toEqual({ status: "OPEN", invitees: [b1, i] });
    // s: b1's two teas, 500 each; a1: 1 000 each and i's 200; b1: i's 500; c1: i's 1 000.
    expect(await pending([s, a1, b1, c1])).toEqual([1000, 2200, 500, 1000]);
    await expectLedgerBalanced();
  });

  it("matrix tree: an invitee's first payment crediting its matrix upline, not its inviter, while a refund below the inviter voids the inviter's and that upline's commissions: the inviter's wallet locked with the upline's", async () => {
    await open(matrixRules);
    const { s, a1, b1, c1, i } = await spilledInvitee();
    // s's tea anchors a task; b1's first tea counts for it; b1's second (a1 1 000, s 500) anchors b1's own task.
    const os = await paid(s, "tea");
    await paid(b1, "tea");
    const ob = await paid(b1, "tea");
    const oi = await order(i, "tea");
    // i's first tea locks s's, a1's and b1's wallets, then stops at c1's, held here. The refund of b1's second tea (b1 stays
    // a paying member: b1's Member row only) voids a1's 1 000 and s's 500: it locks s's, a1's and b1's wallets.
    const [pi, r] = await behind(wallet, c1, () => pay(oi), () => refund(ob));
    expect(pi).toEqual({ outcome: "paid" });
    expect(r).toEqual({ refunded: true });
    expect(aborted).toEqual([]);
    expect(await earned(ob)).toEqual([[a1, 1000, "VOID"], [s, 500, "VOID"]]);
    expect(await earned(oi.id)).toEqual([[c1, 1000, "PENDING"], [b1, 500, "PENDING"], [a1, 200, "PENDING"]]);
    expect((await task(ob)).status).toBe("VOID");
    expect(await task(os)).toEqual({ status: "OPEN", invitees: [b1, i] });
    // s: b1's first 500; a1: b1's first 1 000 and i's 200; b1: i's 500; c1: i's 1 000.
    expect(await pending([s, a1, b1, c1])).toEqual([500, 1200, 500, 1000]);
    await expectLedgerBalanced();
  });

  it("sponsor tree: an invitee's first payment whose inviter forfeits (not a distributor) and was moved under later members, while a refund voids the same upline's commissions: the inviter's wallet locked with the upline's", async () => {
    await open(config);
    // s signs up first, then g → p; a sponsor change moves s under p: s's upline p, g, both with larger ids than s's.
    const s = await reg("s", null);
    const g = await reg("g", null);
    const p = await reg("p", g);
    const change = (await run((c) => requestSponsorChange(c, { memberId: s, to: p, reason: "团队合并" }, { staffId: 101 }))).id;
    await run((c) => decideSponsorChange(c, change, true, null, { staffId: 202 }));
    await runSponsorChanges(db, { now: t0, config: rules });
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id: s } })).sponsorId).toBe(p);
    // Staff suspend s's distributor status: s forfeits its commissions (SPEC §4); its 推三返一 goes on.
    await run((c) => setDistributorEnabled(c, s, false, "核查中", { staffId: 101 }));
    const j = await reg("j", s);
    const i = await reg("i", s);
    // s's tea (p 1 000, g 500) anchors a task. j's first tea (s forfeits 1 000; p 500, g 200) counts for it; j's second
    // keeps j a paying member after the refund below.
    const os = await paid(s, "tea");
    const oj = await paid(j, "tea");
    await paid(j, "tea");
    const oi = await order(i, "tea");
    // i's first tea (s forfeits; p 500, g 200; i counts for s's task) locks s's and g's wallets, then stops at p's, held
    // here. The refund of j's first tea voids p's 500 and g's 200 and removes j from s's task: it locks s's, g's, p's and
    // j's wallets (j's Member row only).
    const [pi, r] = await behind(wallet, p, () => pay(oi), () => refund(oj));
    expect(pi).toEqual({ outcome: "paid" });
    expect(r).toEqual({ refunded: true });
    expect(aborted).toEqual([]);
    expect(await earned(oj)).toEqual([[s, 1000, "FORFEITED"], [p, 500, "VOID"], [g, 200, "VOID"]]);
    expect(await earned(oi.id)).toEqual([[s, 1000, "FORFEITED"], [p, 500, "PENDING"], [g, 200, "PENDING"]]);
    expect((await task(oj)).status).toBe("VOID");
    expect(await task(os)).toEqual({ status: "OPEN", invitees: [i] });
    // s: nothing; p: s's 1 000, j's second 500, i's 500; g: s's 500, j's second 200, i's 200.
    expect(await pending([s, p, g])).toEqual([0, 2000, 900]);
    await expectLedgerBalanced();
  });

  it("rejections, payments and a refund in one upline, started together, many times: no deadlock and the same outcome each time", async () => {
    await open(config);
    for (let round = 0; round < 8; round++) {
      // g → s → {m, e, d}, m → {c1, c2, c3}. s's tea (g 1 000) anchors a task with m (first order a gift) and e in it.
      const g = await reg("g", null);
      const s = await reg("s", g);
      const m = await reg("m", s);
      const e = await reg("e", s);
      const d = await reg("d", s);
      const cs = [await reg("c1", m), await reg("c2", m), await reg("c3", m)];
      const address = `addr-${round}`;
      const os = await paid(s, "tea", address);
      const o1 = await paid(m, "gift");
      const oe = await paid(e, "tea");
      const firsts: number[] = [];
      for (const c of cs) firsts.push(await paid(c, "tea"));
      expect(await task(o1)).toEqual({ status: "MET", invitees: cs });
      // m's tea to s's address: m flagged; o2 pays s 1 000, g 500.
      const o2 = await paid(m, "tea", address);
      const [o3, oe2, od] = [await order(cs[0]!, "tea"), await order(e, "tea"), await order(d, "gift")];
      const jitter = () => sleep(Math.floor(Math.random() * 40));
      const results = await Promise.all([
        jitter().then(() => reject(m)),
        jitter().then(() => pay(o3)),
        jitter().then(() => run((ctx) => refundOrder(ctx, firsts[1]!))),
        jitter().then(() => pay(oe2)),
        jitter().then(() => pay(od)),
      ]);
      expect(results).toEqual([expect.objectContaining({ decided: 1 }), { outcome: "paid" }, { refunded: true }, { outcome: "paid" }, { outcome: "paid" }]);
      expect(aborted).toEqual([]);
      expect(await earned(o2)).toEqual([[s, 1000, "VOID"], [g, 500, "VOID"]]);
      expect(await earned(firsts[1]!)).toEqual([[m, 1000, "VOID"], [s, 500, "VOID"], [g, 200, "VOID"]]);
      expect(await earned(o3.id)).toEqual([[m, 1000, "PENDING"], [s, 500, "PENDING"], [g, 200, "PENDING"]]);
      expect(await earned(oe)).toEqual([[s, 1000, "PENDING"], [g, 500, "PENDING"]]);
      // m's task VOID (its cashback accrued and taken back, by the rejection or by c2's refund); m's second task VOID.
      expect((await task(o1)).status).toBe("VOID");
      expect((await task(o2)).status).toBe("VOID");
      // s's task: m removed, d's first order counts (held while m was flagged): e and d, OPEN.
      expect(await task(os)).toEqual({ status: "OPEN", invitees: [e, d] });
      // g: s's 1 000 + e's 500 + e's second 500 + c1's, c3's and o3's 200; s: e's 1 000 + e's second 1 000 + c1's, c3's,
      // o3's 500; m: c1's, c3's and o3's 1 000 (c2's refunded, the cashback voided).
      expect(await pending([g, s, m])).toEqual([1000 + 500 + 500 + 3 * 200, 1000 + 1000 + 3 * 500, 3 * 1000]);
      expect((await database.prisma.member.findUniqueOrThrow({ where: { id: m } })).rejectionCount).toBe(1);
    }
    await expectLedgerBalanced();
  });
});
