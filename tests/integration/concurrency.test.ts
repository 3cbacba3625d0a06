// Correctness under concurrency (issue: foundation). On PostgreSQL these race for real; on PGlite
// (one connection) the same code paths run serialised and must give the same results.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, DomainError } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder, confirmPayment, confirmDelivery, shipOrder } from "../../server/orders";
import { runDueTransitions, performDueById } from "../../server/scheduler";
import { freshDatabase } from "../helpers/db";
import { DAY } from "../../server/clock/time";
import { createSimpleProduct } from "../../server/catalog/admin";

const config = parseConfig({});
let database: Database;

beforeEach(async () => {
  database = await freshDatabase();
  await inTx(database.prisma, { config }, async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "longjing", name: "龙井", priceFen: 10000, category: "tea", stock: 20 });
  });
});
afterEach(async () => {
  await database.close();
});

// Members join before the tests' orders (2026-03), so they are distributors when those are paid (SPEC §4).
const JOINED = new Date("2026-02-01T00:00:00Z");
async function members(n: number, sponsorOfAll?: string) {
  const ids: number[] = [];
  let sponsorId: number | null = null;
  if (sponsorOfAll) sponsorId = (await inTx(database.prisma, { config, now: JOINED }, (ctx) => registerMember(ctx, { username: sponsorOfAll }))).id;
  for (let i = 0; i < n; i++) {
    const m = await inTx(database.prisma, { config, now: JOINED }, (ctx) => registerMember(ctx, { username: `buyer${i}`, sponsorId, ip: `10.1.${i >> 8}.${i & 255}`, device: `d${i}` }));
    ids.push(m.id);
  }
  return { ids, sponsorId };
}

describe("concurrency", () => {
  it("200 concurrent purchases of 20 in stock give exactly 20 paid orders and stock 0", async () => {
    const { ids } = await members(200);
    const db = database.prisma;
    const results = await Promise.allSettled(
      ids.map(async (memberId, i) => {
        const order = await inTx(db, { config }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "longjing", qty: 1 }] }));
        return inTx(db, { config }, (ctx) =>
          confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: `tx-${i}`, amountFen: order.payableFen, currency: "CNY" }),
        );
      }),
    );
    const paid = results.filter((r) => r.status === "fulfilled" && r.value.outcome === "paid").length;
    const refused = results.filter((r) => r.status === "rejected");
    expect(paid).toBe(20);
    expect(refused).toHaveLength(180);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(DomainError);
    expect(await db.order.count({ where: { status: "PAID" } })).toBe(20);
    expect((await db.sku.findUniqueOrThrow({ where: { code: "longjing" } })).stock).toBe(0);
  });

  it("the same payment confirmation delivered 10 times concurrently pays once", async () => {
    const { ids, sponsorId } = await members(1, "sponsor");
    const db = database.prisma;
    const order = await inTx(db, { config }, (ctx) => createOrder(ctx, { memberId: ids[0], lines: [{ sku: "longjing", qty: 2 }] }));
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        inTx(db, { config }, (ctx) =>
          confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: "same-txn", amountFen: 20000, currency: "CNY" }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o.outcome === "paid")).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === "duplicate")).toHaveLength(9);
    expect(await db.payment.count()).toBe(1);
    const commissions = await db.commission.findMany();
    expect(commissions).toHaveLength(1);
    expect(commissions[0]).toMatchObject({ beneficiaryId: sponsorId, level: 1, amountFen: 2000, status: "PENDING" });
    expect(await db.rebateTask.count()).toBe(1);
    expect(Number((await db.wallet.findUniqueOrThrow({ where: { memberId: sponsorId! } })).pending)).toBe(2000);
  });

  it("two sweeps and an Inngest wake-up racing on the same due settlement credit the ledger once", async () => {
    const { ids, sponsorId } = await members(1, "sponsor");
    const db = database.prisma;
    const t0 = new Date("2026-03-01T02:00:00Z");
    const order = await inTx(db, { config, now: t0 }, (ctx) => createOrder(ctx, { memberId: ids[0], lines: [{ sku: "longjing", qty: 1 }] }));
    await inTx(db, { config, now: t0 }, (ctx) =>
      confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: "t", amountFen: 10000, currency: "CNY" }),
    );
    await inTx(db, { config, now: t0 }, (ctx) => shipOrder(ctx, order.id));
    await inTx(db, { config, now: t0 }, (ctx) => confirmDelivery(ctx, order.id));
    // Complete the order (due at +7 days), which schedules the T+1 settlement.
    await runDueTransitions(db, new Date(t0.getTime() + 7 * DAY), { config, clock: "due" });
    const settle = await db.dueTransition.findFirstOrThrow({ where: { kind: "COMMISSION_SETTLE" } });
    const later = new Date(settle.dueAt.getTime() + 1000);
    const [a, b, c] = await Promise.all([
      runDueTransitions(db, later, { config, now: later }),
      runDueTransitions(db, later, { config, now: later }),
      performDueById(db, settle.id, { config, now: later }),
    ]);
    expect(a + b + (c ? 1 : 0)).toBeGreaterThanOrEqual(1);
    const settles = await db.ledgerTxn.findMany({ where: { kind: "commission_settle" } });
    expect(settles).toHaveLength(1);
    const wallet = await db.wallet.findUniqueOrThrow({ where: { memberId: sponsorId! } });
    expect(wallet).toMatchObject({ pending: 0n, available: 1000n });
    expect((await db.commission.findFirstOrThrow()).status).toBe("SETTLED");
  });
});
