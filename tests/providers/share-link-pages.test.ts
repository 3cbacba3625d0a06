// What a person opening a shared link sees, rendered by the real pages against a real database: a product's link
// preview (plain text, its picture), a share link's preview when it carries a product, the WeChat share card a
// member forwards (their own code, the product kept), the dead end of an invalid link, and the ?joined=1 banner
// of a member from before. In tests/providers/ because it mocks modules (vitest.config.ts gives that folder's files their own).
import { createElement, isValidElement, type ReactNode } from "react";
import { renderToReadableStream } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resolveTitle } from "next/dist/lib/metadata/resolvers/resolve-title";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { registerMember } from "../../server/referral";
import { createSimpleProduct } from "../../server/catalog/admin";
import type { WechatShareData } from "../../app/_lib/wechat-share";
import { MESSAGES } from "../../lib/i18n/messages";
import { createT } from "../../lib/i18n/core";
import { I18nProvider } from "../../lib/i18n/client";
import { freshPglite } from "../helpers/db";

vi.mock("server-only", () => ({}));
const holder = vi.hoisted(() => ({ db: null as unknown as Database["prisma"], viewerId: 0 }));
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
  // A signed-in viewer carries the session cookie; the page fill header keeps a landing render from counting a visit.
  headers: async () => new Headers({ host: "shop.example.com", "x-fm-page-fill": "1", ...(holder.viewerId ? { cookie: "next-auth.session-token=x" } : {}) }),
  cookies: async () => ({ get: () => undefined }),
}));
const ORIGIN = "https://shop.example.com";
process.env.SITE_URL = ORIGIN;

const { default: LandingPage, generateMetadata: landingMetadata } = await import("../../app/r/[code]/page");
const { default: ProductPage, generateMetadata: productMetadata } = await import("../../app/product/[id]/page");
const { WechatShare } = await import("../../components/WechatShare");

const DESCRIPTION = "## 产地\n\n**西湖**产区，[明前](https://example.com/tea)头采。\n\n![茶汤](/products/tea-2.jpg)";
let database: Database;
let sharer: { id: number; referralCode: string };
let friend: { id: number; referralCode: string };
let tea: number;
let plain: number;
let offShelf: number;

beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
  const db = database.prisma;
  // Members from yesterday: none of them is new to a ?joined=1 return today.
  const yesterday = new Date(Date.now() - 24 * 3600_000);
  sharer = await inTx(db, { now: yesterday }, (ctx) => registerMember(ctx, { username: "wang", nickname: "王店长" }));
  friend = await inTx(db, { now: yesterday }, (ctx) => registerMember(ctx, { username: "zhang", nickname: "张三丰", sponsorCode: sharer.referralCode }));
  await db.category.create({ data: { slug: "tea", name: "茶" } });
  tea = (await createSimpleProduct(db, { sku: "tea", name: "明前龙井 250g", priceFen: 12_800, category: "tea", stock: 5, description: DESCRIPTION, imageUrl: "/products/tea.jpg" })).id;
  plain = (await createSimpleProduct(db, { sku: "cup", name: "玻璃杯", priceFen: 2_900, category: "tea", stock: 5 })).id;
  offShelf = (await createSimpleProduct(db, { sku: "old", name: "旧茶", priceFen: 1_000, category: "tea", stock: 5, imageUrl: "/products/old.jpg" })).id;
  await db.product.update({ where: { id: offShelf }, data: { active: false } });
}, 180_000);
afterAll(() => database?.close());

async function as<T>(viewerId: number, fn: () => Promise<T>): Promise<T> {
  holder.viewerId = viewerId;
  try {
    return await fn();
  } finally {
    holder.viewerId = 0;
  }
}

async function html(node: ReactNode): Promise<string> {
  const stream = await renderToReadableStream(createElement(I18nProvider, { locale: "zh-CN", messages: MESSAGES["zh-CN"], children: node }));
  await stream.allReady;
  return new Response(stream).text();
}

function shareCard(node: unknown): WechatShareData | undefined {
  if (Array.isArray(node)) return node.map(shareCard).find(Boolean);
  if (!isValidElement<{ children?: unknown; data?: WechatShareData }>(node)) return undefined;
  return node.type === WechatShare ? node.props.data : shareCard(node.props.children);
}

const landingProps = (code: string, sp: Record<string, string> = {}) => ({ params: Promise.resolve({ code }), searchParams: Promise.resolve(sp) });
const productProps = (id: number, sp: Record<string, string> = {}) => ({ params: Promise.resolve({ id: String(id) }), searchParams: Promise.resolve(sp) });
/** The browser tab's title under the root layout's template. */
const tabTitle = (title: unknown) => resolveTitle(title as Parameters<typeof resolveTitle>[0], "%s · 裂变商城").absolute;

describe("a product's link preview", () => {
  it("is its description as text and its first picture, absolute", async () => {
    const meta = await productMetadata(productProps(tea));
    expect(tabTitle(meta.title)).toBe("明前龙井 250g · 裂变商城");
    expect(meta.description).toBe("产地 西湖产区，明前头采。");
    expect(meta.openGraph).toMatchObject({ title: "明前龙井 250g", description: "产地 西湖产区，明前头采。", url: `${ORIGIN}/product/${tea}`, images: [{ url: `${ORIGIN}/products/tea.jpg` }] });
  });

  it("without description or picture: the price line and no picture", async () => {
    const meta = await productMetadata(productProps(plain));
    expect(meta.description).toBe("¥29.00 起，裂变商城好物推荐");
    expect(meta.openGraph?.images).toBeUndefined();
  });
});

