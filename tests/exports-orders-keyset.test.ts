// The orders list's CSV export pages by keyset (seek after the last row written), not by offset: its rows
// come out in exactly the list's order for every sort — ties in time, amount and payment time broken by
// id, unpaid orders last when sorted by payment time — with no row twice and none missed, and no page
// after the first reads past the rows before it (no OFFSET, a bound on the sort column the index serves).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database, PrismaClient } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder } from "../server/orders";
import { createSimpleProduct } from "../server/catalog/admin";
import { ORDER_SORTS, searchOrders, type MerchantOrderFilter, type OrderSort } from "../server/orders/merchant";
import { orderExport, orderExportRows } from "../server/exports/orders";
import { freshLoggedDatabase, offsetOf, planNodes, type LoggedStatement } from "./helpers/logged-db";

const config = parseConfig({});
/** 2026-03-<day> <hh>:<mm> in Shanghai (UTC+8), the shop's time zone. */
const at = (day: number, hh: number, mm = 0) => new Date(Date.UTC(2026, 2, day, hh - 8, mm));
/** Five order times over two merchant days, so that five orders share each. */
const CREATED = [at(10, 9), at(10, 14), at(10, 20), at(11, 9), at(11, 15)];
/** Four payment times, so that four or five paid orders share each. */
const PAID = [at(12, 8), at(12, 12), at(12, 16), at(12, 20)];
/** Each line choice and its goods amount: two choices of 100.00 元 (a tie across products). */
const LINES = [
  { lines: [{ sku: "tea", qty: 1 }], goodsFen: 10_000, cup: false },
  { lines: [{ sku: "cup", qty: 2 }], goodsFen: 10_000, cup: true },
  { lines: [{ sku: "cup", qty: 1 }], goodsFen: 5_000, cup: true },
  { lines: [{ sku: "tea", qty: 2 }], goodsFen: 20_000, cup: false },
];
const N = 25;
/** Rows per export query: 25 orders make seven pages, and groups of five equal order times cross page boundaries. */
const TAKE = 4;

interface Fact { id: number; createdAt: number; paidAt: number | null; goodsFen: number; cup: boolean; day: number }

let database: Database;
/** The same database through a client that logs every SQL statement it sends. */
let logged: PrismaClient;
let statements: LoggedStatement[];
let facts: Fact[];

