// 提交订单 after a product left the shelf: the refusal names the product in English too (zh says
// "龙井已下架，请返回购物车删除后再结算"), through tRPC's fetch adapter as /api/trpc serves it and errorText
// as the checkout page words it.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { appRouter } from "../server/api/root";
import type { TRPCContext } from "../server/api/trpc";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createSimpleProduct } from "../server/catalog/admin";
import { createT } from "../lib/i18n/core";
import { en } from "../lib/i18n/messages/en";
import { zhCN } from "../lib/i18n/messages/zh-CN";
import { errorText, type ServerError } from "../lib/i18n/labels";
import { freshPglite } from "./helpers/db";
import { callerFor, session } from "./helpers/caller";

const ADDRESS = { name: "张三", phone: "13912345678", areaCode: "330106", detail: "文三路 100 号" };
let database: Database;
let alice: number;

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.category.create({ data: { slug: "tea", name: "茗茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 9900, category: "tea", stock: 5 });
  alice = (await inTx(database.prisma, { config: parseConfig({}) }, (ctx) => registerMember(ctx, { username: "alice" }))).id;
});
afterAll(() => database.close());

/** order.place as the shopper's page posts it; the answer's error. */
async function placeRefused(input: unknown): Promise<ServerError> {
  const headers = new Headers({ host: "127.0.0.1:3110", cookie: "fm_lang=en", "content-type": "application/json" });
  const ctx: TRPCContext = { db: database.prisma, session: session(alice), headers, staffToken: null, requestId: "test-off-shelf" };
  const body = JSON.stringify({ json: input });
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request("http://127.0.0.1:3110/api/trpc/order.place", { method: "POST", headers: Object.fromEntries(headers), body }),
    router: appRouter,
    createContext: () => ctx,
  });
  expect(res.status).toBe(400);
  return ((await res.json()) as { error: { json: ServerError } }).error.json;
}

describe("a product taken off the shelf since the checkout page showed it", () => {
  it("is refused by its name in English as in Chinese; nothing ordered", async () => {
    const api = callerFor(database.prisma, alice);
    const addr = await api.address.add(ADDRESS);
    const sku = await database.prisma.sku.findUniqueOrThrow({ where: { code: "tea" } });
    await api.cart.add({ skuId: sku.id, qty: 1 });
    await database.prisma.product.update({ where: { id: sku.productId }, data: { active: false } });

    const e = await placeRefused({ source: { kind: "cart" }, addressId: addr.id, useCredit: false });
    expect(errorText(createT("zh-CN", zhCN), e)).toBe("龙井已下架，请返回购物车删除后再结算");
    expect(errorText(createT("en", en), e)).toBe("龙井 is no longer available: remove it from your cart, then check out");
    expect(await database.prisma.order.count()).toBe(0);
  });
});
