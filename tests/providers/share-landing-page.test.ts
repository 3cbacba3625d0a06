// The share landing /r/[code] rendered by the real page against a real database, for each viewer: an anonymous
// visitor is invited (the shared page cache's copy); a member from before is told at once their sponsor stays; the
// sharer on their own link gets their invitation page, and their view counts no visit of it. A link naming a product that is gone says so; an unknown
// code's link carrying a product previews that product. With 推三返一 off nothing promises cashback, and the site's
// description (root metadata) follows the rules in force.
// In tests/providers/ because it mocks modules: vitest.config.ts gives that folder's files their own modules.
import { createElement, type ReactElement, type ReactNode } from "react";
import { renderToReadableStream } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx, loadRules } from "../../server/context";
import { registerMember } from "../../server/referral";
import { createSimpleProduct } from "../../server/catalog/admin";
import { saveRules } from "../../server/rules";
import { createT } from "../../lib/i18n/core";
import { MESSAGES } from "../../lib/i18n/messages";
import { I18nProvider } from "../../lib/i18n/client";
import type { VisitBuffer } from "../../server/referral/visit-buffer";
import { freshPglite } from "../helpers/db";

vi.mock("server-only", () => ({}));
const holder = vi.hoisted(() => ({ db: null as unknown as Database["prisma"], viewerId: 0, pageFill: true }));
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
  // A browser's request (no user agent reads as a link preview's fetch); a signed-in viewer carries the session cookie;
  // the page fill header (holder.pageFill) keeps a render from counting a visit.
  headers: async () =>
    new Headers({
      host: "shop.example.com",
      "user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0.47",
      ...(holder.pageFill ? { "x-fm-page-fill": "1" } : {}),
      ...(holder.viewerId ? { cookie: "next-auth.session-token=x" } : {}),
    }),
  cookies: async () => ({ get: () => undefined }),
}));
process.env.SITE_URL = "https://shop.example.com";

const { generateMetadata: rootMetadata } = await import("../../app/layout");
const { default: LandingPage, generateMetadata: landingMetadata } = await import("../../app/r/[code]/page");

let database: Database;
let sharer: { id: number; referralCode: string };
let member: number;
let productId: number;

beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
  const db = database.prisma;
  const now = new Date();
  sharer = await inTx(db, { now }, (ctx) => registerMember(ctx, { username: "wang", nickname: "王店长" }));
  member = (await inTx(db, { now }, (ctx) => registerMember(ctx, { username: "li", nickname: "李姐" }))).id;
  await db.category.create({ data: { slug: "tea", name: "茶" } });
  productId = (await createSimpleProduct(db, { sku: "tea", name: "明前龙井 250g", priceFen: 12_800, category: "tea", stock: 5 })).id;
}, 180_000);
afterAll(() => database?.close());

/** The landing's HTML as `viewerId` (0: anonymous) sees it. */
async function landing(viewerId: number, search: Record<string, string> = {}, code = sharer.referralCode): Promise<string> {
  holder.viewerId = viewerId;
  try {
    const node: ReactNode = await LandingPage({ params: Promise.resolve({ code }), searchParams: Promise.resolve(search) });
    const stream = await renderToReadableStream(createElement(I18nProvider, { locale: "zh-CN", messages: MESSAGES["zh-CN"], children: node }));
    await stream.allReady;
    return await new Response(stream).text();
  } finally {
    holder.viewerId = 0;
  }
}

/** Sets the 推三返一 rules (a new rule version in force now). */
async function setRebate(patch: Record<string, unknown>) {
  const db = database.prisma;
  const { config } = await loadRules(db);
  await saveRules(db, null, { config: { ...config, rebate: { ...config.rebate, ...patch } }, reason: "test" }, new Date());
}

