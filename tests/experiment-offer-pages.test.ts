// While an experiment runs, every shopper-facing place promises a member the 推三返一 of their own
// variant (server/experiments' rebateFor, as their order's task will follow): the promote page's offer
// (promotion.overview) and, on a share landing, what the signed-in VISITOR is promised
// if they buy (their variant, not the sharer's). What the link tells anyone it reaches (the share
// card, an anonymous visitor) is the rules in force: their variant is unknown until they sign up.
// The home page's 推三返一 banner and strip likewise, and neither shows while the campaign is off.
import { createElement } from "react";
import { renderToReadableStream, renderToString } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment } from "../server/orders";
import { startExperimentTx, variantFor } from "../server/experiments";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { I18nProvider } from "../lib/i18n/client";
import { loadRules } from "../server/context";
import { saveRules } from "../server/rules";
import { freshPglite } from "./helpers/db";
import { callerFor } from "./helpers/caller";

vi.mock("server-only", () => ({}));
const holder = vi.hoisted(() => ({ db: null as unknown as Database["prisma"], viewerId: 0 }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("@/server/auth", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  getServerAuthSession: async () => (holder.viewerId ? { user: { id: holder.viewerId } } : null),
}));
vi.mock("@/lib/i18n/server", () => ({ getT: async () => createT("zh-CN", MESSAGES["zh-CN"]) }));
vi.mock("next/headers", () => ({
  // A signed-in visitor carries the session cookie; the page fill header keeps this render from counting a visit.
  headers: async () => new Headers({ host: "shop.example.com", "x-fm-page-fill": "1", ...(holder.viewerId ? { cookie: "next-auth.session-token=x" } : {}) }),
  cookies: async () => ({ get: () => undefined }),
}));
process.env.SITE_URL = "https://shop.example.com";

const { default: LandingPage } = await import("../app/r/[code]/page");
const { default: HomePage } = await import("../app/page");

const OWNER = { staffId: 1, requestId: "req-offer-pages" };
let database: Database;
/** The sharer (in B) and a member of each variant. */
let sharer: { id: number; referralCode: string };
const members: Record<"A" | "B", number> = { A: 0, B: 0 };

beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
  const db = database.prisma;
  const t0 = new Date(Date.now() - 3_600_000);
  // A (the rules in force): invite 3 within 30 days, the order all back. B: invite 2 within 14 days, 40% back.
  const exp = await startExperimentTx(db, OWNER, { name: "邀二返四成", hypothesis: "", variantPercent: 50, variantRebate: { n: 2, windowDays: 14, percent: 40 } }, t0);
  const { salt } = await db.experiment.findUniqueOrThrow({ where: { id: exp.id } });
  const found: { id: number; referralCode: string; v: "A" | "B" }[] = [];
  for (let i = 0; found.filter((m) => m.v === "B").length < 2 || !found.some((m) => m.v === "A"); i++) {
    const m = await inTx(db, { now: t0 }, (ctx) => registerMember(ctx, { username: `m${i}` }));
    found.push({ id: m.id, referralCode: m.referralCode, v: variantFor(salt, m.id, 50) });
  }
  const inB = found.filter((m) => m.v === "B");
  sharer = inB[0]!;
  members.B = inB[1]!.id;
  members.A = found.find((m) => m.v === "A")!.id;
}, 180_000);
afterAll(() => database?.close());

describe("the promote page states the shopper's own variant", () => {
  it("promotion.overview: B's offer to a member in B, A's to one in A; the share card the rules in force", async () => {
    const b = await callerFor(database.prisma, members.B).promotion.overview();
    expect(b.rebate).toMatchObject({ enabled: true, n: 2, windowDays: 14, percent: 40 });
    expect(b.offer).toBe("下单后 14 天内邀请 2 位新好友完成首单，本单返还 40%");
    expect(b.shareRebate).toEqual({ enabled: true, n: 3, windowDays: 30, percent: 100, capFen: null, minAnchorFen: 0, payout: "cash" });
    const a = await callerFor(database.prisma, members.A).promotion.overview();
    expect(a.rebate).toMatchObject({ n: 3, windowDays: 30, percent: 100 });
    expect(a.offer).toBe("下单后 30 天内邀请 3 位新好友完成首单，本单全额返现");
  });
});

