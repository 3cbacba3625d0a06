// A sponsor change (server/members/sponsor-change) under concurrency: it takes effect when its move starts —
// with the approval unless another move runs — and every payment is wholly before or after that instant.
// Found in review: payments made while a batched move was unfinished paid the old upline (closure rows not
// yet moved), and two approvals at once made the second fail on the one-running index. Real concurrency
// needs PostgreSQL (PGlite runs one transaction at a time).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { completeOrder, confirmDelivery, confirmPayment, createOrder, shipOrder } from "../../server/orders";
import { createSimpleProduct } from "../../server/catalog/admin";
import { decideSponsorChange, requestSponsorChange, runSponsorChanges } from "../../server/members/sponsor-change";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { behind, overlapping, sleep } from "../helpers/races";

// Defaults: commissions 10/5/2% (a tea of 10 000 fen: 1 000 / 500 / 200), 推三返一 on.
const config = parseConfig({});
const t0 = new Date("2026-03-10T02:00:00Z");
const requester = { staffId: 101, requestId: "req-1" };
const approver = { staffId: 202, requestId: "req-2" };
const DAY = 86_400_000;

describe.runIf(usingPostgres())("sponsor change under concurrent payments and approvals", () => {
  let database: Database;
  const db = () => database.prisma;
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(db(), { config, now: t0 }, fn);
  const reg = async (username: string, sponsorId: number | null) =>
    (await run((c) => registerMember(c, { username, sponsorId, ip: `10.1.${username.length}.${username.charCodeAt(0)}`, device: `dev-${username}` }))).id;
  const ask = async (memberId: number, to: number) => (await run((c) => requestSponsorChange(c, { memberId, to, reason: "主播团队合并" }, requester))).id;
  const approve = (c: Ctx, id: number) => decideSponsorChange(c, id, true, null, approver);
  const order = (memberId: number) => run((c) => createOrder(c, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  const payFor = (c: Ctx, o: { id: number; payableFen: number }) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" });
  const earned = async (orderId: number) =>
    (await db().commission.findMany({ where: { orderId }, orderBy: { level: "asc" } })).map((r) => [r.level, r.beneficiaryId, r.amountFen]);
  const directs = async (id: number) => (await db().member.findUniqueOrThrow({ where: { id } })).qualifiedDirects;
  const status = async (id: number) => (await db().sponsorChangeRequest.findUniqueOrThrow({ where: { id } })).status;

  beforeEach(async () => {
    database = await freshDatabase();
    await db().mallConfig.create({ data: { data: config as object } });
    await run(async (c) => {
      await c.tx.category.create({ data: { slug: "tea", name: "茶" } });
      await createSimpleProduct(c.tx, { sku: "tea", name: "茶", priceFen: 10_000, category: "tea", stock: 100 });
    });
  });
  afterEach(() => database.close());

  /** old1 → old → a → {a1 → a11, a2}; x → n → n1. */
  async function team() {
    const old1 = await reg("old1", null);
    const old = await reg("old", old1);
    const a = await reg("a", old);
    const a1 = await reg("a1", a);
    const a11 = await reg("a11", a1);
    const a2 = await reg("a2", a);
    const x = await reg("x", null);
    const n = await reg("n", x);
    const n1 = await reg("n1", n);
    return { old1, old, a, a1, a11, a2, x, n, n1 };
  }

  it("two approvals of different changes at once: one move starts, the other queues, neither fails", async () => {
    const { a, n1, old1, x } = await team();
    const first = await ask(a, n1);
    const second = await ask(old1, x);
    await overlapping(run, (c) => approve(c, first), (c) => approve(c, second));
    expect([await status(first), await status(second)]).toEqual(["RUNNING", "APPROVED"]);
    expect(await runSponsorChanges(db(), { now: t0, config })).toBe(2);
    expect([await status(first), await status(second)]).toEqual(["DONE", "DONE"]);
  });

  it("the moved member pays while the approval commits: the payment waits, then qualifies and earns for the new upline", async () => {
    const { old, a, n1, n, x } = await team();
    const id = await ask(a, n1);
    const o = await order(a);
    await overlapping(run, (c) => approve(c, id), (c) => payFor(c, o));
    expect(await earned(o.id)).toEqual([[1, n1, 1000], [2, n, 500], [3, x, 200]]);
    expect([await directs(old), await directs(n1)]).toEqual([0, 1]);
    await runSponsorChanges(db(), { now: t0, config, batchSize: 2 });
    expect([await directs(old), await directs(n1)]).toEqual([0, 1]);
  });

  it("the approval commits while the moved member's payment is open: the payment went first (old upline), its qualified direct moves", async () => {
    const { old1, old, a, n1 } = await team();
    const id = await ask(a, n1);
    const o = await order(a);
    await overlapping(run, (c) => payFor(c, o), (c) => approve(c, id));
    expect(await status(id)).toBe("RUNNING");
    expect(await earned(o.id)).toEqual([[1, old, 1000], [2, old1, 500]]);
    // The start read a's paid count after the payment committed: the qualified direct is n1's now.
    expect([await directs(old), await directs(n1)]).toEqual([0, 1]);
    await runSponsorChanges(db(), { now: t0, config, batchSize: 2 });
    expect([await directs(old), await directs(n1)]).toEqual([0, 1]);
  });

  it("a payment while a batch is in flight: an unmoved buyer earns for the new upline at once; a buyer of the batch waits for it", async () => {
    const { old, a, a1, a11, n1, n } = await team();
    // a11 paid before: its next payment qualifies nobody, so it takes no lock of the batch's members.
    await run(async (c) => payFor(c, await order(a11)));
    const [unmoved, inBatch] = [await order(a11), await order(a1)];
    const id = await ask(a, n1);
    await run((c) => approve(c, id));
    // Holding n1's row stops the first batch (a, a1) after it rewrote their closure rows, at n1's team size.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const holder = db().$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Member" WHERE id = ${n1} FOR NO KEY UPDATE`;
        await gate;
      },
      { timeout: 60_000 },
    );
    await sleep(300);
    let batchDone = false;
    const batch = runSponsorChanges(db(), { now: t0, config, batchSize: 2, maxBatches: 1 }).then(() => (batchDone = true));
    await sleep(600);
    const paidUnmoved = run((c) => payFor(c, unmoved));
    const paidInBatch = run((c) => payFor(c, inBatch));
    expect(await Promise.race([paidUnmoved.then(() => "paid"), sleep(5_000).then(() => "blocked")])).toBe("paid");
    expect(batchDone).toBe(false);
    expect(await earned(unmoved.id)).toEqual([[1, a1, 1000], [2, a, 500], [3, n1, 200]]);
    release();
    await Promise.all([holder, batch, paidInBatch]);
    expect(await earned(inBatch.id)).toEqual([[1, a, 1000], [2, n1, 500], [3, n, 200]]);
    expect(await runSponsorChanges(db(), { now: t0, config, batchSize: 2 })).toBe(1);
    // Nothing of the two payments reached the old upline.
    expect((await db().commission.findMany({ where: { beneficiaryId: old, orderId: { in: [unmoved.id, inBatch.id] } } })).length).toBe(0);
  });

  it("an order completes while a batch holds its buyer: the completion waits, then credits gmv to the buyer's new upline", async () => {
    // r1 → s1 → b → b1; r2 → s2. b (with b1) moves under s2.
    const r1 = await reg("r1", null);
    const s1 = await reg("s1", r1);
    const b = await reg("b", s1);
    await reg("b1", b);
    const r2 = await reg("r2", null);
    const s2 = await reg("s2", r2);
    // b's order is paid, shipped and delivered before the change; its 7-day return window has closed 8 days later.
    const o = await order(b);
    await run((c) => payFor(c, o));
    await run((c) => shipOrder(c, o.id));
    await run((c) => confirmDelivery(c, o.id));
    const later = new Date(t0.getTime() + 8 * DAY);
    const id = await ask(b, s2);
    await run((c) => approve(c, id));
    // Holding s2 (its team size) stops the first batch (b alone: ids in order, one a batch) after it locked b and
    // rewrote b's closure rows; the completion then waits for b's row; the batch commits, the completion goes on.
    const [, completed] = await behind(
      db(),
      `SELECT id FROM "Member" WHERE id = $1 FOR NO KEY UPDATE`,
      s2,
      () => runSponsorChanges(db(), { now: later, config, batchSize: 1, maxBatches: 1 }),
      () => inTx(db(), { config, now: later }, (c) => completeOrder(c, o.id)),
    );
    expect(completed).toBe(true);
    const credits = async () =>
      (await db().gmvCredit.findMany({ where: { orderId: o.id }, orderBy: { depth: "asc" } })).map((g) => [g.memberId, g.depth, g.amountFen]);
    // The tea's 10 000 fen to b and its ancestors after the move; nothing to s1 or r1.
    expect(await credits()).toEqual([[b, 0, 10_000], [s2, 1, 10_000], [r2, 2, 10_000]]);
    // The rest of the move (b1, the finish) leaves them so.
    expect(await runSponsorChanges(db(), { now: later, config, batchSize: 1 })).toBe(1);
    expect(await credits()).toEqual([[b, 0, 10_000], [s2, 1, 10_000], [r2, 2, 10_000]]);
    expect((await db().gmvCredit.findMany({ where: { memberId: { in: [s1, r1] } } })).length).toBe(0);
  });
});
