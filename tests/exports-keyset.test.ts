// Every list's CSV export pages by keyset (seek after the last row written), not by offset: withdrawals,
// adjustments, after-sales, the risk queue, members, products (one row per on-sale SKU), low stock and the stock
// history. For every sort each list offers and a filter or two, the export's rows are the list's own pages
// concatenated (ties in the sort value crossing the export's pages, broken by id as the list does, a
// nullable due time last), and on ~10 000 rows no query after the first reads past the rows before it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database, PrismaClient } from "../server/db";
import { parseConfig } from "../server/config/schema";
import { WITHDRAWAL_SORTS, withdrawalQueue, type WithdrawalFilter } from "../server/wallet/review";
import { listAdjustments } from "../server/wallet/adjustments";
import type { AdjustmentFilter } from "../server/wallet/schemas";
import { listRefundRequests, type RefundQueueFilter } from "../server/aftersales/view";
import { riskQueuePage, type RiskQueueFilter } from "../server/risk/view";
import { listProductsForMerchant, listStockAdjustments, lowStockSkus, type MerchantProductFilter } from "../server/catalog/admin";
import { MERCHANT_PRODUCT_SORTS, type MerchantProductSort } from "../server/catalog/schema";
import { withdrawalExport, withdrawalExportRows } from "../server/exports/withdrawals";
import { adjustmentExport, adjustmentExportRows } from "../server/exports/adjustments";
import { afterSalesExport, afterSalesExportRows } from "../server/exports/aftersales";
import { riskExport, riskExportRows } from "../server/exports/risk";
import { lowStockExportRows, productExport, productExportRows, stockHistoryExport, stockHistoryExportRows } from "../server/exports/catalog";
import { MEMBER_SORT_KEYS, listMembers, type MemberFilter } from "../server/members/admin";
import { memberExport, memberExportRows } from "../server/exports/members";
import { freshLoggedDatabase, offsetOf, planNodes, type LoggedStatement } from "./helpers/logged-db";

const config = parseConfig({});
const TZ = config.timeZone;
/** 2026-03-<day> <hh>:00 in Shanghai (UTC+8), the shop's time zone. */
const at = (day: number, hh: number) => new Date(Date.UTC(2026, 2, day, hh - 8));
/** Five times, so that five of 25 rows share each: ties cross the export's pages of four. */
const TIMES = [at(10, 9), at(10, 14), at(10, 20), at(11, 9), at(11, 15)];
/** Not in id order (i·2 mod 5): the id tie-break is seen inside each group of five. */
const timeOf = (i: number) => TIMES[(i * 2) % 5]!;
const N = 25;
/** Rows per export query: 25 rows make seven pages. */
const TAKE = 4;
/** The list's page size the tests read it with. */
const PAGE = 5;

let database: Database;
/** The same database through a client that logs every SQL statement it sends. */
let logged: PrismaClient;
let statements: LoggedStatement[];
/** Three members: 阿花, 小明 and one without a nickname. */
let members: number[];
let staffId: number;

beforeEach(async () => {
  ({ database, logged, statements } = await freshLoggedDatabase());
  const db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  members = [];
  for (const [u, nickname] of [["buyer-a", "阿花"], ["buyer-b", "小明"], ["buyer-c", null]] as const) {
    members.push((await db.member.create({ data: { username: u, nickname, referralCode: u.toUpperCase(), createdAt: TIMES[0]! } })).id);
  }
  staffId = (await db.staffAccount.create({ data: { username: "fin", displayName: "财务甲", role: "finance", passwordHash: "-", createdAt: TIMES[0]! } })).id;
});
afterEach(async () => {
  await logged.$disconnect();
  await database.close();
});

type Dir = "asc" | "desc";
/** The spec's order of a list: the sort value in its direction, a missing one (null) last, then id in the same direction. */
function specOrder<T extends { id: number }>(rows: T[], value: (r: T) => number | null, dir: Dir): number[] {
  const sign = dir === "desc" ? -1 : 1;
  return [...rows]
    .sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      if (va === null || vb === null) {
        if (va !== vb) return va === null ? 1 : -1;
      } else if (va !== vb) return sign * (va - vb);
      return sign * (a.id - b.id);
    })
    .map((r) => r.id);
}

/** A list's ids page after page until a short page (the source of truth for the export's order). */
async function pagesOf(page: (n: number) => Promise<{ id: number }[]>): Promise<number[]> {
  const ids: number[] = [];
  for (let n = 1; ; n++) {
    const items = await page(n);
    ids.push(...items.map((r) => r.id));
    if (items.length < PAGE) return ids;
  }
}

async function collect<T, K>(rows: AsyncIterable<T>, key: (row: T) => K): Promise<K[]> {
  const out: K[] = [];
  for await (const row of rows) out.push(key(row));
  return out;
}