describe("each viewer of a share link", () => {
  it("an anonymous visitor is invited to sign up, as before", async () => {
    const html = await landing(0);
    expect(html).toMatch(/data-testid="inviter">[^<]+ 邀请你加入裂变商城</);
    expect(html).toContain('data-testid="accept-invite"');
    expect(html).not.toContain('data-testid="already-member"');
  });

  it("a member from before is told at once that their sponsor stays, with the shop to browse, no new-member wording", async () => {
    const html = await landing(member);
    expect(html).toContain("你已是会员，推荐人保持不变，此邀请仅对新用户有效");
    expect(html).not.toContain("新人注册即可参与");
    expect(html).not.toContain("邀请你加入");
    expect(html).not.toContain('data-testid="accept-invite"');
    expect(html).toMatch(/data-testid="landing-next" href="\/"/);
  });

  it("the sharer on their own link sees their invitation page, leading to sharing it, not an invitation from themselves", async () => {
    const html = await landing(sharer.id);
    expect(html).toContain("这是你的邀请页");
    expect(html).not.toContain("邀请你加入");
    expect(html).toMatch(/data-testid="own-share" href="\/promote"/);
    expect(html).not.toContain("你已是会员");
  });
});

describe("the link's visits (the KPI link funnel)", () => {
  it("the sharer opening their own link counts no visit; an anonymous visitor's view counts one", async () => {
    const visits = (globalThis as unknown as { __fmVisits: VisitBuffer }).__fmVisits;
    const counted = async () => {
      await visits.flush();
      return database.prisma.referralVisit.count({ where: { memberId: sharer.id } });
    };
    holder.pageFill = false;
    try {
      const before = await counted();
      await landing(sharer.id);
      expect(await counted()).toBe(before);
      await landing(0);
      expect(await counted()).toBe(before + 1);
    } finally {
      holder.pageFill = true;
    }
  });
});

describe("a link's product", () => {
  it("gone or off sale: said above the invitation", async () => {
    expect(await landing(0, { product: "999999" })).toContain("该商品已下架或不存在");
    const shown = await landing(0, { product: String(productId) });
    expect(shown).toContain("明前龙井 250g");
    expect(shown).not.toContain("该商品已下架或不存在");
  });

  it("on an unknown code: the preview is the product the page offers", async () => {
    const meta = await landingMetadata({ params: Promise.resolve({ code: "ZZZZZZ" }), searchParams: Promise.resolve({ product: String(productId) }) });
    expect(meta.title).toBe("明前龙井 250g");
    expect(meta.openGraph).toMatchObject({ title: "明前龙井 250g", url: `https://shop.example.com/product/${productId}` });
    expect((await landingMetadata({ params: Promise.resolve({ code: "ZZZZZZ" }) })).title).toBe("邀请链接无效");
  });
});

describe("the rules in force", () => {
  it("off: no cashback badge, headline or steps; the site's description promises nothing; back on, it states the rules", async () => {
    await setRebate({ enabled: false });
    const html = await landing(0);
    expect(html).not.toContain("推三返一");
    expect(html).not.toContain("返现");
    expect(html).not.toContain('data-testid="landing-steps"');
    expect(html).toContain("好友推荐，一起逛逛");
    expect((await rootMetadata()).description).toBe("精选正品好物，新人注册即可购物。");

    await setRebate({ enabled: true, n: 5, percent: 50 });
    expect((await rootMetadata()).description).toBe("好物低价，推三返一：下单后 30 天内邀请 5 位好友完成首单，你的订单返还 50%。");
    expect(await landing(0)).toContain("推三返一");
  });

  it("the preview picture's address changes with the offer in force (WeChat and CDNs keep a picture by address) and stays for the same offer", async () => {
    const picture = async () => {
      const images = (await landingMetadata({ params: Promise.resolve({ code: sharer.referralCode }) })).openGraph?.images;
      return (Array.isArray(images) ? images[0] : images) as { url: string };
    };
    await setRebate({ enabled: true, n: 3, percent: 100 });
    const before = (await picture()).url;
    expect((await picture()).url).toBe(before);
    await setRebate({ percent: 50 });
    const half = (await picture()).url;
    expect(half).not.toBe(before);
    await setRebate({ enabled: false });
    const off = (await picture()).url;
    expect(new Set([before, half, off]).size).toBe(3);
    // The sharer's own page forwards their link: its WeChat share card names the same picture as the page's metadata.
    holder.viewerId = sharer.id;
    try {
      const page = (await LandingPage({ params: Promise.resolve({ code: sharer.referralCode }) })) as ReactElement<{ children: ReactElement<{ data?: { imgUrl: string } }>[] }>;
      expect(page.props.children[0]?.props.data?.imgUrl).toBe(off);
    } finally {
      holder.viewerId = 0;
    }
    await setRebate({ enabled: true, percent: 100 });
    expect((await picture()).url).toBe(before);
  });
});
