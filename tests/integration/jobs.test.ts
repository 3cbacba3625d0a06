// Jobs that never stall (issue 8): a failing due transition is isolated, retried with backoff and
// dead-lettered for staff; long jobs run in resumable batches; the ledger trigger uses its index.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Prisma, type Database } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { confirmDelivery, confirmPayment, createOrder, shipOrder } from "../../server/orders";
import { MAX_ATTEMPTS, backoffMs, runDueTransitions } from "../../server/scheduler";
import { countFailedJobs, listFailedJobs, retryFailedJob } from "../../server/scheduler/failed";
import { reviewTiers } from "../../server/tiers";
import { runBatched, type BatchedJob } from "../../server/scheduler/batches";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { planWithoutSeqscan } from "../helpers/plans";
import { DAY, MINUTE } from "../../server/clock/time";
import { createSimpleProduct } from "../../server/catalog/admin";

const config = parseConfig({ tiers: [{ name: "member" }, { name: "promoter", minDirects: 1 }] });
let database: Database;
const t0 = new Date("2026-03-10T02:00:00Z");

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await inTx(database.prisma, { config, now: t0 }, async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "茶", priceFen: 10000, category: "tea", stock: 10 });
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await database.close();
});

async function unpaidOrders(n: number) {
  const db = database.prisma;
  const buyer = await inTx(db, { config, now: t0 }, (ctx) => registerMember(ctx, { username: "buyer-zhang", ip: "1", device: "a" }));
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push((await inTx(db, { config, now: t0 }, (ctx) => createOrder(ctx, { memberId: buyer.id, lines: [{ sku: "tea", qty: 1 }] }))).id);
  return ids;
}

/** A real database failure for one order only (as a broken row or constraint would cause). */
async function poison(orderId: number) {
  await database.prisma.$executeRawUnsafe(`CREATE FUNCTION poison_order() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'order % is poisoned', OLD.id; END; $$ LANGUAGE plpgsql`);
  await database.prisma.$executeRawUnsafe(
    `CREATE TRIGGER poison BEFORE UPDATE ON "Order" FOR EACH ROW WHEN (OLD.id = ${orderId}) EXECUTE FUNCTION poison_order()`,
  );
}

describe("due transitions never stall", () => {
  it("one failing transition does not block the others; it backs off, is dead-lettered with an alert, and staff can retry it", async () => {
    const db = database.prisma;
    const [a, bad, c] = await unpaidOrders(3);
    await poison(bad);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "warn").mockImplementation(() => {});

    let now = new Date(t0.getTime() + 31 * MINUTE);
    expect(await runDueTransitions(db, now, { config, now })).toBe(2);
    const status = async (id: number) => (await db.order.findUniqueOrThrow({ where: { id } })).status;
    expect([await status(a), await status(bad), await status(c)]).toEqual(["CANCELLED", "PENDING_PAYMENT", "CANCELLED"]);
    const row = async () => db.dueTransition.findFirstOrThrow({ where: { kind: "ORDER_PAYMENT_TIMEOUT", refId: bad } });
    let r = await row();
    expect(r).toMatchObject({ attempts: 1, doneAt: null, deadAt: null });
    expect(r.nextAttemptAt).toEqual(new Date(now.getTime() + backoffMs(1)));
    expect(r.lastError).toContain("poisoned");

    // Not retried before its backoff has passed.
    expect(await runDueTransitions(db, new Date(now.getTime() + backoffMs(1) - 1), { config })).toBe(0);
    expect((await row()).attempts).toBe(1);

    // Each later sweep makes one more attempt, with a doubling wait, until it is dead-lettered.
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      now = (await row()).nextAttemptAt!;
      await runDueTransitions(db, now, { config, now });
      r = await row();
      expect(r.attempts).toBe(attempt);
      if (attempt < MAX_ATTEMPTS) expect(r.nextAttemptAt!.getTime() - now.getTime()).toBe(backoffMs(attempt));
    }
    expect(r.deadAt).toEqual(now);
    expect(backoffMs(2)).toBe(2 * backoffMs(1));
    const alerts = errors.mock.calls.map((c) => String(c[0])).filter((m) => m.includes("[alert]"));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain(`dead-lettered after ${MAX_ATTEMPTS} attempts`);
    expect(alerts[0]).not.toContain("buyer-zhang");
    expect(alerts[0]).not.toContain("poisoned"); // the message stays in the database, not the log

    // Dead: no sweep takes it any more, and staff see it.
    await runDueTransitions(db, new Date(now.getTime() + 30 * 24 * 60 * MINUTE), { config });
    expect((await row()).attempts).toBe(MAX_ATTEMPTS);
    expect(await countFailedJobs(db)).toEqual({ transitions: 1, providerCalls: 0, total: 1 });
    const [job] = await listFailedJobs(db);
    expect(job).toMatchObject({ type: "transition", id: r.id, kind: "ORDER_PAYMENT_TIMEOUT", ref: String(bad), attempts: MAX_ATTEMPTS });

    // The cause is fixed; a staff retry puts it back and the next sweep performs it.
    await db.$executeRawUnsafe(`DROP TRIGGER poison ON "Order"`);
    const staff = await db.staffAccount.create({ data: { username: "ops", displayName: "运维", role: "owner", passwordHash: "x", createdAt: now } });
    await inTx(db, { config, now }, (ctx) => retryFailedJob(ctx, { staffId: staff.id }, { type: "transition", id: r.id }));
    await expect(inTx(db, { config, now }, (ctx) => retryFailedJob(ctx, { staffId: staff.id }, { type: "transition", id: r.id }))).rejects.toThrow();
    expect(await runDueTransitions(db, now, { config, now })).toBe(1);
    expect(await status(bad)).toBe("CANCELLED");
    expect(await countFailedJobs(db)).toEqual({ transitions: 0, providerCalls: 0, total: 0 });
    expect(await db.auditLog.count({ where: { action: "job.retried", target: `transition:${r.id}` } })).toBe(1);
    expect((await db.sku.findUniqueOrThrow({ where: { code: "tea" } })).stock).toBe(10);
  });
});

