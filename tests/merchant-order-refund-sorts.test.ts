// The orders list's 退款异常 / 退款中 filters keep the list's order on every sort, as the other statuses do: the sort
// column in its direction, unpaid orders last either way, ties by id in the sort's direction; their pages, the CSV
// export's cursor pages and their counts agree. The refund condition sits in the page's own query (one statement with
// the order and the page), never a list of every matching order read first.
import { describe, expect, it } from "vitest";
import { ORDER_SORTS, countOrders, orderExportPage, searchOrders, stuckRefundCount, type MerchantOrderFilter, type OrderSort } from "../server/orders/merchant";
import { orderExport } from "../server/exports/orders";
import { REFUND_CONFIG, refundBed, T0 } from "./helpers/refunds";
import { Prisma, type Db } from "../server/db";

const bed = refundBed();
const DAY = 24 * 3600_000;
/** Day n after T0 (10:00 in Shanghai), so that `from`/`to` can pick days. */
const day = (n: number) => new Date(T0.getTime() + n * DAY);
const hour = (n: number) => new Date(T0.getTime() + 30 * DAY + n * 3600_000);

type Call = { status: "PENDING" | "DONE" | "DEAD"; open: boolean; outcome: "CONFIRMED" | "FAILED" | "UNCONFIRMED" | null };
const DEAD: Call = { status: "DEAD", open: false, outcome: null };
const FAILED: Call = { status: "DONE", open: false, outcome: "FAILED" };
const UNCONFIRMED: Call = { status: "DONE", open: false, outcome: "UNCONFIRMED" };

/**
 * REFUNDED orders through the provider, inserted in this order (so their ids rise in it). S1…S6 are stuck; N1, N2, N4
 * and N5 on their way (sending; awaiting; awaiting again after a failure; re-sent after it went unconfirmed); N3 back.
 * Ties: S1/S5 and S2/S3 placed together, S1/S3 paid together, S1/S3/S6 and S2/S4 of one amount; S4, S5, N5 unpaid.
 */
const ORDERS: [name: string, created: Date, paid: Date | null, goodsFen: number, call: Call][] = [
  ["S1", day(1), hour(3), 5_000, DEAD],
  ["S2", day(2), hour(1), 8_000, FAILED],
  ["N1", day(2), hour(2), 5_000, { status: "PENDING", open: false, outcome: null }],
  ["S3", day(2), hour(3), 5_000, UNCONFIRMED],
  ["S4", day(3), null, 8_000, DEAD],
  ["N2", day(5), hour(4), 2_000, { status: "DONE", open: true, outcome: null }],
  ["S5", day(1), null, 3_000, DEAD],
  ["S6", day(4), hour(2), 5_000, FAILED],
  ["N3", day(6), hour(5), 1_000, { status: "DONE", open: false, outcome: "CONFIRMED" }],
  ["N4", day(2), hour(1), 9_000, { status: "DONE", open: true, outcome: "FAILED" }],
  ["N5", day(1), null, 9_000, { status: "PENDING", open: false, outcome: "UNCONFIRMED" }],
];

/** Each sort's order, reasoned from the table above (column, unpaid last, then id in the sort's direction). */
const STUCK: Record<OrderSort, string[]> = {
  "createdAt.desc": ["S6", "S4", "S3", "S2", "S5", "S1"],
  "createdAt.asc": ["S1", "S5", "S2", "S3", "S4", "S6"],
  "paidAt.desc": ["S3", "S1", "S6", "S2", "S5", "S4"],
  "paidAt.asc": ["S2", "S6", "S1", "S3", "S4", "S5"],
  "goodsFen.desc": ["S4", "S2", "S6", "S3", "S1", "S5"],
  "goodsFen.asc": ["S5", "S1", "S3", "S6", "S2", "S4"],
};
const PENDING: Record<OrderSort, string[]> = {
  "createdAt.desc": ["N2", "N4", "N1", "N5"],
  "createdAt.asc": ["N5", "N1", "N4", "N2"],
  "paidAt.desc": ["N2", "N1", "N4", "N5"],
  "paidAt.asc": ["N4", "N1", "N2", "N5"],
  "goodsFen.desc": ["N5", "N4", "N1", "N2"],
  "goodsFen.asc": ["N2", "N1", "N4", "N5"],
};

/** The orders of ORDERS, by name → id, with their payments and refund calls. */
async function refundedOrders(db = bed.database.prisma): Promise<Map<string, number>> {
  const { memberId } = await bed.paidOrder();
  const ids = new Map<string, number>();
  for (const [name, created, paid, goodsFen, call] of ORDERS) {
    const [{ id }] = await db.$queryRaw<{ id: number }[]>`
      INSERT INTO "Order" ("orderNo", "memberId", status, "goodsFen", "payableFen", "createdAt", "paidAt", "refundedAt")
      VALUES (${`FMSORT${name}`}, ${memberId}, 'REFUNDED', ${goodsFen}, ${goodsFen}, ${created}::timestamptz, ${paid}::timestamptz, ${hour(10)}::timestamptz) RETURNING id`;
    await db.$executeRaw`
      INSERT INTO "Payment" ("orderId", provider, "providerTxnId", "amountFen", currency, status, "paidAt", "refundNo", "refundedAt")
      VALUES (${id}, 'sandbox', ${`TX${name}`}, ${goodsFen}, 'CNY', 'REFUNDED', ${T0}::timestamptz, ${`RF${name}`}, ${hour(10)}::timestamptz)`;
    await db.$executeRaw`
      INSERT INTO "ProviderCall" (kind, provider, "idempotencyNo", "amountFen", "orderId", status, "nextAttemptAt", "createdAt", "doneAt", "refundOpenSince", "refundOutcome")
      VALUES ('REFUND', 'sandbox', ${`RF${name}`}, ${goodsFen}, ${id}, ${call.status}::"ProviderCallStatus", ${T0}::timestamptz, ${T0}::timestamptz,
        ${call.status === "DONE" ? hour(10) : null}::timestamptz, ${call.open ? hour(10) : null}::timestamptz, ${call.outcome}::"RefundOutcome")`;
    ids.set(name, id);
  }
  return ids;
}