/** The SQL statements the export sent to read pages of `table` (not the rows they include from other tables). */
const pageQueries = (table: string) => statements.filter((s) => new RegExp(`^SELECT .* FROM "public"\\."${table}"( WHERE .*)? ORDER BY `).test(s.query) && !/ GROUP BY /.test(s.query));

/**
 * EXPLAIN ANALYZE of the page queries after the first: none has an OFFSET, each starts its index scan at the
 * cursor (an Index Cond on the sort column or the id), and the rows they take from `table` in all stay linear
 * in the rows exported (offset pages of `take` would read ~total² / (2 × take)).
 */
async function expectSeeks(table: string, field: string, total: number, take: number, label: string) {
  const queries = pageQueries(table);
  expect(queries.length, label).toBeGreaterThanOrEqual(Math.ceil(total / take));
  for (const s of queries) expect(offsetOf(s), `${label}: ${s.query}`).toBe("0");
  let read = 0;
  for (const s of queries.slice(1)) {
    const [{ "QUERY PLAN": plan }] = await logged.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(`EXPLAIN (ANALYZE, FORMAT JSON) ${s.query}`, ...s.params);
    const nodes = planNodes(plan);
    const where = s.query.slice(s.query.indexOf(" WHERE "), s.query.indexOf(" ORDER BY "));
    // A query from a cursor takes the cursor's values; only a nullable column's null part may start without one.
    const fromCursor = /\$\d/.test(where) && new RegExp(`"${field}" (<|>|=)|"id" (<|>)`).test(where);
    expect(fromCursor || new RegExp(`"${field}" IS NULL`).test(where), `${label}: ${s.query}`).toBe(true);
    const conds = nodes.map((n) => n["Index Cond"] ?? "").join(" ");
    if (fromCursor) expect(conds, `${label}: ${s.query}`).toMatch(new RegExp(`"?${field}"? [<>=]|\\bid [<>]`));
    for (const n of nodes.filter((x) => /^(Seq|Index|Index Only|Bitmap Heap) Scan$/.test(String(x["Node Type"])))) {
      read += Number(n["Actual Rows"]) * Number(n["Actual Loops"]) + Number(n["Rows Removed by Filter"] ?? 0) + Number(n["Rows Removed by Index Recheck"] ?? 0);
    }
  }
  expect(read, label).toBeLessThanOrEqual(10 * total);
}

// ---------------------------------------------------------------- withdrawals

interface WithdrawalFact { id: number; createdAt: number; amountFen: number; status: string; member: number; day: number }

/** 25 withdrawals: five request times and three amounts shared, three statuses, three members in turn. */
async function seedWithdrawals(): Promise<WithdrawalFact[]> {
  const facts: WithdrawalFact[] = [];
  for (let i = 0; i < N; i++) {
    const createdAt = timeOf(i);
    const amountFen = [10_000, 5_000, 10_000, 20_000][i % 4]!;
    const status = (["PENDING_REVIEW", "PAID", "REJECTED"] as const)[i % 3]!;
    const w = await database.prisma.withdrawal.create({ data: { memberId: members[i % 3]!, amountFen, status, approvalsNeeded: 1, createdAt } });
    facts.push({ id: w.id, createdAt: createdAt.getTime(), amountFen, status, member: i % 3, day: createdAt < at(11, 0) ? 10 : 11 });
  }
  return facts;
}

const WITHDRAWAL_FILTERS: [string, WithdrawalFilter, (f: WithdrawalFact) => boolean][] = [
  ["every withdrawal", {}, () => true],
  ["paid", { status: "PAID" }, (f) => f.status === "PAID"],
  ["小明's from 100 元, on 2026-03-10", { member: "小明", minFen: 10_000, from: "2026-03-10", to: "2026-03-10" }, (f) => f.member === 1 && f.amountFen >= 10_000 && f.day === 10],
];

