// The 店铺资料 is read once per request on the shopper pages that show it: the root metadata names the shop, and 我的
// (联系客服) and the default 用户协议 / 隐私政策 (which name the operator and contacts) need it too. Each page below is rendered as Next renders
// one request (root metadata, page metadata, layouts, page) with React's per-request cache, counting the reads.
// In tests/providers/ because it mocks modules: vitest.config.ts gives that folder's files their own modules.
import type React from "react";
import { createElement, type ReactNode } from "react";
import { renderToReadableStream } from "react-dom/server";
import { AppRouterContext } from "next/dist/shared/lib/app-router-context.shared-runtime";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { registerMember } from "../../server/referral";
import { createSimpleProduct } from "../../server/catalog/admin";
import { createT } from "../../lib/i18n/core";
import { MESSAGES } from "../../lib/i18n/messages";
import { freshPglite } from "../helpers/db";
import { signedInStaff } from "../helpers/caller";

vi.mock("server-only", () => ({}));
const holder = vi.hoisted(() => ({ db: null as unknown, viewerId: 0, reads: 0, request: null as { fn: unknown; args: unknown[]; value: unknown }[] | null }));
// React's cache() as the server gives it: one result per function and arguments for the request being rendered, none outside one.
vi.mock("react", async (importOriginal) => {
  const react = await importOriginal<typeof React>();
  const cache =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      const memo = holder.request;
      if (!memo) return fn(...args);
      const hit = memo.find((m) => m.fn === fn && m.args.length === args.length && m.args.every((a, i) => Object.is(a, args[i])));
      if (hit) return hit.value as R;
      const value = fn(...args);
      memo.push({ fn, args, value });
      return value;
    };
  return { ...react, default: { ...react, cache }, cache };
});
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("@/server/auth", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  getServerAuthSession: async () => (holder.viewerId ? { user: { id: holder.viewerId } } : null),
}));
vi.mock("@/lib/i18n/server", () => ({
  getLocale: async () => "zh-CN",
  getMessages: async () => MESSAGES["zh-CN"],
  getT: async () => createT("zh-CN", MESSAGES["zh-CN"]),
}));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ host: "shop.example.com", "x-fm-page-fill": "1", ...(holder.viewerId ? { cookie: "next-auth.session-token=x" } : {}) }),
  cookies: async () => ({ get: () => undefined }),
}));
process.env.SITE_URL = "https://shop.example.com";

type Page = (props: { params: Promise<Record<string, string>>; searchParams: Promise<Record<string, string>> }) => Promise<ReactNode> | ReactNode;
interface Route {
  metadata?: (props: { params: Promise<Record<string, string>> }) => Promise<unknown>;
  layouts: ((props: { children: ReactNode }) => Promise<ReactNode> | ReactNode)[];
  page: Page;
}
const root = await import("../../app/layout");
const route = async (pageModule: Promise<{ default: unknown; generateMetadata?: unknown }>, ...layoutModules: Promise<{ default: unknown }>[]): Promise<Route> => {
  const m = await pageModule;
  return { metadata: m.generateMetadata as Route["metadata"], layouts: (await Promise.all(layoutModules)).map((l) => l.default as Route["layouts"][number]), page: m.default as Page };
};
const ROUTES = {
  "/me": await route(import("../../app/me/page"), import("../../app/me/layout")),
  "/legal/terms": await route(import("../../app/legal/terms/page"), import("../../app/legal/layout")),
  "/legal/privacy": await route(import("../../app/legal/privacy/page"), import("../../app/legal/layout")),
  "/": await route(import("../../app/page")),
  "/r/[code]": await route(import("../../app/r/[code]/page"), import("../../app/r/layout")),
  "/product/[id]": await route(import("../../app/product/[id]/page"), import("../../app/product/layout")),
  "/promote": await route(import("../../app/promote/page"), import("../../app/promote/layout")),
};

const fakeRouter = { back() {}, forward() {}, refresh() {}, push() {}, replace() {}, prefetch() {}, hmrRefresh() {} };
let database: Database;
let member: { id: number; referralCode: string };
let productId: number;
let author: number;