describe("a product page forwarded from WeChat's menu", () => {
  it("by a visitor: the product page's own link", async () => {
    expect(shareCard(await ProductPage(productProps(tea)))?.link).toBe(`${ORIGIN}/product/${tea}`);
  });

  it("by a member: their share link carrying the product", async () => {
    const card = await as(friend.id, async () => shareCard(await ProductPage(productProps(tea))));
    expect(card).toMatchObject({ title: "明前龙井 250g", desc: "产地 西湖产区，明前头采。", link: `${ORIGIN}/r/${friend.referralCode}?product=${tea}`, imgUrl: `${ORIGIN}/products/tea.jpg` });
  });
});

describe("a share link's preview", () => {
  it("without a product: the invitation, its title not followed by the shop's name again", async () => {
    const meta = await landingMetadata(landingProps(sharer.referralCode));
    expect(tabTitle(meta.title)).toBe("王*长 邀请你加入裂变商城");
    expect(meta.openGraph).toMatchObject({ title: "王*长 邀请你加入裂变商城", url: `${ORIGIN}/r/${sharer.referralCode}`, images: [{ url: `${ORIGIN}/api/og/r/${sharer.referralCode}` }] });
  });

  it("with a product on sale: the product, its sharer in the description, its picture, and the product kept in og:url", async () => {
    const meta = await landingMetadata(landingProps(sharer.referralCode, { product: String(tea) }));
    expect(tabTitle(meta.title)).toBe("明前龙井 250g · 裂变商城");
    expect(meta.description).toBe("王*长 推荐给你：产地 西湖产区，明前头采。");
    expect(meta.openGraph).toMatchObject({ title: "明前龙井 250g", description: "王*长 推荐给你：产地 西湖产区，明前头采。", url: `${ORIGIN}/r/${sharer.referralCode}?product=${tea}`, images: [{ url: `${ORIGIN}/products/tea.jpg` }] });
  });

  it("with a product off the shelf: the plain invitation", async () => {
    const meta = await landingMetadata(landingProps(sharer.referralCode, { product: String(offShelf) }));
    expect(meta.openGraph).toMatchObject({ title: "王*长 邀请你加入裂变商城", url: `${ORIGIN}/r/${sharer.referralCode}` });
  });
});

describe("a share link forwarded from WeChat's menu", () => {
  it("by a visitor: the sharer's link, the product kept", async () => {
    const card = shareCard(await LandingPage(landingProps(sharer.referralCode, { product: String(tea) })));
    expect(card).toMatchObject({ title: "明前龙井 250g", desc: "王*长 推荐给你：产地 西湖产区，明前头采。", link: `${ORIGIN}/r/${sharer.referralCode}?product=${tea}` });
  });

  it("by a signed-in member: their own link and name, the product kept", async () => {
    const withProduct = await as(friend.id, async () => shareCard(await LandingPage(landingProps(sharer.referralCode, { product: String(tea) }))));
    expect(withProduct).toMatchObject({ desc: "张*丰 推荐给你：产地 西湖产区，明前头采。", link: `${ORIGIN}/r/${friend.referralCode}?product=${tea}` });
    const invitation = await as(friend.id, async () => shareCard(await LandingPage(landingProps(sharer.referralCode))));
    expect(invitation).toMatchObject({ title: "张*丰 邀请你加入裂变商城", link: `${ORIGIN}/r/${friend.referralCode}`, imgUrl: `${ORIGIN}/api/og/r/${friend.referralCode}` });
  });
});

describe("an invalid share link", () => {
  it("carrying a product on sale offers the product besides the mall", async () => {
    const page = await html(await LandingPage(landingProps("NOBODY9", { product: String(tea) })));
    expect(page).toContain("邀请链接无效或已失效");
    expect(page).toMatch(new RegExp(`href="/product/${tea}"[^>]*>查看商品<`));
    expect(page).toContain("进入商城");
  });

  it("without one (or with one off the shelf) offers the mall only", async () => {
    for (const sp of [{}, { product: String(offShelf) }] as Record<string, string>[]) {
      const page = await html(await LandingPage(landingProps("NOBODY9", sp)));
      expect(page).toContain("进入商城");
      expect(page).not.toContain("查看商品");
    }
  });
});

describe("the ?joined=1 return of a member from before", () => {
  it("says the invitation was for new shoppers, not who invited them", async () => {
    const page = await as(friend.id, async () => html(await LandingPage(landingProps(sharer.referralCode, { joined: "1" }))));
    expect(page).toContain("你已是会员，邀请仅对新用户有效");
    expect(page).not.toContain("你的推荐人是");
  });
});

/** The texts and test ids in a page's element tree (its components not rendered: the app router is not mounted here). */
function treeTexts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => treeTexts(n, out));
  else if (typeof node === "string") out.push(node);
  else if (isValidElement<{ children?: unknown; "data-testid"?: string; text?: string }>(node)) {
    if (node.props["data-testid"]) out.push(`testid:${node.props["data-testid"]}`);
    if (typeof node.props.text === "string") out.push(node.props.text);
    treeTexts(node.props.children, out);
  }
  return out;
}

describe("a product page's 商品详情", () => {
  it("shows the merchant's description under 商品详情", async () => {
    const texts = treeTexts(await ProductPage(productProps(tea)));
    expect(texts).toContain("testid:product-details");
    expect(texts).toContain("商品详情");
    expect(texts).toContain(DESCRIPTION);
  });

  it("left empty by the merchant: no section and no invented text", async () => {
    const texts = treeTexts(await ProductPage(productProps(plain)));
    expect(texts).not.toContain("testid:product-details");
    expect(texts).not.toContain("商品详情");
    expect(texts).not.toContain("精选好物，品质保障。");
  });
});