describe("withdrawals export by keyset", () => {
  it.each(WITHDRAWAL_SORTS)("%s: the export's rows are the queue's pages, concatenated, for every filter", async (sort) => {
    const facts = await seedWithdrawals();
    const [field, dir] = sort.split(".") as ["createdAt" | "amountFen", Dir];
    for (const [label, filter, keep] of WITHDRAWAL_FILTERS) {
      const f = { ...filter, sort };
      const expected = specOrder(facts.filter(keep), (r) => r[field], dir);
      expect(await pagesOf(async (page) => (await withdrawalQueue(database.prisma, { ...f, page, pageSize: PAGE })).items), `${sort}, ${label}: the queue`).toEqual(expected);
      expect(await collect(withdrawalExportRows(logged, f, TZ, TAKE), (r) => r.id), `${sort}, ${label}: the export`).toEqual(expected);
    }
    // The filters narrow: 8 paid (i ≡ 1 mod 3, two pages of the export); 小明's (i ≡ 1 mod 3) of 100 元 or more
    // (i ≢ 1 mod 4) on the 10th (i ≡ 0, 1, 3 mod 5): withdrawals 10 and 16.
    expect(facts.filter((f) => f.status === "PAID")).toHaveLength(8);
    expect(facts.filter(WITHDRAWAL_FILTERS[2]![2]).map((f) => facts.indexOf(f))).toEqual([10, 16]);
  });

  it("on 10 000 withdrawals, every sort: each page after the first seeks from its cursor (EXPLAIN ANALYZE); the count is exact", async () => {
    // 2 000 request times shared by five each, 40 amounts shared by 250 each (more than a page of 100).
    await database.prisma.$executeRaw`
      INSERT INTO "Withdrawal" ("memberId", "amountFen", status, "approvalsNeeded", "createdAt")
      SELECT ${members[0]!}, 1000 * (1 + g % 40), 'PAID', 1, timestamptz '2026-01-01 00:00Z' + (g % 2000) * interval '1 second'
      FROM generate_series(1, 10000) g`;
    await database.prisma.$executeRawUnsafe(`ANALYZE "Withdrawal"`);
    expect(await withdrawalExport.count(database.prisma, {}, TZ)).toBe(10_000);
    for (const sort of WITHDRAWAL_SORTS) {
      const [field, dir] = sort.split(".") as [string, Dir];
      const expected = (await database.prisma.$queryRawUnsafe<{ id: number }[]>(`SELECT id FROM "Withdrawal" ORDER BY "${field}" ${dir}, id ${dir}`)).map((r) => r.id);
      statements.length = 0;
      expect(await collect(withdrawalExportRows(logged, { sort }, TZ, 100), (r) => r.id), sort).toEqual(expected);
      await expectSeeks("Withdrawal", field, 10_000, 100, sort);
    }
  });
});

// ---------------------------------------------------------------- adjustments

describe("adjustments export by keyset", () => {
  it("newest first: the export's rows are the list's pages, concatenated, for every filter; a later page seeks by id", async () => {
    const facts: { id: number; status: string; member: number }[] = [];
    for (let i = 0; i < N; i++) {
      const status = (["PENDING_APPROVAL", "APPLIED", "REJECTED"] as const)[i % 3]!;
      const a = await database.prisma.ledgerAdjustment.create({
        data: { memberId: members[i % 3]!, bucket: "available", amountFen: (i % 2 ? -1 : 1) * 100 * (i + 1), reason: `调账 ${i}`, status, requestedById: staffId, requestedAt: timeOf(i) },
      });
      facts.push({ id: a.id, status, member: i % 3 });
    }
    const filters: [AdjustmentFilter, (f: (typeof facts)[number]) => boolean][] = [
      [{}, () => true],
      [{ status: "APPLIED" }, (f) => f.status === "APPLIED"],
      [{ member: "小明" }, (f) => f.member === 1],
    ];
    for (const [f, keep] of filters) {
      const expected = specOrder(facts.filter(keep), () => 0, "desc");
      expect(await pagesOf(async (page) => (await listAdjustments(database.prisma, { ...f, page, pageSize: PAGE }, staffId)).items)).toEqual(expected);
      expect(await collect(adjustmentExportRows(logged, f, TAKE), (r) => r.id)).toEqual(expected);
    }
    expect(await adjustmentExport.count(database.prisma, { member: "小明" })).toBe(8);
    statements.length = 0;
    await collect(adjustmentExportRows(logged, {}, TAKE), (r) => r.id);
    const queries = pageQueries("LedgerAdjustment");
    expect(queries).toHaveLength(Math.ceil((N + 1) / TAKE));
    for (const s of queries) expect(offsetOf(s)).toBe("0");
    for (const s of queries.slice(1)) expect(s.query).toMatch(/"LedgerAdjustment"\."id" < \$\d/);
  });
});

// ---------------------------------------------------------------- after-sales

interface RefundFact { id: number; createdAt: number; dueAt: number | null; status: string; odd: boolean }

/**
 * 25 requests on 25 shipped orders, as server/aftersales writes them (a pending one holds its order's open key, a
 * decided one is dated): 15 pending (i mod 5 ∈ {0, 1, 2}) with four due times shared and three without one.
 */
