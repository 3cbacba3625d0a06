// A provider outage leaves tens of thousands of refunds stuck at once: the back office's home still counts them and the
// orders list's 退款异常 filter (and its CSV rows) still pages them, though one query cannot name that many orders by id
// (PostgreSQL takes at most 32 767 bind parameters).
import { describe, expect, it } from "vitest";
import { countOrders, searchOrders, stuckRefundCount, orderExportPage } from "../../server/orders/merchant";
import { REFUND_CONFIG, refundBed, T0 } from "../helpers/refunds";

const bed = refundBed();

/**
 * Orders FMOUT1…FMOUT42000 placed a minute apart after T0, all refunded through the provider: every 21st one's refund
 * confirmed, the other 40 000 refunds given up on (DEAD) — one statement.
 */
async function outage(memberId: number) {
  await bed.database.prisma.$executeRaw`
    WITH o AS (
      INSERT INTO "Order" ("orderNo", "memberId", status, "goodsFen", "payableFen", "createdAt", "paidAt", "refundedAt")
      SELECT 'FMOUT' || g, ${memberId}, 'REFUNDED', 10000, 10000, ${T0}::timestamptz + g * interval '1 minute', ${T0}::timestamptz + g * interval '1 minute', ${T0}::timestamptz + interval '60 days'
      FROM generate_series(1, 42000) g RETURNING id, "orderNo"
    ), p AS (
      INSERT INTO "Payment" ("orderId", provider, "providerTxnId", "amountFen", currency, status, "paidAt", "refundNo", "refundedAt")
      SELECT id, 'sandbox', 'TX' || "orderNo", 10000, 'CNY', 'REFUNDED', ${T0}, 'RF' || "orderNo", ${T0} FROM o RETURNING "orderId", "refundNo"
    )
    INSERT INTO "ProviderCall" (kind, provider, "idempotencyNo", "amountFen", "orderId", status, "nextAttemptAt", "createdAt", "doneAt", "refundOutcome")
    SELECT 'REFUND', 'sandbox', "refundNo", 10000, "orderId", CASE WHEN substr("refundNo", 8)::int % 21 = 0 THEN 'DONE' ELSE 'DEAD' END::"ProviderCallStatus",
      ${T0}, ${T0}, ${T0}, CASE WHEN substr("refundNo", 8)::int % 21 = 0 THEN 'CONFIRMED'::"RefundOutcome" END FROM p`;
}

const orderNos = (from: number, n: number) => Array.from({ length: n }, (_, i) => `FMOUT${from - i}`);

describe("40 000 stuck refunds after a provider outage", () => {
  it("the home counts them and the 退款异常 list and its CSV rows page them, newest first", async () => {
    const { memberId } = await bed.paidOrder();
    await outage(memberId);
    const reader = { tx: bed.database.prisma, config: REFUND_CONFIG };

    expect(await stuckRefundCount(reader)).toBe(40_000);
    // The CSV export's exact count (its progress) too.
    expect(await countOrders(reader, { refund: "stuck" })).toBe(40_000);

    // FMOUT42000 is a 21st (confirmed); the next 20 down to FMOUT41980 are stuck (FMOUT41979 is the next 21st).
    const first = await searchOrders(reader, { refund: "stuck" });
    expect([first.total, first.more]).toEqual([10_000, true]);
    expect(first.items.map((i) => [i.orderNo, i.statusLabel])).toEqual(orderNos(41_999, 20).map((no) => [no, "退款异常"]));

    // With another filter: FMOUT4199 and FMOUT41990…FMOUT41999, none a 21st.
    const some = await searchOrders(reader, { refund: "stuck", orderNo: "fmout4199" });
    expect([some.total, some.items.map((i) => i.orderNo)]).toEqual([11, [...orderNos(41_999, 10), "FMOUT4199"]]);
    expect((await searchOrders(reader, { refund: "pending" })).items).toEqual([]);

    const page1 = await orderExportPage(reader, { refund: "stuck" }, null, 3);
    expect(page1.map((i) => i.orderNo)).toEqual(orderNos(41_999, 3));
    expect((await orderExportPage(reader, { refund: "stuck" }, page1[2]!, 3)).map((i) => i.orderNo)).toEqual(orderNos(41_996, 3));
  }, 120_000);
});