describe("a share landing promises the visitor their own variant, not the sharer's", () => {
  const render = async (viewerId: number) => {
    holder.viewerId = viewerId;
    try {
      return renderToString(await LandingPage({ params: Promise.resolve({ code: sharer.referralCode }), searchParams: Promise.resolve({}) }));
    } finally {
      holder.viewerId = 0;
    }
  };
  const A_OFFER = "推三返一：下单后 30 天内邀请 3 位好友完成首单，你的订单全额返现。";
  const B_OFFER = "推三返一：下单后 14 天内邀请 2 位好友完成首单，你的订单返还 40%。";

  it("a signed-in visitor in A is promised A's offer on a link of a sharer in B", async () => {
    const html = await render(members.A);
    expect(html).toContain(A_OFFER);
    expect(html).toContain("邀请 3 人，本单全额返现");
    expect(html).toContain("分享给 3\u00a0位好友");
    expect(html).not.toContain(B_OFFER);
  });

  it("a signed-in visitor in B is promised B's offer", async () => {
    const html = await render(members.B);
    expect(html).toContain(B_OFFER);
    expect(html).toContain("邀请好友，返还 40%");
    expect(html).toContain("分享给 2\u00a0位好友");
  });

  it("an anonymous visitor is promised the rules in force", async () => {
    const html = await render(0);
    expect(html).toContain(A_OFFER);
    expect(html).toContain("分享给 3\u00a0位好友");
  });

  it("what B's visitor is promised is what their paid order's task follows", async () => {
    const db = database.prisma;
    const { createSimpleProduct } = await import("../server/catalog/admin");
    await db.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 5 });
    const now = new Date();
    const o = await inTx(db, { now }, (ctx) => createOrder(ctx, { memberId: members.B, lines: [{ sku: "tea", qty: 1 }] }));
    await inTx(db, { now }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    // ¥100.00 at 40%: ¥40.00, 2 invitees.
    expect(await db.rebateTask.findUniqueOrThrow({ where: { anchorOrderId: o.id } })).toMatchObject({ variant: "B", n: 2, percent: 40, cashbackFen: 4_000 });
  });
});

describe("the home page's 推三返一 banner and strip state the visitor's own offer", () => {
  // The home page has async server components (the frame, the search box): rendered as the server streams it.
  const render = async (viewerId: number) => {
    holder.viewerId = viewerId;
    try {
      const page = createElement(I18nProvider, { locale: "zh-CN", messages: MESSAGES["zh-CN"], children: await HomePage() });
      const stream = await renderToReadableStream(page);
      await stream.allReady;
      return await new Response(stream).text();
    } finally {
      holder.viewerId = 0;
    }
  };

  it("a signed-in member in B: B's offer, nowhere the rules' 3 invitees", async () => {
    const html = await render(members.B);
    expect(html).toContain("下单后邀请 2 位好友首单，本单返还 40%");
    expect(html).toContain("邀请 2 位好友首单，你的订单返还 40%");
    expect(html).not.toContain("邀请 3 位好友");
  });

  it("a member in A and an anonymous visitor: the rules in force", async () => {
    for (const viewer of [members.A, 0]) {
      const html = await render(viewer);
      expect(html).toContain("下单后邀请 3 位好友首单，本单全额返现");
      expect(html).toContain("邀请 3 位好友首单，你的订单全额返现");
    }
  });

  it("while the campaign is off: no 推三返一 banner or strip", async () => {
    const db = database.prisma;
    const now = new Date();
    const config = (await loadRules(db, now)).config;
    await saveRules(db, null, { config: { ...config, rebate: { ...config.rebate, enabled: false } }, reason: "campaign off" }, now);
    const html = await render(0);
    expect(html).not.toContain('data-testid="home-rebate"');
    expect(html).not.toContain("立即参与"); // the 推三返一 banner's button
    expect(html).toContain('data-testid="product-banner"');
  });
});
