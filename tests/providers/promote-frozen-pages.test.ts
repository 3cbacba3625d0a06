// A frozen member's 推广中心 page and share poster (SPEC §8: their link binds nobody and they earn nothing new): the page
// hands out no link, QR code, poster or WeChat share card and says why; /promote/poster refuses with 403. The data
// behind it: tests/promote-frozen.test.ts. In tests/providers/ because it mocks modules (vitest.config.ts gives that
// folder's files their own). A frozen member signs in and keeps their session (server/auth/session ends only a deleted
// account's), so they reach this page: the signed-in session here is theirs.
import { isValidElement } from "react";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { registerMember } from "../../server/referral";
import { MESSAGES } from "../../lib/i18n/messages";
import { createT } from "../../lib/i18n/core";
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
  headers: async () => new Headers({ host: "shop.example.com", ...(holder.viewerId ? { cookie: "next-auth.session-token=x" } : {}) }),
  cookies: async () => ({ get: () => undefined }),
}));
process.env.SITE_URL = "https://shop.example.com";

const { default: PromotePage } = await import("../../app/promote/page");
const { GET: poster } = await import("../../app/promote/poster/route");
const { WechatShare } = await import("../../components/WechatShare");

let database: Database;
let frozen = 0;
let active = 0;

beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
  const yesterday = new Date(Date.now() - 24 * 3600_000);
  frozen = (await inTx(database.prisma, { now: yesterday }, (ctx) => registerMember(ctx, { username: "frozen", nickname: "冻结者" }))).id;
  active = (await inTx(database.prisma, { now: yesterday }, (ctx) => registerMember(ctx, { username: "active", nickname: "活跃者" }))).id;
  // Frozen as staff freeze a member (server/members/admin setMemberFrozen sets the same flag).
  await database.prisma.member.update({ where: { id: frozen }, data: { frozen: true, frozenAt: yesterday } });
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

/** The page's own elements (not what its child components render): their test ids (a HeaderLink's testId), hrefs, texts and whether a WeChat share card is among them. */
function walk(node: unknown, out = { ids: [] as string[], hrefs: [] as string[], texts: [] as string[], share: false }) {
  if (Array.isArray(node)) node.forEach((n) => walk(n, out));
  else if (typeof node === "string") out.texts.push(node);
  else if (isValidElement<Record<string, unknown>>(node)) {
    if (node.type === WechatShare) out.share = true;
    const id = node.props["data-testid"] ?? node.props.testId;
    if (typeof id === "string") out.ids.push(id);
    if (typeof node.props.href === "string") out.hrefs.push(node.props.href);
    walk(node.props.children, out);
  }
  return out;
}

const page = (viewerId: number, tab?: string) => as(viewerId, async () => walk(await PromotePage({ searchParams: Promise.resolve(tab ? { tab } : {}) })));

describe("the promotion centre of a frozen member", () => {
  it("hands out no code, link, QR code, poster or share card, says why, and keeps the wallet and invitees within reach", async () => {
    const p = await page(frozen);
    expect(p.share).toBe(false);
    expect(p.ids).not.toEqual(expect.arrayContaining(["my-code"]));
    expect(p.ids).not.toEqual(expect.arrayContaining(["my-qr"]));
    expect(p.ids).not.toEqual(expect.arrayContaining(["share-link"]));
    expect(p.ids).toEqual(expect.arrayContaining(["promote-frozen", "frozen-wallet-link", "invitees-link"]));
    expect(p.hrefs).not.toContain("/promote?tab=poster");
    expect(p.hrefs).toContain("/wallet");
    // The frozen banner the wallet shows too: signed in, they read why (SPEC §8).
    expect(p.texts).toContain("账户已冻结：不能提现，也不再获得佣金和返现；如有疑问请联系客服");
  });

  it("asked for the poster tab, shows the tasks", async () => {
    const p = await page(frozen, "poster");
    expect(p.hrefs).not.toContain("/promote?tab=poster");
    expect(p.ids).not.toContain("poster");
  });

  it("a member not frozen still gets all of it", async () => {
    const p = await page(active);
    expect(p.share).toBe(true);
    expect(p.ids).toEqual(expect.arrayContaining(["my-code", "my-qr", "share-link", "invitees-link"]));
    expect(p.ids).not.toContain("promote-frozen");
    expect(p.hrefs).toContain("/promote?tab=poster");
  });
});

describe("/promote/poster", () => {
  it("refuses a frozen member with 403 and says why", async () => {
    const res = await as(frozen, () => poster(new Request("https://shop.example.com/promote/poster")));
    expect(res.status).toBe(403);
    expect(await res.text()).toBe("账户已冻结，暂不能生成分享海报，请联系客服");
  });

  it("a product poster too", async () => {
    const res = await as(frozen, () => poster(new Request("https://shop.example.com/promote/poster?product=1")));
    expect(res.status).toBe(403);
  });
});