beforeEach(async () => {
  ({ database, logged, statements } = await freshLoggedDatabase());

  const db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  await db.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(db, { sku: "tea", name: "西湖龙井", priceFen: 10_000, category: "tea", stock: 1_000 });
  await createSimpleProduct(db, { sku: "cup", name: "茶杯", priceFen: 5_000, category: "tea", stock: 1_000 });
  const run = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(db, { config, now }, fn);
  const buyers: number[] = [];
  for (const u of ["buyer-a", "buyer-b", "buyer-c"]) buyers.push((await run(CREATED[0]!, (ctx) => registerMember(ctx, { username: u, ip: u, device: u }))).id);
  facts = [];
  for (let i = 0; i < N; i++) {
    // Times are not in id order (i·2 mod 5), so the id tie-break is seen inside each group of five.
    const created = CREATED[(i * 2) % 5]!;
    const choice = LINES[i % 4]!;
    const o = await run(created, (ctx) => createOrder(ctx, { memberId: buyers[i % 3]!, lines: choice.lines, address: "王小明 13912345678 浙江省 杭州市 西湖区 文三路 100 号" }));
    // Every third order stays unpaid (paidAt null): orders 2, 5, 8 … 23.
    const paidAt = i % 3 === 2 ? null : PAID[(i * 3) % 4]!;
    if (paidAt) await run(paidAt, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `SBX-${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    facts.push({ id: o.id, createdAt: created.getTime(), paidAt: paidAt?.getTime() ?? null, goodsFen: choice.goodsFen, cup: choice.cup, day: created < at(11, 0) ? 10 : 11 });
  }
});
afterEach(async () => {
  await logged.$disconnect();
  await database.close();
});

/** The spec's order of the list: the sort column in its direction with unpaid (null) last, then id in the same direction. */
function specOrder(rows: Fact[], sort: OrderSort): number[] {
  const [field, dir] = sort.split(".") as ["createdAt" | "paidAt" | "goodsFen", "asc" | "desc"];
  const sign = dir === "desc" ? -1 : 1;
  return [...rows]
    .sort((a, b) => {
      const va = a[field];
      const vb = b[field];
      if (va === null || vb === null) {
        if (va !== vb) return va === null ? 1 : -1;
      } else if (va !== vb) return sign * (va - vb);
      return sign * (a.id - b.id);
    })
    .map((r) => r.id);
}

/** The list's ids page after page (the source of truth for the export's order). */
async function listedIds(f: MerchantOrderFilter): Promise<number[]> {
  const ids: number[] = [];
  for (let page = 1; ; page++) {
    const { items } = await searchOrders({ tx: database.prisma, config }, { ...f, page, pageSize: 5 });
    ids.push(...items.map((o) => o.id));
    if (items.length < 5) return ids;
  }
}

async function exportedIds(f: MerchantOrderFilter): Promise<number[]> {
  const ids: number[] = [];
  for await (const row of orderExportRows(logged, f, TAKE)) ids.push(row.id);
  return ids;
}

/** The export's page queries on Order (the rows, not the lines or buyers they include). */
const pageQueries = () => statements.filter((s) => /^SELECT .* FROM "public"\."Order" WHERE .* ORDER BY /.test(s.query));

const FILTERS: [string, MerchantOrderFilter, (f: Fact) => boolean][] = [
  ["every order", {}, () => true],
  ["paid (已付款)", { status: "PAID" }, (f) => f.paidAt !== null],
  ["with a cup, on 2026-03-11", { product: "茶杯", from: "2026-03-11", to: "2026-03-11" }, (f) => f.cup && f.day === 11],
];

describe("orders export by keyset", () => {
  it.each(ORDER_SORTS)("%s: the export's rows are the list's pages, concatenated, for every filter", async (sort) => {
    for (const [label, filter, keep] of FILTERS) {
      const f = { ...filter, sort };
      const expected = specOrder(facts.filter(keep), sort);
      // The list itself keeps the spec's order (so it is a fair source of truth here).
      expect(await listedIds(f), `${sort}, ${label}: the list`).toEqual(expected);
      const exported = await exportedIds(f);
      expect(exported, `${sort}, ${label}: the export`).toEqual(expected);
      expect(new Set(exported).size).toBe(exported.length);
    }
    // The filters narrow, each to more than a page: 17 paid (8 unpaid: i ≡ 2 mod 3); a cup (i ≡ 1, 2 mod 4) on the
    // 11th (i ≡ 2, 4 mod 5): orders 2, 9, 14, 17, 22.
    expect(facts.filter((f) => f.paidAt !== null)).toHaveLength(17);
    expect(facts.filter((f) => f.cup && f.day === 11).map((f) => facts.indexOf(f))).toEqual([2, 9, 14, 17, 22]);
  });

  it("by payment time, the unpaid orders come last, by id in the sort's direction", async () => {
    const unpaid = facts.filter((_, i) => i % 3 === 2).map((f) => f.id);
    expect(unpaid).toHaveLength(8);
    const desc = await exportedIds({ sort: "paidAt.desc" });
    const asc = await exportedIds({ sort: "paidAt.asc" });
    expect(desc.slice(-8)).toEqual([...unpaid].reverse());
    expect(asc.slice(-8)).toEqual(unpaid);
    // The paid part of one is the paid part of the other reversed (distinct (paidAt, id) pairs).
    expect(asc.slice(0, 17)).toEqual(desc.slice(0, 17).reverse());
  });

  it("the CSV definition's rows are the same rows (default batch size)", async () => {
    const ids: number[] = [];
    for await (const row of orderExport.rows(logged, { sort: "goodsFen.asc", status: "PAID" })) ids.push(row.id);
    expect(ids).toEqual(specOrder(facts.filter((f) => f.paidAt !== null), "goodsFen.asc"));
  });

  it.each(ORDER_SORTS)("%s: every page after the first seeks past the last row: no OFFSET, no count, a bound on the sort column", async (sort) => {
    const field = sort.split(".")[0]!;
    statements.length = 0;
    expect(await exportedIds({ sort })).toHaveLength(N);
    const queries = pageQueries();
    expect(queries.length).toBeGreaterThanOrEqual(Math.ceil(N / TAKE));
    for (const s of queries) expect(offsetOf(s), s.query).toBe("0");
    expect(statements.filter((s) => /COUNT\(/i.test(s.query))).toEqual([]);
    // After the first: each query is bounded on the sort column (its ties, the values beyond, or the unpaid part).
    const bound = new RegExp(`"Order"\\."${field}" (<|>|=|IS NULL)`);
    for (const s of queries.slice(1)) expect(s.query).toMatch(bound);
  });

  it("on 10 000 orders, each query after the first starts its index scan at the cursor and the export's reads grow linearly (EXPLAIN ANALYZE); the export counts them all", async () => {
    // Set-based, as the benchmark does: 2 500 order times shared by four orders each, 40 amounts shared by
    // 250 each (more than a page: a page that filtered the ties already written would read them again),
    // a quarter unpaid; paid a minute after the order.
    await database.prisma.$executeRaw`
      INSERT INTO "Order" ("orderNo", "memberId", status, "goodsFen", "payableFen", "createdAt", "paidAt")
      SELECT 'FMX' || g, ${(await database.prisma.member.findFirstOrThrow()).id},
             (CASE WHEN g % 4 = 0 THEN 'PENDING_PAYMENT' ELSE 'PAID' END)::"OrderStatus", 1000 * (1 + g % 40), 1000 * (1 + g % 40),
             timestamptz '2026-01-01 00:00Z' + (g % 2500) * interval '1 second',
             CASE WHEN g % 4 <> 0 THEN timestamptz '2026-01-01 00:01Z' + (g % 2500) * interval '1 second' END
      FROM generate_series(1, 10000) g`;
    await database.prisma.$executeRawUnsafe(`ANALYZE "Order"`);
    // A background export's progress counts against every matching order, not the list's capped 10 000 (10 000+).
    expect((await searchOrders({ tx: database.prisma, config }, {})).total).toBe(10_000);
    expect(await orderExport.count(database.prisma, {})).toBe(N + 10_000);
    expect(await orderExport.count(database.prisma, { status: "PAID" })).toBe(N - 8 + 7_500);
    // The list's largest page, so that the same test can be run against offset pages of searchOrders.
    const take = 100;
    const total = N + 10_000;
    for (const sort of ORDER_SORTS) {
      const [field, dir] = sort.split(".") as [string, string];
      // The spec's order, written directly: the column in its direction, unpaid (null) last, then id.
      const expected = (await database.prisma.$queryRawUnsafe<{ id: number }[]>(`SELECT id FROM "Order" ORDER BY "${field}" ${dir} NULLS LAST, id ${dir}`)).map((r) => r.id);
      statements.length = 0;
      const ids: number[] = [];
      for await (const row of orderExportRows(logged, { sort }, take)) ids.push(row.id);
      expect(ids.length, sort).toBe(total);
      expect(ids, sort).toEqual(expected);
      const queries = pageQueries();
      expect(queries.length, sort).toBeGreaterThanOrEqual(Math.ceil(total / take));
      let read = 0;
      for (const s of queries.slice(1)) {
        const [{ "QUERY PLAN": plan }] = await logged.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(`EXPLAIN (ANALYZE, FORMAT JSON) ${s.query}`, ...s.params);
        const nodes = planNodes(plan);
        // Each query from a cursor (its WHERE takes the cursor's values; the unpaid part's first query has none)
        // starts its index scan there: an Index Cond bounds it on the sort column (or, for the cursor's ties, on
        // the id when the planner finds that range the smaller).
        const fromCursor = /\$\d/.test(s.query.slice(s.query.indexOf(" WHERE "), s.query.indexOf(" ORDER BY ")));
        expect(fromCursor || / WHERE "public"\."Order"\."paidAt" IS NULL ORDER BY /.test(s.query), `${sort}: ${s.query}`).toBe(true);
        const conds = nodes.map((n) => n["Index Cond"] ?? "").join(" ");
        if (fromCursor) expect(conds, `${sort}: ${s.query}`).toMatch(new RegExp(`"${field}"|\\bid [<>]`));
        // The rows it takes from the table: returned, or thrown away by a filter or a recheck.
        for (const n of nodes.filter((x) => /^(Seq|Index|Index Only|Bitmap Heap) Scan$/.test(String(x["Node Type"])))) {
          read += Number(n["Actual Rows"]) * Number(n["Actual Loops"]) + Number(n["Rows Removed by Filter"] ?? 0) + Number(n["Rows Removed by Index Recheck"] ?? 0);
        }
      }
      // Linear in the orders (measured 1.0–5.2 reads per order: for a large tie group the planner may walk the id
      // index and filter the group's rows out of it); offset pages would read ~total² / (2 × take), 50 per order.
      expect(read, sort).toBeLessThanOrEqual(10 * total);
    }
  });
});
