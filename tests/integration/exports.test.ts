// List exports (issue 9): the orders and risk lists page through their own search in batches larger
// than its page size without losing or repeating a row; files are UTF-8 with a BOM and money in 元.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { registerMember } from "../../server/referral";
import { createOrder } from "../../server/orders";
import { createSimpleProduct } from "../../server/catalog/admin";
import { exportDefinition } from "../../server/exports/registry";
import { csvStream, inPages } from "../../server/exports/csv";
import { freshDatabase } from "../helpers/db";

let database: Database;
const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, {}, fn);

beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.close());

async function csvOf(kind: string, search: string): Promise<string[]> {
  const def = exportDefinition(kind)!;
  const filter = def.fromSearch(new URLSearchParams(search));
  expect(filter).not.toBeNull();
  const stream = csvStream(def.columns("Asia/Shanghai"), inPages((skip, take) => def.batch(database.prisma, filter, "Asia/Shanghai", skip, take)));
  const text = Buffer.from(await new Response(stream).arrayBuffer()).toString("utf8");
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return text.slice(1).trim().split("\n");
}

describe("list exports", () => {
  it("orders: every row once across batches, amounts in 元 with two decimals", async () => {
    await database.prisma.category.create({ data: { slug: "tea", name: "茗茶" } });
    await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 9_905, category: "tea", stock: 1_000 });
    const m = (await run((ctx) => registerMember(ctx, { username: "buyer", nickname: "买家甲", ip: "1.1.1.1", device: "d" }))).id;
    for (let i = 0; i < 105; i++) await run((ctx) => createOrder(ctx, { memberId: m, lines: [{ sku: "tea", qty: 1 }], address: "地址" }));
    const def = exportDefinition("orders")!;
    expect(await def.count(database.prisma, {}, "Asia/Shanghai")).toBe(105);
    const rows = await def.batch(database.prisma, {}, "Asia/Shanghai", 0, 500);
    expect(new Set(rows.map((r: { orderNo: string }) => r.orderNo)).size).toBe(105);
    const lines = await csvOf("orders", "status=PENDING_PAYMENT&sort=createdAt.asc");
    expect(lines).toHaveLength(106);
    expect(lines[0]).toContain("商品金额(元)");
    expect(lines[1]).toContain(",龙井 ×1,1,99.05,99.05,0.00,待付款,");
    expect(exportDefinition("orders")!.fromSearch(new URLSearchParams("from=yesterday"))).toBeNull();
  });

  it("risk: the members with open flags and their rules", async () => {
    const sponsor = (await run((ctx) => registerMember(ctx, { username: "s", ip: "5.5.5.5", device: "a" }))).id;
    await run((ctx) => registerMember(ctx, { username: "f", nickname: "同IP会员", sponsorId: sponsor, ip: "5.5.5.5", device: "b" }));
    const lines = await csvOf("risk", "");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("同IP会员,与上级同一 IP,");
    expect(await csvOf("risk", "rule=ip_burst")).toHaveLength(1);
  });
});