async function seedRefunds(): Promise<RefundFact[]> {
  const DUE = [at(17, 9), at(17, 12), at(17, 16), at(17, 20)];
  const facts: RefundFact[] = [];
  for (let i = 0; i < N; i++) {
    const status = (["PENDING", "PENDING", "PENDING", "APPROVED", "REJECTED"] as const)[i % 5]!;
    const order = await database.prisma.order.create({ data: { orderNo: `FMX${i % 2 ? "7" : "8"}Q${100 + i}`, memberId: members[i % 3]!, status: status === "APPROVED" ? "REFUNDED" : "SHIPPED", goodsFen: 1_000, payableFen: 1_000, createdAt: timeOf(i) } });
    const dueAt = status !== "PENDING" || i % 7 === 0 ? null : DUE[(i * 3) % 4]!;
    const open = status === "PENDING";
    const r = await database.prisma.refundRequest.create({
      data: { orderId: order.id, memberId: members[i % 3]!, reason: "quality", status, orderStatus: "SHIPPED", createdAt: timeOf(i), dueAt, decidedAt: open ? null : timeOf(i), openOrderId: open ? order.id : null },
    });
    facts.push({ id: r.id, createdAt: timeOf(i).getTime(), dueAt: dueAt?.getTime() ?? null, status, odd: i % 2 === 1 });
  }
  return facts;
}

describe("after-sales export by keyset", () => {
  it("the pending by due time (none last), every other view newest first: the export's rows are the queue's pages, concatenated", async () => {
    const facts = await seedRefunds();
    const cases: [string, RefundQueueFilter, (f: RefundFact) => boolean, (f: RefundFact) => number | null, Dir][] = [
      ["every request", {}, () => true, (f) => f.createdAt, "desc"],
      ["approved", { status: "APPROVED" }, (f) => f.status === "APPROVED", (f) => f.createdAt, "desc"],
      ["pending", { status: "PENDING" }, (f) => f.status === "PENDING", (f) => f.dueAt, "asc"],
      ["pending, order number with X7Q", { status: "PENDING", orderNo: "X7Q" }, (f) => f.status === "PENDING" && f.odd, (f) => f.dueAt, "asc"],
    ];
    for (const [label, f, keep, value, dir] of cases) {
      const expected = specOrder(facts.filter(keep), value, dir);
      expect(await pagesOf(async (page) => (await listRefundRequests({ tx: database.prisma }, { ...f, page, pageSize: PAGE })).items), `${label}: the queue`).toEqual(expected);
      expect(await collect(afterSalesExportRows(logged, f, TAKE), (r) => r.id), `${label}: the export`).toEqual(expected);
      expect(await afterSalesExport.count(database.prisma, f as never), label).toBe(expected.length);
    }
    // Pending without a due time: i = 0, 7, 21 (i ≡ 0 mod 7 among i mod 5 ∈ {0, 1, 2}); they end the pending export by id.
    const pending = await collect(afterSalesExportRows(logged, { status: "PENDING" }, TAKE), (r) => r.id);
    expect(pending.slice(-3)).toEqual([0, 7, 21].map((i) => facts[i]!.id));
  });

  it("on 10 000 requests, every request and the pending: each page after the first seeks from its cursor (EXPLAIN ANALYZE)", async () => {
    // One order per request: an open request holds its order's key (one open request per order), an approved one refunded it.
    await database.prisma.$executeRaw`
      INSERT INTO "Order" ("orderNo", "memberId", status, "goodsFen", "payableFen", "createdAt")
      SELECT 'FMBIG' || g, ${members[0]!}, (CASE WHEN g % 2 = 0 THEN 'SHIPPED' ELSE 'REFUNDED' END)::"OrderStatus", 1000, 1000, ${TIMES[0]!}::timestamptz
      FROM generate_series(1, 10000) g`;
    // Half pending; 1 000 request times and 500 due times shared by many; every 50th pending request without a due time.
    await database.prisma.$executeRaw`
      INSERT INTO "RefundRequest" ("orderId", "memberId", reason, status, "orderStatus", "createdAt", "dueAt", "decidedAt", "openOrderId")
      SELECT o.id, ${members[0]!}, 'quality', (CASE WHEN g % 2 = 0 THEN 'PENDING' ELSE 'APPROVED' END)::"RefundRequestStatus", 'SHIPPED',
             timestamptz '2026-01-01 00:00Z' + (g % 1000) * interval '1 second',
             CASE WHEN g % 2 = 0 AND g % 100 <> 0 THEN timestamptz '2026-01-08 00:00Z' + (g % 500) * interval '1 second' END,
             CASE WHEN g % 2 = 1 THEN timestamptz '2026-01-03 00:00Z' END,
             CASE WHEN g % 2 = 0 THEN o.id END
      FROM generate_series(1, 10000) g JOIN "Order" o ON o."orderNo" = 'FMBIG' || g
      ORDER BY g`;
    await database.prisma.$executeRawUnsafe(`ANALYZE "RefundRequest"`);
    const cases: [RefundQueueFilter, string, string, number][] = [
      [{}, `"createdAt" DESC, id DESC`, "createdAt", 10_000],
      [{ status: "PENDING" }, `"dueAt" ASC NULLS LAST, id ASC`, "dueAt", 5_000],
    ];
    for (const [f, order, field, total] of cases) {
      const expected = (await database.prisma.$queryRawUnsafe<{ id: number }[]>(`SELECT id FROM "RefundRequest" ${f.status ? `WHERE status = 'PENDING'` : ""} ORDER BY ${order}`)).map((r) => r.id);
      expect(await afterSalesExport.count(database.prisma, f as never)).toBe(total);
      statements.length = 0;
      expect(await collect(afterSalesExportRows(logged, f, 100), (r) => r.id), field).toEqual(expected);
      await expectSeeks("RefundRequest", field, total, 100, field);
    }
  });
});

