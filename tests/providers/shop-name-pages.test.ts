// The shop's own name (店铺资料) wherever shoppers see the shop: the root metadata (title, its template, application
// and Open Graph site name), the home page's header, a share link's metadata, page, WeChat share card and joined
// banner, a product's and the promote page's share cards, the sandbox cashier, the share poster and the share link's
// Open Graph picture. Rendered by the real pages and routes against a real database, once with the defaults (the
// app's name, as before) and once after the owner named the shop 小满优选 / Xiaoman Select; the pictures' element trees
// are read where next/og would draw them. Saving the profile is a staff mutation: the cached anonymous pages go at once.
// In tests/providers/ because it mocks modules: vitest.config.ts gives that folder's files their own modules.
import { createElement, isValidElement, type ReactNode } from "react";
import { renderToReadableStream } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resolveTitle } from "next/dist/lib/metadata/resolvers/resolve-title";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { registerMember } from "../../server/referral";
import { createSimpleProduct } from "../../server/catalog/admin";
import { createOrder } from "../../server/orders";
import { createT, type Locale } from "../../lib/i18n/core";
import type { WechatShareData } from "../../app/_lib/wechat-share";
import { MESSAGES } from "../../lib/i18n/messages";
import { I18nProvider } from "../../lib/i18n/client";
import { invalidateSharedPages, PAGE_FILL_HEADER, sharedPage, type SharedKey } from "../../server/page-cache";
import { freshPglite } from "../helpers/db";
import { signedInStaff } from "../helpers/caller";
import { saveShopForm } from "../helpers/shop";

vi.mock("server-only", () => ({}));
const holder = vi.hoisted(() => ({ db: null as unknown as Database["prisma"], viewerId: 0, locale: "zh-CN" as "zh-CN" | "en", drawn: [] as unknown[] }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("@/server/auth", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  getServerAuthSession: async () => (holder.viewerId ? { user: { id: holder.viewerId } } : null),
}));
vi.mock("@/lib/i18n/server", () => ({
  getLocale: async () => holder.locale,
  getMessages: async () => MESSAGES[holder.locale],
  getT: async () => createT(holder.locale, MESSAGES[holder.locale]),
}));
vi.mock("next/headers", () => ({
  // A signed-in viewer carries the session cookie; the page fill header keeps a landing render from counting a visit.
  headers: async () => new Headers({ host: "shop.example.com", "x-fm-page-fill": "1", ...(holder.viewerId ? { cookie: "next-auth.session-token=x" } : {}) }),
  cookies: async () => ({ get: () => undefined }),
}));
// The pictures: the element tree next/og would draw, kept to be read.
vi.mock("next/og", () => ({
  ImageResponse: class extends Response {
    constructor(element: unknown) {
      super("png", { headers: { "content-type": "image/png" } });
      holder.drawn.push(element);
    }
  },
}));
const ORIGIN = "https://shop.example.com";
process.env.SITE_URL = ORIGIN;

const { generateMetadata: rootMetadata } = await import("../../app/layout");
const { default: HomePage } = await import("../../app/page");
const { default: LandingPage, generateMetadata: landingMetadata } = await import("../../app/r/[code]/page");
const { default: ProductPage } = await import("../../app/product/[id]/page");
const { default: PromotePage } = await import("../../app/promote/page");
const { default: SandboxCashier } = await import("../../app/pay/sandbox/[reference]/page");
const { GET: poster } = await import("../../app/promote/poster/route");
const { GET: ogImage } = await import("../../app/api/og/r/[code]/route");
const { WechatShare } = await import("../../components/WechatShare");

const XIAOMAN = { name: "小满优选", nameEn: "Xiaoman Select", operatorName: "", servicePhone: "", serviceWechat: "", email: "", serviceHours: "", address: "" };
let database: Database;
let owner: Awaited<ReturnType<typeof signedInStaff>>;
let sharer: { id: number; referralCode: string };
let invitee: number;
let productId: number;
const CASHIER = "sbx-shop-name";

beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
  const db = database.prisma;
  const now = new Date();
  owner = await signedInStaff(db, "owner");
  sharer = await inTx(db, { now }, (ctx) => registerMember(ctx, { username: "wang", nickname: "王店长" }));
  invitee = (await inTx(db, { now }, (ctx) => registerMember(ctx, { username: "li", nickname: "李姐", sponsorCode: sharer.referralCode }))).id;
  await db.category.create({ data: { slug: "tea", name: "茶" } });
  // No description: its share card falls back to the price in the shop's name.
  productId = (await createSimpleProduct(db, { sku: "tea", name: "明前龙井 250g", priceFen: 12_800, category: "tea", stock: 5 })).id;
  const order = await inTx(db, { now }, (ctx) => createOrder(ctx, { memberId: invitee, lines: [{ sku: "tea", qty: 1 }] }));
  await db.paymentIntent.create({ data: { orderId: order.id, provider: "sandbox", reference: CASHIER, amountFen: order.payableFen, createdAt: now } });
}, 180_000);
afterAll(() => database?.close());

/** Runs `fn` as `viewerId` (0: anonymous) in `locale`, then back to who and what it was. */
async function as<T>(viewerId: number, locale: Locale, fn: () => Promise<T>): Promise<T> {
  const before = { viewerId: holder.viewerId, locale: holder.locale };
  Object.assign(holder, { viewerId, locale });
  try {
    return await fn();
  } finally {
    Object.assign(holder, before);
  }
}

/** HTML of a server-rendered tree, async components included, as the server streams it. */
async function html(node: ReactNode): Promise<string> {
  const stream = await renderToReadableStream(createElement(I18nProvider, { locale: holder.locale, messages: MESSAGES[holder.locale], children: node }));
  await stream.allReady;
  return new Response(stream).text();
}

/** Every text in an element tree, components' children included (nothing is rendered). */
function texts(node: unknown): string[] {
  if (typeof node === "string" || typeof node === "number") return [String(node)];
  if (Array.isArray(node)) return node.flatMap(texts);
  return isValidElement<{ children?: unknown }>(node) ? texts(node.props.children) : [];
}

/** The share card a page hands WeChat's JS-SDK (its <WechatShare> element's data). */
function shareCard(node: unknown): WechatShareData | undefined {
  if (Array.isArray(node)) return node.map(shareCard).find(Boolean);
  if (!isValidElement<{ children?: unknown; data?: WechatShareData }>(node)) return undefined;
  return node.type === WechatShare ? node.props.data : shareCard(node.props.children);
}

const landing = (joined = false) => LandingPage({ params: Promise.resolve({ code: sharer.referralCode }), searchParams: Promise.resolve(joined ? { joined: "1" } : {}) });

/** The sharer's Open Graph picture, as bytes. */
const sharerOgPng = async () => Buffer.from(await (await ogImage(new Request(`${ORIGIN}/api/og/r/${sharer.referralCode}`), { params: Promise.resolve({ code: sharer.referralCode }) })).arrayBuffer());

/** What every place shows, in one language, as a viewer sees it. */
async function everyPlace(locale: Locale) {
  return as(0, locale, async () => {
    const meta = await rootMetadata();
    const landingMeta = await landingMetadata({ params: Promise.resolve({ code: sharer.referralCode }) });
    const home = await html(await HomePage());
    const landingHtml = await html(await landing());
    const landingCard = shareCard(await landing());
    const productCard = await as(invitee, locale, async () => shareCard(await ProductPage({ params: Promise.resolve({ id: String(productId) }) })));
    const promoteCard = await as(sharer.id, locale, async () => shareCard(await PromotePage({ searchParams: Promise.resolve({}) })));
    const banner = await as(invitee, locale, async () => html(await landing(true)));
    const cashier = await as(invitee, locale, async () => html(await SandboxCashier({ params: Promise.resolve({ reference: CASHIER }) })));
    holder.drawn = [];
    await as(sharer.id, locale, () => poster(new Request(`${ORIGIN}/promote/poster`)));
    const ogPng = await sharerOgPng();
    await ogImage(new Request(`${ORIGIN}/api/og/r/NOBODY9`), { params: Promise.resolve({ code: "NOBODY9" }) });
    // A picture already drawn (the same one in every language) comes from the route's cache and is not drawn again.
    const [posterTexts, ogTexts, ogUnknownTexts] = holder.drawn.map(texts);
    return { meta, landingMeta, home, landingHtml, landingCard, productCard, promoteCard, banner, cashier, posterTexts: posterTexts!, ogTexts, ogUnknownTexts, ogPng };
  });
}

