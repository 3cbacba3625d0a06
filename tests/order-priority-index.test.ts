// 待发货 in the back office's orders list puts the 优先发货 orders first (server/orders/merchant.ts listOrderBy):
// the query the list sends is served by "Order_status_priorityShipping_createdAt_id_idx" (migration
// 20261219010000_order_priority_index), read in order, with no sort of every paid order.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database, PrismaClient } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { searchOrders } from "../server/orders/merchant";
import { freshLoggedDatabase, planNodes, type LoggedStatement } from "./helpers/logged-db";

const INDEX = "Order_status_priorityShipping_createdAt_id_idx";
const config = parseConfig({});

let database: Database;
let logged: PrismaClient;
let statements: LoggedStatement[];

beforeEach(async () => {
  ({ database, logged, statements } = await freshLoggedDatabase());
  const db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  const buyer = await inTx(db, { config, now: new Date("2026-03-01T00:00:00Z") }, (ctx) => registerMember(ctx, { username: "buyer", ip: "buyer", device: "buyer" }));
  // 20 000 orders over five statuses, a fifth of them paid; one order in seven carried priority shipping.
  await db.$executeRaw`
    INSERT INTO "Order" ("orderNo", "memberId", status, "goodsFen", "payableFen", "createdAt", "paidAt", "priorityShipping")
    SELECT 'FMX' || g, ${buyer.id},
           (ARRAY['PENDING_PAYMENT', 'PAID', 'SHIPPED', 'COMPLETED', 'CANCELLED'])[1 + g % 5]::"OrderStatus", 1000, 1000,
           timestamptz '2026-01-01 00:00Z' + g * interval '1 minute',
           CASE WHEN g % 5 <> 0 THEN timestamptz '2026-01-01 00:01Z' + g * interval '1 minute' END,
           g % 7 = 0
    FROM generate_series(1, 20000) g`;
  await db.$executeRawUnsafe(`ANALYZE "Order"`);
});
afterEach(async () => {
  await logged.$disconnect();
  await database.close();
});

describe("待发货 orders list, 优先发货 first", () => {
  it("the list's page query is an index scan of the priority index, with no sort", async () => {
    const page = await searchOrders({ tx: logged, config }, { status: "PAID" });
    // Priority first, then newest: 4 000 paid orders, those with g % 35 = 21 (g % 5 = 1 and g % 7 = 0) are 优先发货.
    expect(page.items.slice(0, 3).map((o) => o.priorityShipping)).toEqual([true, true, true]);
    const list = statements.find((s) => /FROM "public"\."Order" WHERE .* ORDER BY "public"\."Order"\."priorityShipping" DESC/.test(s.query));
    expect(list, statements.map((s) => s.query).join("\n")).toBeDefined();
    const [{ "QUERY PLAN": plan }] = await logged.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(`EXPLAIN (FORMAT JSON) ${list!.query}`, ...list!.params);
    const nodes = planNodes(plan);
    expect(nodes.map((n) => n["Index Name"]), JSON.stringify(plan)).toContain(INDEX);
    expect(nodes.map((n) => n["Node Type"]), JSON.stringify(plan)).not.toContain("Sort");
  });
});
