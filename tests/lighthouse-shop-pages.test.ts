// Lighthouse findings on the shopper pages, read from the real pages' output against a real database:
// - a share link (/r/{code}) is noindex (a personal invite naming the inviter) and so names no canonical URL;
// - its first screenful's pictures (the shared product, the first row of 热门好物) load at once, as the home page's;
// - the sort bar's 价格↑ / 价格↓ links have names that say the direction (axe: identical-links-same-purpose).
// Mocks modules (next/headers, the database, the language): listed in vitest.config.ts OWN_MODULES.
import { createElement, type ReactNode } from "react";
import { renderToReadableStream } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { registerMember } from "../server/referral";
import { createSimpleProduct } from "../server/catalog/admin";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { I18nProvider } from "../lib/i18n/client";
import { freshPglite } from "./helpers/db";

vi.mock("server-only", () => ({}));
const holder = vi.hoisted(() => ({ db: null as unknown as Database["prisma"], locale: "zh-CN" as "zh-CN" | "en" }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("@/lib/i18n/server", () => ({
  getLocale: async () => holder.locale,
  getMessages: async () => MESSAGES[holder.locale],
  getT: async () => createT(holder.locale, MESSAGES[holder.locale]),
}));
vi.mock("next/headers", () => ({
  // An anonymous visitor; the page fill header keeps the render from counting a visit.
  headers: async () => new Headers({ host: "shop.example.com", "x-fm-page-fill": "1" }),
  cookies: async () => ({ get: () => undefined }),
}));
process.env.SITE_URL = "https://shop.example.com";

const { default: LandingPage, generateMetadata: landingMetadata } = await import("../app/r/[code]/page");
const { SortBar } = await import("../components/SortBar");

let database: Database;
let code: string;
let sharedId: number;

beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
  const db = database.prisma;
  code = (await inTx(db, { now: new Date() }, (ctx) => registerMember(ctx, { username: "wang", nickname: "王店长" }))).referralCode;
  await db.category.create({ data: { slug: "tea", name: "茶" } });
  // The landing page lists the first four by sort order (g1…g4); the fifth is the one a product link shares.
  for (const n of [1, 2, 3, 4]) await createSimpleProduct(db, { sku: `g${n}`, name: `好茶${n}`, priceFen: 1000 * n, category: "tea", stock: 5, imageUrl: `/products/g${n}.webp`, sort: n });
  sharedId = (await createSimpleProduct(db, { sku: "s", name: "分享的茶", priceFen: 9900, category: "tea", stock: 5, imageUrl: "/products/s.webp", sort: 9 })).id;
}, 180_000);
afterAll(() => database?.close());

/** HTML of a server-rendered tree, async components included, as the server streams it. */
async function html(node: ReactNode): Promise<string> {
  const stream = await renderToReadableStream(createElement(I18nProvider, { locale: holder.locale, messages: MESSAGES[holder.locale], children: node }));
  await stream.allReady;
  return new Response(stream).text();
}

/** Each product picture in page order: its file and how it loads. */
function pictures(page: string): { src: string; loading: string | null; priority: string | null }[] {
  return [...page.matchAll(/<img\b[^>]*>/g)]
    .map(([tag]) => ({ src: /src="([^"]*)"/.exec(tag)?.[1] ?? "", loading: /loading="([^"]*)"/.exec(tag)?.[1] ?? null, priority: /fetchpriority="([^"]*)"/i.exec(tag)?.[1] ?? null }))
    .filter((p) => p.src.startsWith("/products/"));
}

const landing = async (product?: number) => html(await LandingPage({ params: Promise.resolve({ code }), searchParams: Promise.resolve(product ? { product: String(product) } : {}) }));
const EAGER = { loading: "eager", priority: "high" };
const LAZY = { loading: "lazy", priority: null };

describe("share link page (/r/{code})", () => {
  it("is noindex and names no canonical URL (a mixed signal to search engines)", async () => {
    const meta = await landingMetadata({ params: Promise.resolve({ code }) });
    expect(meta.robots).toEqual({ index: false });
    expect(meta.alternates?.canonical).toBeUndefined();
    // The share card still carries the link's own address.
    expect(meta.openGraph?.url).toBe(`https://shop.example.com/r/${code}`);
  });

  it("loads the first row of 热门好物 at once and the rest lazily", async () => {
    expect(pictures(await landing())).toEqual([
      { src: "/products/g1_400.webp", ...EAGER },
      { src: "/products/g2_400.webp", ...EAGER },
      { src: "/products/g3_400.webp", ...LAZY },
      { src: "/products/g4_400.webp", ...LAZY },
    ]);
  });

  it("with a shared product, loads its picture at once too", async () => {
    expect(pictures(await landing(sharedId))).toEqual([
      { src: "/products/s_400.webp", ...EAGER },
      { src: "/products/g1_400.webp", ...EAGER },
      { src: "/products/g2_400.webp", ...EAGER },
      { src: "/products/g3_400.webp", ...LAZY },
      { src: "/products/g4_400.webp", ...LAZY },
    ]);
  });
});

/** The sort bar's links: target, accessible name (aria-label, else the text) and visible text. */
async function sortLinks(locale: "zh-CN" | "en") {
  holder.locale = locale;
  try {
    const bar = await html(await SortBar({ base: "/category/tea", current: "default" }));
    return [...bar.matchAll(/<a\b([^>]*)>(.*?)<\/a>/g)].map(([, attrs, text]) => {
      const label = /aria-label="([^"]*)"/.exec(attrs!)?.[1];
      return { href: /href="([^"]*)"/.exec(attrs!)?.[1]?.replaceAll("&amp;", "&"), name: label ?? text, text };
    });
  } finally {
    holder.locale = "zh-CN";
  }
}

describe("sort bar", () => {
  it("in Chinese, the price links say the direction; the arrows stay visible", async () => {
    expect(await sortLinks("zh-CN")).toEqual([
      { href: "/category/tea", name: "综合", text: "综合" },
      { href: "/category/tea?sort=sales", name: "销量", text: "销量" },
      { href: "/category/tea?sort=newest", name: "新品", text: "新品" },
      { href: "/category/tea?sort=price_asc", name: "价格从低到高", text: "价格↑" },
      { href: "/category/tea?sort=price_desc", name: "价格从高到低", text: "价格↓" },
    ]);
  });

  it("in English, likewise", async () => {
    const links = await sortLinks("en");
    expect(links.slice(3)).toEqual([
      { href: "/category/tea?sort=price_asc", name: "Price: low to high", text: "Price ↑" },
      { href: "/category/tea?sort=price_desc", name: "Price: high to low", text: "Price ↓" },
    ]);
    // No two links share a name (each goes somewhere else).
    expect(new Set(links.map((l) => l.name)).size).toBe(links.length);
  });
});
