// /orders/<id> answers 404 (the order's own not-found page) for an order that does not exist and for another member's
// order alike, so the page never tells whether an id exists; the member's own order renders.
// In tests/providers/ because it mocks modules: vitest.config.ts gives that folder's files their own modules.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { registerMember } from "../../server/referral";
import { createSimpleProduct } from "../../server/catalog/admin";
import { createOrder } from "../../server/orders";
import { createT } from "../../lib/i18n/core";
import { MESSAGES } from "../../lib/i18n/messages";
import { freshPglite } from "../helpers/db";
import { renderToStaticMarkup } from "react-dom/server";

vi.mock("server-only", () => ({}));
const holder = vi.hoisted(() => ({ db: null as unknown as Database["prisma"], viewerId: 0 }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("@/server/auth", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  getServerAuthSession: async () => (holder.viewerId ? { user: { id: holder.viewerId } } : null),
}));
vi.mock("@/lib/i18n/server", () => ({ getT: async () => createT("en", MESSAGES.en) }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ cookie: "next-auth.session-token=x" }),
  cookies: async () => ({ get: () => undefined }),
}));

const { default: OrderPage } = await import("../../app/orders/[id]/page");
const { default: OrderNotFound } = await import("../../app/orders/[id]/not-found");

let database: Database;
let buyer: number;
let stranger: number;
let orderId: number;

beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
  const db = database.prisma;
  const now = new Date();
  buyer = (await inTx(db, { now }, (ctx) => registerMember(ctx, { username: "buyer" }))).id;
  stranger = (await inTx(db, { now }, (ctx) => registerMember(ctx, { username: "stranger" }))).id;
  await db.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen: 12_800, category: "tea", stock: 5 });
  orderId = (await inTx(db, { now }, (ctx) => createOrder(ctx, { memberId: buyer, lines: [{ sku: "tea", qty: 1 }] }))).id;
}, 180_000);
afterAll(() => database?.close());

/** What rendering the page as `viewer` gives: "404" when it called notFound(), else "page". */
async function render(viewer: number, id: number | string): Promise<"404" | "page"> {
  holder.viewerId = viewer;
  try {
    await OrderPage({ params: Promise.resolve({ id: String(id) }) });
    return "page";
  } catch (e) {
    if ((e as { digest?: string }).digest === "NEXT_HTTP_ERROR_FALLBACK;404") return "404";
    throw e;
  }
}

describe("the order page of an order the viewer cannot see", () => {
  it("is a 404 when no order has the id", async () => {
    expect(await render(buyer, 999_999)).toBe("404");
  });
  it("is the same 404 for another member's order", async () => {
    expect(await render(stranger, orderId)).toBe("404");
  });
  it("renders the member's own order", async () => {
    expect(await render(buyer, orderId)).toBe("page");
  });
});

describe("the 404 of an order page", () => {
  // app/orders/[id]/not-found.tsx: the order's own words (not the shop's "page missing or product off the shelf"),
  // one text for both cases above, and the way back to 我的订单.
  it("says the order does not exist or is not the viewer's, and links to 我的订单", async () => {
    const html = renderToStaticMarkup(await OrderNotFound());
    expect(html).toContain("This order does not exist or is not yours");
    expect(html).toMatch(/<a[^>]*href="\/orders"[^>]*>My orders<\/a>/);
    expect(html).not.toContain("product");
  });
  it("in Chinese too", () => {
    const zh = createT("zh-CN", MESSAGES["zh-CN"]);
    expect(zh("order.notFoundPage.title")).toBe("订单不存在，或不是你的订单");
    expect(zh("order.notFoundPage.orders")).toBe("我的订单");
  });
});
