// Stock contention to payment (issue 14, item 5): more buyers than units start at once, each orders and
// pays through the verified-callback path. Exactly `units` orders are paid, the others are refused as out
// of stock, and stock ends at zero. On PostgreSQL (FM_TEST_DB=postgres) they race for real.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { DomainError, inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder } from "../../server/orders";
import { applyProviderPayment, getProvider } from "../../server/payments";
import { createSimpleProduct } from "../../server/catalog/admin";
import { freshDatabase } from "../helpers/db";

const config = parseConfig({});
let database: Database;

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.category.create({ data: { slug: "limited", name: "限量" } });
  await createSimpleProduct(database.prisma, { sku: "HOT", name: "限量款", priceFen: 19_900, category: "limited", stock: 12 });
});
afterEach(() => database.close());

describe("stock contention through payment", () => {
  it("60 buyers on 12 units: exactly 12 paid, 48 refused out of stock, stock 0", async () => {
    const db = database.prisma;
    const ids: number[] = [];
    for (let i = 0; i < 60; i++) {
      const sponsorId = i === 0 ? null : ids[(i - 1) >> 2];
      ids.push((await inTx(db, { config }, (ctx) => registerMember(ctx, { username: `s${i}`, sponsorId, ip: `10.8.${i >> 8}.${i & 255}`, device: `d${i}` }))).id);
    }
    const sandbox = getProvider("sandbox");
    const results = await Promise.allSettled(
      ids.map(async (memberId) => {
        const now = new Date();
        const order = await inTx(db, { config, now }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "HOT", qty: 1 }] }));
        const reference = `${order.orderNo}-t`;
        await db.paymentIntent.create({ data: { orderId: order.id, provider: "sandbox", reference, amountFen: order.payableFen, createdAt: now } });
        return applyProviderPayment(db, sandbox, { reference, providerTxnId: `S${order.id}`, amountFen: order.payableFen, currency: "CNY", status: "SUCCESS" }, new Date());
      }),
    );
    const paid = results.filter((r) => r.status === "fulfilled" && r.value.outcome === "paid").length;
    const refused = results.filter((r) => r.status === "rejected");
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(DomainError);
      expect((r.reason as DomainError).code).toBe("OUT_OF_STOCK");
    }
    expect(paid).toBe(12);
    expect(refused).toHaveLength(48);
    expect(await db.order.count({ where: { status: "PAID" } })).toBe(12);
    expect(await db.payment.count()).toBe(12);
    expect((await db.sku.findUniqueOrThrow({ where: { code: "HOT" } })).stock).toBe(0);
    // The ledger balances, every paid order's commissions reached it, and the wallets mirror it.
    const unbalanced = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (SELECT "txnId" FROM "LedgerEntry" GROUP BY 1 HAVING sum("amountFen") <> 0) u`;
    expect(unbalanced[0].n).toBe(0);
    const accrued = await db.ledgerTxn.count({ where: { kind: "commission_accrue" } });
    expect(accrued).toBe(await db.commission.count({ where: { status: "PENDING" } }));
    expect(accrued).toBeGreaterThan(0);
    const ledgerPending = await db.ledgerEntry.aggregate({ where: { bucket: "pending" }, _sum: { amountFen: true } });
    const wallets = await db.wallet.aggregate({ _sum: { pending: true } });
    expect(Number(wallets._sum.pending)).toBe(ledgerPending._sum.amountFen);
  });
});