const headerOf = (home: string) => /data-testid="shop-name"[^>]*>([^<]*)</.exec(home)?.[1];
const merchantOf = (cashier: string) => /data-testid="cashier-merchant"[^>]*>([^<]*)</.exec(cashier)?.[1];

describe("before the owner names the shop: the app's name, as before", () => {
  it("in Chinese, 裂变商城 everywhere", async () => {
    const p = await everyPlace("zh-CN");
    expect(p.meta).toMatchObject({ title: { default: "裂变商城", template: "%s · 裂变商城" }, applicationName: "裂变商城", openGraph: { siteName: "裂变商城" } });
    expect(p.landingMeta).toMatchObject({ title: { absolute: "王*长 邀请你加入裂变商城" }, openGraph: { siteName: "裂变商城" } });
    expect(headerOf(p.home)).toBe("裂变商城");
    expect(p.landingHtml).toContain("王*长 邀请你加入裂变商城");
    expect(p.landingCard?.title).toBe("王*长 邀请你加入裂变商城");
    expect(p.productCard?.desc).toBe("¥128.00 起，裂变商城好物推荐");
    expect(p.promoteCard?.title).toBe("王*长 邀请你加入裂变商城");
    expect(p.banner).toContain("欢迎加入裂变商城！你的推荐人是 ");
    expect(merchantOf(p.cashier)).toBe("裂变商城");
    expect(p.posterTexts).toContain("裂变商城");
    expect(p.posterTexts).toContain("裂");
    expect(p.ogTexts).toContain("裂变商城");
    expect(p.ogUnknownTexts).toContain("裂变商城 · 好物低价");
    // The picture's address carries no version while the profile has its defaults.
    expect(p.landingCard?.imgUrl).toBe(`${ORIGIN}/api/og/r/${sharer.referralCode}`);
    expect(p.promoteCard?.imgUrl).toBe(`${ORIGIN}/api/og/r/${sharer.referralCode}`);
  });

  it("in English, Fission Mall", async () => {
    const p = await everyPlace("en");
    expect(p.meta).toMatchObject({ title: { default: "Fission Mall", template: "%s · Fission Mall" }, applicationName: "Fission Mall", openGraph: { siteName: "Fission Mall" } });
    expect(p.landingMeta).toMatchObject({ title: { absolute: "王*长 invites you to join Fission Mall" }, openGraph: { siteName: "Fission Mall" } });
    expect(headerOf(p.home)).toBe("Fission Mall");
    expect(p.banner).toContain("Welcome to Fission Mall! You were invited by ");
    expect(merchantOf(p.cashier)).toBe("Fission Mall");
    expect(p.posterTexts).toContain("Fission Mall");
  });
});