// ---------------------------------------------------------------- risk queue

describe("risk queue export by keyset", () => {
  /** 12 members 风险0 … 风险11 with 40 flags over three rules; every fifth flag already decided. */
  async function seedFlags() {
    const flagged: number[] = [];
    for (let k = 0; k < 12; k++) flagged.push((await database.prisma.member.create({ data: { username: `risk-${k}`, nickname: `风险${k}`, referralCode: `RISK${k}`, createdAt: TIMES[0]! } })).id);
    const RULES = ["shared_ip", "ip_burst", "shared_device"];
    const facts: { id: number; member: number; rule: string; open: boolean }[] = [];
    for (let i = 0; i < 40; i++) {
      const rule = RULES[i % 3]!;
      // Members in an order that is not their id order: (i · 5) mod 12.
      const member = flagged[(i * 5) % 12]!;
      const event = await database.prisma.riskEvent.create({ data: { rule, memberIds: [member], evidence: {}, createdAt: timeOf(i % N) } });
      const open = i % 5 !== 4;
      const fl = await database.prisma.riskFlag.create({ data: { memberId: member, eventId: event.id, status: open ? "OPEN" : "APPROVED", createdAt: timeOf(i % N) } });
      facts.push({ id: fl.id, member, rule, open });
    }
    return { flagged, facts };
  }

  it("members by their newest matching open flag: the export's rows are the queue's pages, concatenated, for every filter", async () => {
    const { flagged, facts } = await seedFlags();
    const cases: [RiskQueueFilter, (f: (typeof facts)[number]) => boolean][] = [
      [{}, () => true],
      [{ rule: "ip_burst" }, (f) => f.rule === "ip_burst"],
      [{ member: "风险1" }, (f) => [1, 10, 11].some((k) => flagged[k] === f.member)],
    ];
    for (const [f, keep] of cases) {
      // The queue's order by hand: each member at the highest id among their open flags the filter keeps, highest first.
      const newest = new Map<number, number>();
      for (const fl of facts.filter((x) => x.open && keep(x))) newest.set(fl.member, Math.max(newest.get(fl.member) ?? 0, fl.id));
      const expected = [...newest.entries()].sort((a, b) => b[1] - a[1]).map(([m]) => m);
      expect(await pagesOf(async (page) => (await riskQueuePage(database.prisma, { ...f, page, pageSize: PAGE })).items), JSON.stringify(f)).toEqual(expected);
      expect(await collect(riskExportRows(logged, f, TAKE), (r) => r.id), JSON.stringify(f)).toEqual(expected);
      expect(await riskExport.count(database.prisma, f)).toBe(expected.length);
    }
    // Every flagged member has an open flag (each has three or four, at most one decided), so all 12 are in the queue.
    expect(new Set(facts.filter((f) => f.open).map((f) => f.member)).size).toBe(12);
  });

  it("on 10 000 flags of 2 000 members: each page walks the open flags down from its cursor (EXPLAIN ANALYZE); the count is exact", async () => {
    await database.prisma.$executeRaw`
      INSERT INTO "Member" (username, "referralCode", "createdAt") SELECT 'r' || g, 'R' || g, now() FROM generate_series(1, 2000) g`;
    const first = (await database.prisma.member.findFirstOrThrow({ where: { username: "r1" } })).id;
    const event = await database.prisma.riskEvent.create({ data: { rule: "ip_burst", memberIds: [], evidence: {}, createdAt: TIMES[0]! } });
    // Five flags a member, spread over the id range; one in seven decided, at most one of a member's (2 000 ≡ 5 mod 7).
    await database.prisma.$executeRaw`
      INSERT INTO "RiskFlag" ("memberId", "eventId", status, "createdAt")
      SELECT ${first} + (g * 7) % 2000, ${event.id}, (CASE WHEN g % 7 = 0 THEN 'APPROVED' ELSE 'OPEN' END)::"FlagStatus", now()
      FROM generate_series(1, 10000) g`;
    await database.prisma.$executeRawUnsafe(`ANALYZE "RiskFlag"`);
    const expected = (await database.prisma.$queryRawUnsafe<{ memberId: number }[]>(`SELECT "memberId" FROM "RiskFlag" WHERE status = 'OPEN' GROUP BY "memberId" ORDER BY max(id) DESC`)).map((r) => r.memberId);
    expect(expected).toHaveLength(2_000);
    expect(await riskExport.count(database.prisma, {})).toBe(2_000);
    statements.length = 0;
    expect(await collect(riskExportRows(logged, {}, 100), (r) => r.id)).toEqual(expected);
    // The walk's queries (not the members' rows): bounded by id from the cursor.
    const walks = statements.filter((s) => /^SELECT .* FROM "public"\."RiskFlag" WHERE .* ORDER BY "public"\."RiskFlag"\."id" DESC LIMIT/.test(s.query) && !/"memberId" IN/.test(s.query));
    expect(walks.length).toBeGreaterThanOrEqual(20);
    let read = 0;
    for (const s of walks.slice(1)) {
      expect(s.query).toMatch(/"RiskFlag"\."id" < \$\d/);
      const [{ "QUERY PLAN": plan }] = await logged.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(`EXPLAIN (ANALYZE, FORMAT JSON) ${s.query}`, ...s.params);
      const nodes = planNodes(plan);
      expect(nodes.map((n) => n["Index Cond"] ?? "").join(" "), s.query).toMatch(/\bid < /);
      for (const n of nodes.filter((x) => /Scan$/.test(String(x["Node Type"])))) read += Number(n["Actual Rows"]) * Number(n["Actual Loops"]) + Number(n["Rows Removed by Filter"] ?? 0);
    }
    // Each flag is walked about once (offset pages regrouping every open flag would read 9 000 a page).
    expect(read).toBeLessThanOrEqual(2 * 10_000);
  });
});