const reader = () => ({ tx: bed.database.prisma, config: REFUND_CONFIG });

/** The list's rows page after page. */
async function listed(f: MerchantOrderFilter, pageSize: number): Promise<{ ids: number[]; totals: number[] }> {
  const ids: number[] = [];
  const totals: number[] = [];
  for (let page = 1; ; page++) {
    const r = await searchOrders(reader(), { ...f, page, pageSize });
    ids.push(...r.items.map((i) => i.id));
    totals.push(r.total);
    if (r.items.length < pageSize) return { ids, totals };
  }
}

/** The CSV export's pages, each after the previous page's last row. */
async function exported(f: MerchantOrderFilter, take: number): Promise<number[]> {
  const ids: number[] = [];
  let after = null;
  for (;;) {
    const page = await orderExportPage(reader(), f, after, take);
    ids.push(...page.map((i) => i.id));
    if (page.length < take) return ids;
    after = page[page.length - 1]!;
  }
}

/** The database, recording the SQL text of each raw query sent through it. */
function recordingRawQueries(db: Db) {
  const texts: string[] = [];
  const tx = new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== "$queryRaw") return value;
      return (query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
        texts.push(query instanceof Prisma.Sql ? query.sql : Prisma.sql(query, ...(values as Prisma.Sql[])).sql);
        return (value as (...a: unknown[]) => unknown).call(target, query, ...values);
      };
    },
  });
  return { tx, texts };
}

describe("the orders list's refund filters on every sort", () => {
  it.each(ORDER_SORTS)("%s: 退款异常 and 退款中 list, page, export and count their orders in the list's order", async (sort) => {
    const id = await refundedOrders();
    for (const [refund, names] of [["stuck", STUCK[sort]], ["pending", PENDING[sort]]] as const) {
      const f: MerchantOrderFilter = { refund, sort };
      const expected = names.map((n) => id.get(n)!);
      for (const pageSize of [1, 2, 4, 20]) {
        const { ids, totals } = await listed(f, pageSize);
        expect(ids, `${refund} ${sort}, pages of ${pageSize}`).toEqual(expected);
        expect(new Set(totals)).toEqual(new Set([names.length]));
      }
      // Cursors on every row (1), across ties (2) and onto the unpaid part (4).
      for (const take of [1, 2, 4]) expect(await exported(f, take), `${refund} ${sort}, export by ${take}`).toEqual(expected);
      const rows: number[] = [];
      for await (const r of orderExport.rows(bed.database.prisma, f)) rows.push(r.id);
      expect(rows).toEqual(expected);
      expect(await countOrders(reader(), f)).toBe(names.length);
      expect(await orderExport.count(bed.database.prisma, f)).toBe(names.length);
    }
    expect(await stuckRefundCount(reader())).toBe(6);
  });

  it("with the other filters: the stuck orders placed on days 2 and 3, by amount; an order number; a status", async () => {
    const id = await refundedOrders();
    // Days 2-3 in the shop's time zone (T0 is 10:00 on 2026-03-10 there): S2, S3, S4 — by amount S4 (8 000, higher id), S2, then S3.
    const f: MerchantOrderFilter = { refund: "stuck", from: "2026-03-12", to: "2026-03-13", sort: "goodsFen.desc" };
    const expected = ["S4", "S2", "S3"].map((n) => id.get(n)!);
    expect((await listed(f, 2)).ids).toEqual(expected);
    expect(await exported(f, 1)).toEqual(expected);
    expect(await countOrders(reader(), f)).toBe(3);
    expect((await searchOrders(reader(), { refund: "stuck", orderNo: "fmsorts3" })).items.map((i) => i.id)).toEqual([id.get("S3")]);
    expect((await searchOrders(reader(), { refund: "pending", status: "REFUNDED", sort: "paidAt.asc" })).items.map((i) => i.id)).toEqual(PENDING["paidAt.asc"].map((n) => id.get(n)));
    expect((await searchOrders(reader(), { refund: "stuck", status: "PAID" })).total).toBe(0);
  });

  it("a page, its count and an export page each find the refund filter's orders in the one statement that sorts and pages them", async () => {
    await refundedOrders();
    const { tx, texts } = recordingRawQueries(bed.database.prisma);
    const r = { tx, config: REFUND_CONFIG };
    // Every statement that matches refund calls to payments (the filter's condition) also sorts and pages, or counts.
    const filterStatements = () => texts.filter((q) => q.includes(`p."refundNo" = c."idempotencyNo"`));
    expect((await searchOrders(r, { refund: "stuck", pageSize: 2 })).total).toBe(6);
    expect(filterStatements()).toHaveLength(2);
    for (const q of filterStatements()) expect(q).toMatch(/ORDER BY [\s\S]* LIMIT|count\(\*\)/);
    texts.length = 0;
    expect(await orderExportPage(r, { refund: "stuck", sort: "paidAt.desc" }, null, 2)).toHaveLength(2);
    expect(filterStatements()).toHaveLength(1);
    expect(filterStatements()[0]).toMatch(/ORDER BY [\s\S]* LIMIT/);
  });
});