beforeAll(async () => {
  database = await freshPglite();
  const db = database.prisma;
  // The database the pages get: every query on ShopProfile counted.
  holder.db = db.$extends({
    query: {
      shopProfile: {
        $allOperations({ args, query }) {
          holder.reads++;
          return query(args);
        },
      },
    },
  });
  member = await inTx(db, { now: new Date() }, (ctx) => registerMember(ctx, { username: "wang", nickname: "王店长" }));
  await db.category.create({ data: { slug: "tea", name: "茶" } });
  productId = (await createSimpleProduct(db, { sku: "tea", name: "明前龙井 250g", priceFen: 12_800, category: "tea", stock: 5 })).id;
  author = (await signedInStaff(db, "owner")).id;
  // Contacts set (written as they are stored, no document saved): 我的 shows 联系客服 and the default documents name them.
  const profile = { name: "小满优选", operatorName: "杭州小满商贸有限公司", servicePhone: "0571-88886666", serviceWechat: "xiaoman_kf", updatedAt: new Date(), updatedById: author };
  await db.shopProfile.upsert({ where: { id: "default" }, create: { id: "default", ...profile }, update: profile });
}, 180_000);
afterAll(() => database?.close());

/** One request for `path` as `viewerId` sees it: its HTML and how many times it read the 店铺资料. */
async function request(path: keyof typeof ROUTES, params: Record<string, string> = {}, viewerId = member.id): Promise<{ html: string; reads: number }> {
  const { metadata, layouts, page } = ROUTES[path];
  Object.assign(holder, { viewerId, reads: 0, request: [] });
  try {
    await Promise.all([root.generateMetadata(), metadata?.({ params: Promise.resolve(params) })]);
    let tree = await page({ params: Promise.resolve(params), searchParams: Promise.resolve({}) });
    for (const layout of [...layouts].reverse()) tree = await layout({ children: tree });
    const stream = await renderToReadableStream(createElement(AppRouterContext.Provider, { value: fakeRouter as never }, createElement(root.default, { children: tree })));
    await stream.allReady;
    return { html: await new Response(stream).text(), reads: holder.reads };
  } finally {
    Object.assign(holder, { viewerId: 0, request: null });
  }
}

describe("one read of the 店铺资料 per request", () => {
  it("我的: the root metadata's read also gives 联系客服", async () => {
    const me = await request("/me");
    expect(me.html).toContain("xiaoman_kf");
    expect(me.html).toContain("tel:057188886666");
    expect(me.reads).toBe(1);
  });

  it("the default 用户协议 and 隐私政策: the root metadata's read also gives the operator and contacts they name", async () => {
    for (const path of ["/legal/terms", "/legal/privacy"] as const) {
      const legal = await request(path, {}, 0);
      expect(legal.html, path).toContain("杭州小满商贸有限公司");
      expect(legal.html, path).toContain("xiaoman_kf");
      expect(legal.html, path).toContain('data-version="1"');
      expect(legal.reads, path).toBe(1);
    }
  });

  it("a saved 隐私政策 is the merchant's text: still one read, by the root metadata", async () => {
    await database.prisma.legalDocumentVersion.create({ data: { kind: "privacy", version: 2, body: "小满优选的隐私政策（第二版）", customZh: true, authorStaffId: author, createdAt: new Date() } });
    const legal = await request("/legal/privacy", {}, 0);
    expect(legal.html).toContain("小满优选的隐私政策（第二版）");
    expect(legal.html).toContain('data-version="2"');
    expect(legal.reads).toBe(1);
  });

  it("the other pages that name the shop: home, share link, product and 推广", async () => {
    expect((await request("/", {}, 0)).reads).toBe(1);
    expect((await request("/r/[code]", { code: member.referralCode }, 0)).reads).toBe(1);
    expect((await request("/product/[id]", { id: String(productId) })).reads).toBe(1);
    expect((await request("/promote")).reads).toBe(1);
  });
});