// ---------------------------------------------------------------- members

interface MemberFact { id: number; createdAt: number; teamSize: number; lastActiveAt: number | null; deleted: boolean; named: boolean }

/**
 * 25 members besides the three of every test: five sign-up times and three team sizes shared, one in five never
 * active (no lastActiveAt) and the rest on five shared activity times, every fourth deleted, every third named 会员甲….
 */
async function seedMembers(): Promise<MemberFact[]> {
  const facts: MemberFact[] = [];
  for (const id of members) facts.push({ id, createdAt: TIMES[0]!.getTime(), teamSize: 0, lastActiveAt: null, deleted: false, named: false });
  for (let i = 0; i < N; i++) {
    const lastActiveAt = i % 5 === 2 ? null : TIMES[(i * 3) % 5]!;
    const m = await database.prisma.member.create({
      data: {
        username: `m-${i}`, nickname: i % 3 === 0 ? `会员甲${i}` : `顾客${i}`, referralCode: `MEM${i}`, createdAt: timeOf(i), teamSize: [4, 0, 4, 9][i % 4]!,
        lastActiveAt, deletedAt: i % 4 === 1 ? TIMES[4]! : null, frozen: i % 4 === 1,
      },
    });
    facts.push({ id: m.id, createdAt: m.createdAt.getTime(), teamSize: m.teamSize, lastActiveAt: lastActiveAt?.getTime() ?? null, deleted: i % 4 === 1, named: i % 3 === 0 });
  }
  return facts;
}

describe("members export by keyset", () => {
  const SORTS = MEMBER_SORT_KEYS.flatMap((key) => (["desc", "asc"] as const).map((dir) => [key, dir] as const));
  it.each(SORTS)("%s %s: the export's rows are the list's pages, concatenated, for every filter (members never active last)", async (key, dir) => {
    const facts = await seedMembers();
    const filters: [string, MemberFilter, (f: MemberFact) => boolean][] = [
      ["every member", {}, () => true],
      ["已注销", { frozen: "deleted" }, (f) => f.deleted],
      ["会员甲, not deleted", { q: "会员甲", frozen: "no" }, (f) => f.named && !f.deleted],
    ];
    const sort = `${key}.${dir}` as const;
    for (const [label, f, keep] of filters) {
      const expected = specOrder(facts.filter(keep), (r) => r[key], dir);
      const list = await pagesOf(async (page) => (await listMembers(database.prisma, config, f, { page, pageSize: PAGE, sort: { id: key, desc: dir === "desc" } })).rows);
      expect(list, `${sort}, ${label}: the list`).toEqual(expected);
      statements.length = 0;
      expect(await collect(memberExportRows(logged, { ...f, sort }, TAKE), (r) => r.id), `${sort}, ${label}: the export`).toEqual(expected);
      const queries = pageQueries("Member");
      expect(queries.length, `${sort}, ${label}`).toBeGreaterThanOrEqual(Math.ceil(expected.length / TAKE));
      for (const q of queries) expect(offsetOf(q), `${sort}, ${label}: ${q.query}`).toBe("0");
    }
    // 28 members; deleted: i ≡ 1 mod 4 (six); 会员甲 and not deleted: i ≡ 0 mod 3 and not ≡ 1 mod 4 (0, 3, 6, 12, 15, 18, 24).
    expect(facts).toHaveLength(28);
    expect(facts.filter((f) => f.deleted)).toHaveLength(6);
    expect(facts.filter((f) => f.named && !f.deleted)).toHaveLength(7);
  });

  it("the download carries the list's sort from its URL; a sort the list does not have is left out, as the list leaves it", () => {
    expect(memberExport.fromSearch(new URLSearchParams("frozen=deleted&sort=lastActiveAt.asc&page=3"))).toEqual({ frozen: "deleted", sort: "lastActiveAt.asc" });
    expect(memberExport.fromSearch(new URLSearchParams("sort=nickname.asc"))).toEqual({});
    expect(memberExport.parse({ sort: "teamSize.desc" })).toEqual({ sort: "teamSize.desc" });
    expect(() => memberExport.parse({ sort: "nickname.asc" })).toThrow();
  });
});