describe("after the owner named the shop 小满优选 (English: Xiaoman Select)", () => {
  beforeAll(async () => {
    await saveShopForm(owner.caller, XIAOMAN);
  });

  it("Chinese pages, share cards and pictures say 小满优选 and never 裂变商城", async () => {
    const p = await everyPlace("zh-CN");
    expect(p.meta).toMatchObject({ title: { default: "小满优选", template: "%s · 小满优选" }, applicationName: "小满优选", openGraph: { siteName: "小满优选" } });
    expect(p.landingMeta).toMatchObject({ title: { absolute: "王*长 邀请你加入小满优选" }, openGraph: { siteName: "小满优选", title: "王*长 邀请你加入小满优选" } });
    expect(headerOf(p.home)).toBe("小满优选");
    expect(p.landingHtml).toContain("王*长 邀请你加入小满优选");
    expect(p.landingCard?.title).toBe("王*长 邀请你加入小满优选");
    expect(p.productCard?.desc).toBe("¥128.00 起，小满优选好物推荐");
    expect(p.promoteCard?.title).toBe("王*长 邀请你加入小满优选");
    expect(p.banner).toContain("欢迎加入小满优选！你的推荐人是 ");
    expect(merchantOf(p.cashier)).toBe("小满优选");
    // The pictures: the name beside its first character as the mark; the Open Graph picture is Chinese for everyone.
    expect(p.posterTexts).toEqual(expect.arrayContaining(["小", "小满优选"]));
    expect(p.ogTexts).toEqual(expect.arrayContaining(["小", "小满优选"]));
    expect(p.ogUnknownTexts).toContain("小满优选 · 好物低价");
    // A renamed shop's picture is a new address (WeChat and link previews keep a picture by its URL): the save's time.
    const saved = (await database.prisma.shopProfile.findUniqueOrThrow({ where: { id: "default" } })).updatedAt.getTime();
    const picture = `${ORIGIN}/api/og/r/${sharer.referralCode}?v=${saved}`;
    expect([p.landingCard?.imgUrl, p.promoteCard?.imgUrl]).toEqual([picture, picture]);
    expect(p.landingMeta.openGraph?.images).toEqual([expect.objectContaining({ url: picture })]);
    const everything = JSON.stringify(p);
    expect(everything).not.toContain("裂变商城");
    expect([...p.posterTexts, ...p.ogTexts, ...p.ogUnknownTexts].join("")).not.toContain("裂");
  });

  it("English pages say Xiaoman Select; the Open Graph picture keeps the Chinese name", async () => {
    const p = await everyPlace("en");
    expect(p.meta).toMatchObject({ title: { default: "Xiaoman Select", template: "%s · Xiaoman Select" }, applicationName: "Xiaoman Select", openGraph: { siteName: "Xiaoman Select" } });
    expect(p.landingMeta).toMatchObject({ title: { absolute: "王*长 invites you to join Xiaoman Select" }, openGraph: { siteName: "Xiaoman Select" } });
    expect(headerOf(p.home)).toBe("Xiaoman Select");
    expect(p.landingCard?.title).toBe("王*长 invites you to join Xiaoman Select");
    expect(p.productCard?.desc).toBe("From ¥128.00 at Xiaoman Select");
    expect(p.banner).toContain("Welcome to Xiaoman Select! You were invited by ");
    expect(merchantOf(p.cashier)).toBe("Xiaoman Select");
    expect(p.posterTexts).toEqual(expect.arrayContaining(["X", "Xiaoman Select"]));
    // The picture does not depend on the language: the English request gets the Chinese picture (which says 小满优选).
    expect(p.ogPng.equals(await as(0, "zh-CN", sharerOgPng))).toBe(true);
    expect(JSON.stringify(p)).not.toMatch(/Fission Mall|裂变商城/);
  });

  it("a %s in the shop's name stays in the title, not replaced by the page's", async () => {
    await saveShopForm(owner.caller, { ...XIAOMAN, name: "100%sure 小店" });
    try {
      const { title } = (await as(0, "zh-CN", () => rootMetadata())) as { title: { template: string } };
      expect(resolveTitle("购物车", title.template).absolute.replace(/\u200b/g, "")).toBe("购物车 · 100%sure 小店");
    } finally {
      await saveShopForm(owner.caller, XIAOMAN);
    }
  });
});

describe("a saved 店铺资料 shows at once on the cached anonymous pages", () => {
  it("the save is a staff mutation, which drops every copy of the page cache", async () => {
    const k: SharedKey = { key: "zh-CN browser /", url: "/", locale: "zh-CN", bot: false };
    let fills = 0;
    const fetcher = (async (_url: string, init?: RequestInit) => {
      fills++;
      const sentinel = new Headers(init?.headers).get(PAGE_FILL_HEADER)!.split(" ")[1];
      return new Response(`<script nonce="${sentinel}"></script>v${fills}`, { status: 200, headers: { "content-type": "text/html" } });
    }) as unknown as typeof fetch;
    invalidateSharedPages();
    await sharedPage(k, { origin: ORIGIN, ttlMs: 60_000, fetcher });
    await sharedPage(k, { origin: ORIGIN, ttlMs: 60_000, fetcher });
    expect(fills).toBe(1);
    await saveShopForm(owner.caller, { ...XIAOMAN, name: "小满好物" });
    await sharedPage(k, { origin: ORIGIN, ttlMs: 60_000, fetcher });
    expect(fills).toBe(2);
  });
});