describe("transitions left with nothing to do", () => {
  const pay = (id: number, now: Date) =>
    inTx(database.prisma, { config, now }, (ctx) => confirmPayment(ctx, { orderId: id, provider: "test", providerTxnId: `t${id}`, amountFen: 10000, currency: "CNY" }));

  it("a payment retires the order's payment timeout, a confirmed delivery its automatic delivery: no sweep performs them", async () => {
    const db = database.prisma;
    const [a, b] = await unpaidOrders(2);
    const paidAt = new Date(t0.getTime() + 5 * MINUTE);
    expect(await pay(a, paidAt)).toEqual({ outcome: "paid" });
    const due = (kind: "ORDER_PAYMENT_TIMEOUT" | "ORDER_AUTO_DELIVER" | "ORDER_COMPLETE", refId: number) =>
      db.dueTransition.findFirstOrThrow({ where: { kind, refId } });
    expect((await due("ORDER_PAYMENT_TIMEOUT", a)).doneAt).toEqual(paidAt);
    expect((await due("ORDER_PAYMENT_TIMEOUT", b)).doneAt).toBeNull();

    const performed: string[] = [];
    const sweep = (until: Date) => runDueTransitions(db, until, { config, clock: "due", onPerformed: (r) => performed.push(`${r.kind}:${r.refId}`) });
    await sweep(new Date(t0.getTime() + 31 * MINUTE));
    expect(performed).toEqual([`ORDER_PAYMENT_TIMEOUT:${b}`]);
    expect((await db.order.findUniqueOrThrow({ where: { id: a } })).status).toBe("PAID");

    const shippedAt = new Date(t0.getTime() + DAY);
    const deliveredAt = new Date(t0.getTime() + 2 * DAY);
    await inTx(db, { config, now: shippedAt }, (ctx) => shipOrder(ctx, a));
    await inTx(db, { config, now: deliveredAt }, (ctx) => confirmDelivery(ctx, a));
    expect((await due("ORDER_AUTO_DELIVER", a)).doneAt).toEqual(deliveredAt);
    expect((await due("ORDER_COMPLETE", a)).dueAt).toEqual(new Date(deliveredAt.getTime() + 7 * DAY));
    performed.length = 0;
    await sweep(new Date(shippedAt.getTime() + 11 * DAY)); // past both the automatic delivery and the return window
    expect(performed).toEqual([`ORDER_COMPLETE:${a}`]);
    expect((await db.order.findUniqueOrThrow({ where: { id: a } })).status).toBe("COMPLETED");
  });

  it.runIf(usingPostgres())("a payment does not wait for a sweeper holding the timeout: the sweeper finds the order paid", async () => {
    const db = database.prisma;
    const [a] = await unpaidOrders(1);
    let hold!: () => void;
    const held = new Promise<void>((r) => (hold = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const sweeper = db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "DueTransition" WHERE kind = 'ORDER_PAYMENT_TIMEOUT' AND "refId" = ${a} FOR UPDATE`;
      locked();
      await held;
    });
    await isLocked;
    expect(await pay(a, new Date(t0.getTime() + 29 * MINUTE))).toEqual({ outcome: "paid" });
    hold();
    await sweeper;
    expect((await db.dueTransition.findFirstOrThrow({ where: { kind: "ORDER_PAYMENT_TIMEOUT", refId: a } })).doneAt).toBeNull();
    await runDueTransitions(db, new Date(t0.getTime() + 31 * MINUTE), { config, clock: "due" });
    expect((await db.order.findUniqueOrThrow({ where: { id: a } })).status).toBe("PAID");
    expect((await db.dueTransition.findFirstOrThrow({ where: { kind: "ORDER_PAYMENT_TIMEOUT", refId: a } })).doneAt).not.toBeNull();
  });
});

describe("batched long jobs", () => {
  async function promoters(n: number) {
    const db = database.prisma;
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const m = await inTx(db, { config, now: t0 }, (ctx) => registerMember(ctx, { username: `p${i}`, ip: `${i}`, device: `d${i}` }));
      ids.push(m.id);
    }
    // Promoters on paper whose directs are gone: the nightly review must bring each one down.
    await db.member.updateMany({ where: { id: { in: ids } }, data: { tier: "promoter" } });
    return ids;
  }

  it("the nightly tier review runs in fixed-size batches, resumes after a crash and never redoes a batch", async () => {
    const db = database.prisma;
    const ids = await promoters(7);
    const now = new Date("2026-03-11T16:00:00Z"); // 00:00 on 12 March, Shanghai
    // A "crash" after two committed batches of 3.
    const first = await reviewTiers(db, { config, now, batchSize: 3, maxBatches: 2 });
    expect(first).toEqual({ changed: 6, batches: 2, done: false });
    expect(await db.member.count({ where: { id: { in: ids }, tier: "promoter" } })).toBe(1);
    const cursor = await db.jobCursor.findUniqueOrThrow({ where: { key: "tier_review:2026-03-12" } });
    expect(cursor).toMatchObject({ lastId: ids[5], processed: 6, batches: 2, doneAt: null });

    const resumed = await reviewTiers(db, { config, now, batchSize: 3 });
    expect(resumed).toEqual({ changed: 1, batches: 1, done: true });
    expect(await db.member.count({ where: { id: { in: ids }, tier: "promoter" } })).toBe(0);
    // One tier-change notice per member: no batch ran twice.
    expect(await db.notification.count({ where: { kind: "tier", memberId: { in: ids } } })).toBe(7);
    // The same night again changes nothing.
    expect(await reviewTiers(db, { config, now, batchSize: 3 })).toEqual({ changed: 0, batches: 0, done: true });
  });

  it("a batch that fails rolls back alone: the committed batches stay, the cursor does not move past it", async () => {
    const db = database.prisma;
    const ids = await promoters(5);
    await db.$executeRawUnsafe(`CREATE FUNCTION poison_member() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'member poisoned'; END; $$ LANGUAGE plpgsql`);
    await db.$executeRawUnsafe(`CREATE TRIGGER poison BEFORE UPDATE ON "Member" FOR EACH ROW WHEN (OLD.id = ${ids[3]}) EXECUTE FUNCTION poison_member()`);
    const now = new Date("2026-03-11T16:00:00Z");
    await expect(reviewTiers(db, { config, now, batchSize: 2 })).rejects.toThrow(/poisoned/);
    expect(await db.member.count({ where: { id: { in: ids }, tier: "promoter" } })).toBe(3);
    expect((await db.jobCursor.findUniqueOrThrow({ where: { key: "tier_review:2026-03-12" } })).lastId).toBe(ids[1]);
    await db.$executeRawUnsafe(`DROP TRIGGER poison ON "Member"`);
    expect(await reviewTiers(db, { config, now, batchSize: 2 })).toEqual({ changed: 3, batches: 2, done: true });
    expect(await db.member.count({ where: { id: { in: ids }, tier: "promoter" } })).toBe(0);
  });

  it("a batch's statements are planned for the batch's own values without JIT, and only inside the batch", async () => {
    const db = database.prisma;
    const ids = await promoters(3);
    // A prepared statement's generic plan cannot tell where the cursor is: at 1 M members the stepped bonus's next ids
    // took ~1 s a batch with it and 2 ms with a plan for the batch's values (bench/README, jobs).
    const seen: string[] = [];
    const planMode = async (ctx: Ctx) => (await ctx.tx.$queryRaw<{ mode: string }[]>`SELECT current_setting('plan_cache_mode') || ' jit=' || current_setting('jit') AS mode`)[0]!.mode;
    const job: BatchedJob = {
      key: "plan_probe",
      nextIds: async (ctx, afterId, limit) => {
        seen.push(await planMode(ctx));
        return ids.filter((id) => id > afterId).slice(0, limit);
      },
      processBatch: async (ctx) => {
        seen.push(await planMode(ctx));
        return 0;
      },
    };
    expect(await runBatched(db, job, { config, now: t0, batchSize: 2 })).toEqual({ changed: 0, batches: 2, done: true });
    expect(seen).toEqual(Array(4).fill("force_custom_plan jit=off"));
    // Local to the batch: the connection goes back to the server's settings.
    expect((await db.$queryRaw<{ mode: string }[]>`SELECT current_setting('plan_cache_mode') AS mode`)[0]!.mode).toBe("auto");
  });
});

describe("ledger", () => {
  it("the deferred balance check finds a transaction's entries through the txnId index", async () => {
    const db = database.prisma;
    const plan = await planWithoutSeqscan(db, Prisma.sql`SELECT COALESCE(SUM("amountFen"), 0) FROM "LedgerEntry" WHERE "txnId" = 42`);
    expect(plan).toContain("LedgerEntry_txnId_idx");
    const fn = await db.$queryRawUnsafe<{ src: string }[]>(`SELECT prosrc AS src FROM pg_proc WHERE proname = 'ledger_txn_balanced'`);
    expect(fn[0].src).toContain(`WHERE "txnId" = NEW."txnId"`);
  });
});