describe("the 已注销 filter", () => {
  it("on 10 000 members, 20 of them deleted: the list's count and first page read only the deleted accounts' index (EXPLAIN ANALYZE)", async () => {
    await database.prisma.$executeRaw`
      INSERT INTO "Member" (username, "referralCode", "createdAt", frozen, "deletedAt")
      SELECT 'big' || g, 'BIG' || g, timestamptz '2026-01-01 00:00Z' + g * interval '1 minute', g % 500 = 0,
        CASE WHEN g % 500 = 0 THEN timestamptz '2026-02-01 00:00Z' + g * interval '1 second' END
      FROM generate_series(1, 10000) g`;
    await database.prisma.$executeRawUnsafe(`ANALYZE "Member"`);
    statements.length = 0;
    const page = await listMembers(logged, config, { frozen: "deleted" }, { page: 1, pageSize: 20 });
    expect([page.total, page.rows.length]).toEqual([20, 20]);
    // The count and the page (its members' sponsors, wallets and counters are read by id after it).
    const queries = statements.filter((s) => /FROM "public"\."Member" WHERE \(?"public"\."Member"\."deletedAt" IS NOT NULL/.test(s.query));
    expect(queries).toHaveLength(2);
    for (const s of queries) {
      const [{ "QUERY PLAN": plan }] = await logged.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(`EXPLAIN (ANALYZE, FORMAT JSON) ${s.query}`, ...s.params);
      const scans = planNodes(plan).filter((n) => /Scan$/.test(String(n["Node Type"])) && n["Relation Name"] === "Member");
      expect(scans.map((n) => [n["Index Name"], Number(n["Actual Rows"]) + Number(n["Rows Removed by Filter"] ?? 0)]), s.query).toEqual([["Member_deleted_idx", 20]]);
    }
  });
});

// ---------------------------------------------------------------- catalogue

interface SkuFact { id: number; product: number; sort: number; stock: number; priceFen: number; active: boolean }
interface ProductFact { id: number; sort: number; createdAt: number; category: string; active: boolean; skus: SkuFact[] }

/**
 * Nine products over two categories: three shelf sort values and three creation times shared, one off the
 * shelf, one whose only SKU is no longer on sale (in the list, not in the file); one to three on-sale SKUs
 * each with shared SKU sort values, stock and prices (ties in the derived figures too), and one SKU off sale.
 */
async function seedProducts(): Promise<ProductFact[]> {
  for (const slug of ["a", "b"]) await database.prisma.category.create({ data: { slug, name: `类${slug}` } });
  const facts: ProductFact[] = [];
  for (let p = 0; p < 9; p++) {
    const sort = [1, 0, 2][p % 3]!;
    const createdAt = TIMES[p % 4]!;
    const count = 1 + (p % 3);
    const skus = Array.from({ length: count }, (_, k) => ({ sort: [1, 0, 1][k]!, stock: [5, 0, 5][(p + k) % 3]!, priceFen: [900, 1_200][(p + k) % 2]!, active: !(p === 2 && k === 2) && p !== 7 }));
    const product = await database.prisma.product.create({
      data: {
        name: `商品${p}`, category: p % 2 ? "b" : "a", active: p !== 5, sort, createdAt,
        skus: { create: skus.map((s, k) => ({ code: `P${p}-${k}`, options: [`规格${k}`], optionKey: `k${k}`, priceFen: s.priceFen, stock: s.stock, sort: s.sort, active: s.active })) },
      },
      include: { skus: { orderBy: { id: "asc" } } },
    });
    facts.push({ id: product.id, sort, createdAt: createdAt.getTime(), category: product.category, active: product.active, skus: product.skus.map((s, k) => ({ id: s.id, product: product.id, ...skus[k]! })) });
  }
  return facts;
}

describe("catalogue exports by keyset", () => {
  it.each(MERCHANT_PRODUCT_SORTS)("products %s: the file's products are the list's pages, concatenated, each with its on-sale SKUs by their sort", async (sort) => {
    const facts = await seedProducts();
    const [key, dir] = sort.split(".") as [string, Dir];
    const onSale = (p: ProductFact) => p.skus.filter((s) => s.active);
    // The list's figure for the sort: a column, or the on-sale SKUs' total stock / lowest price (0 without one).
    const value = (p: ProductFact): number =>
      key === "sort" ? p.sort : key === "createdAt" ? p.createdAt : key === "stock" ? onSale(p).reduce((n, s) => n + s.stock, 0) : onSale(p).length ? Math.min(...onSale(p).map((s) => s.priceFen)) : 0;
    const filters: [MerchantProductFilter, (p: ProductFact) => boolean][] = [
      [{}, () => true],
      [{ category: "b", shelf: "on" }, (p) => p.category === "b" && p.active],
    ];
    for (const [filter, keep] of filters) {
      const f = { ...filter, sort: sort as MerchantProductSort };
      const expected = specOrder(facts.filter(keep), value, dir);
      expect(await pagesOf(async (page) => (await listProductsForMerchant({ tx: database.prisma }, { ...f, page, pageSize: PAGE })).items), `${sort}: the list`).toEqual(expected);
      // Each product of the list with an on-sale SKU, its SKUs by their own sort then id.
      const skus = expected.flatMap((id) => specOrder(onSale(facts.find((p) => p.id === id)!), (s) => s.sort, "asc"));
      expect(await collect(productExportRows(logged, f, 2), (r) => r.skuId), `${sort}: the file`).toEqual(skus);
      expect(await productExport.count(database.prisma, f)).toBe(skus.length);
    }
  });

  it("low stock, emptiest first: the file is the list, across pages of two with ties in stock", async () => {
    const facts = await seedProducts();
    for (const threshold of [0, 5]) {
      // On sale, on the shelf, at or below the threshold: by stock, then id.
      const low = facts.filter((p) => p.active).flatMap((p) => p.skus.filter((s) => s.active && s.stock <= threshold));
      const expected = specOrder(low, (s) => s.stock, "asc");
      expect((await lowStockSkus({ tx: database.prisma }, { threshold, limit: 500 })).items.map((s) => s.skuId)).toEqual(expected);
      expect(await collect(lowStockExportRows(logged, threshold, 2), (r) => r.skuId)).toEqual(expected);
    }
  });

  it("stock history, newest first: the file is the list's pages; on 10 000 changes each page seeks from its cursor (EXPLAIN ANALYZE)", async () => {
    const [product] = await seedProducts();
    const skuId = product!.skus[0]!.id;
    const facts: { id: number; createdAt: number }[] = [];
    for (let i = 0; i < N; i++) {
      const r = await database.prisma.stockAdjustment.create({ data: { skuId, delta: i + 1, stockAfter: 100 + i, reason: `入库 ${i}`, actorId: i % 2 ? staffId : null, createdAt: timeOf(i) } });
      facts.push({ id: r.id, createdAt: timeOf(i).getTime() });
    }
    const expected = specOrder(facts, (r) => r.createdAt, "desc");
    expect(await pagesOf(async (page) => (await listStockAdjustments({ tx: database.prisma }, { page, pageSize: PAGE })).items)).toEqual(expected);
    const file = await collect(stockHistoryExportRows(logged, TAKE), (r) => [r.id, r.actorName] as const);
    expect(file.map(([id]) => id)).toEqual(expected);
    // A change the system made has no name in the rows: the file names it in its own language.
    expect(new Set(file.map(([, name]) => name))).toEqual(new Set([null, "财务甲 (fin)"]));

    await database.prisma.$executeRaw`
      INSERT INTO "StockAdjustment" ("skuId", delta, "stockAfter", reason, "createdAt")
      SELECT ${skuId}, 1, g, '入库', timestamptz '2026-01-01 00:00Z' + (g % 2000) * interval '1 second' FROM generate_series(1, 10000) g`;
    await database.prisma.$executeRawUnsafe(`ANALYZE "StockAdjustment"`);
    const all = (await database.prisma.$queryRawUnsafe<{ id: number }[]>(`SELECT id FROM "StockAdjustment" ORDER BY "createdAt" DESC, id DESC`)).map((r) => r.id);
    expect(await stockHistoryExport.count(database.prisma)).toBe(N + 10_000);
    statements.length = 0;
    expect(await collect(stockHistoryExportRows(logged, 100), (r) => r.id)).toEqual(all);
    await expectSeeks("StockAdjustment", "createdAt", N + 10_000, 100, "stock history");
  });
});
