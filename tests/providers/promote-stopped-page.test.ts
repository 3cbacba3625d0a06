// The 推广中心 of a member whose distributor status the shop stopped (SPEC §4 分销资格; the back office's 停用分销资格):
// the first screen says so at once, 分销资格已停用, what it means (no commission on friends' and team's orders, no
// stepped bonus, §7) and what still works (binding, so the share link, QR code and poster; 推三返一, §5), and whom to ask.
// The share link stays. The commissions tab offers no rates it would not pay. A frozen member sees the frozen header
// (frozen comes first, as on the 分销员 card). In tests/providers/ because it mocks modules, as promote-frozen-pages.
import { createElement, isValidElement, type ReactElement } from "react";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { registerMember } from "../../server/referral";
import { setDistributorEnabled } from "../../server/distribution";
import { MESSAGES } from "../../lib/i18n/messages";
import { createT } from "../../lib/i18n/core";
import { freshPglite } from "../helpers/db";
import { renderInProviders } from "../helpers/render";

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
const { StoppedNotice } = await import("../../app/promote/StoppedNotice");

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

let database: Database;
let stopped = 0; // stopped by staff
let active = 0; // not stopped
let both = 0; // stopped, then frozen

beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
  const yesterday = new Date(Date.now() - 24 * 3600_000);
  const reg = (username: string) => inTx(database.prisma, { now: yesterday }, (ctx) => registerMember(ctx, { username, nickname: username }));
  stopped = (await reg("stopped")).id;
  active = (await reg("active")).id;
  both = (await reg("both")).id;
  const staff = { staffId: (await database.prisma.staffAccount.create({ data: { username: "ops", displayName: "运营", role: "owner", passwordHash: "x", createdAt: yesterday } })).id };
  // As the back office's 停用分销资格 does (server/distribution setDistributorEnabled).
  for (const id of [stopped, both]) await inTx(database.prisma, { now: yesterday }, (ctx) => setDistributorEnabled(ctx, id, false, "核查刷单嫌疑", staff));
  await database.prisma.member.update({ where: { id: both }, data: { frozen: true, frozenAt: yesterday } });
}, 180_000);
afterAll(() => database?.close());

type Walked = { ids: string[]; hrefs: string[]; notices: ReactElement<{ contact: boolean }>[] };

/**
 * The page's own elements, and those of its async sections (a tab's data is loaded there): test ids (a HeaderLink's testId),
 * hrefs and the 分销资格已停用 notices. Other components are not entered.
 */
async function walk(node: unknown, out: Walked = { ids: [], hrefs: [], notices: [] }): Promise<Walked> {
  if (Array.isArray(node)) for (const n of node) await walk(n, out);
  else if (isValidElement<Record<string, unknown>>(node)) {
    if (node.type === StoppedNotice) out.notices.push(node as unknown as ReactElement<{ contact: boolean }>);
    const id = node.props["data-testid"] ?? node.props.testId;
    if (typeof id === "string") out.ids.push(id);
    if (typeof node.props.href === "string") out.hrefs.push(node.props.href);
    if (typeof node.type === "function" && node.type.constructor.name === "AsyncFunction") await walk(await (node.type as (p: unknown) => Promise<unknown>)(node.props), out);
    else await walk(node.props.children, out);
  }
  return out;
}

async function page(viewerId: number, tab?: string) {
  holder.viewerId = viewerId;
  try {
    return await walk(await PromotePage({ searchParams: Promise.resolve(tab ? { tab } : {}) }));
  } finally {
    holder.viewerId = 0;
  }
}

const html = (el: ReactElement, locale: "zh-CN" | "en" = "zh-CN") => renderInProviders(el, locale).html.replaceAll("<!-- -->", "").replaceAll("&#x27;", "'");

describe("the promotion centre of a member whose distributor status is stopped", () => {
  it("opens with the notice, and keeps the code, link, QR code, poster and invitees", async () => {
    const p = await page(stopped);
    expect(p.notices).toHaveLength(1);
    expect(p.ids).toEqual(expect.arrayContaining(["my-code", "my-qr", "share-link", "invitees-link"]));
    expect(p.ids).not.toContain("promote-frozen");
    expect(p.hrefs).toContain("/promote?tab=poster");
  });

  it("the notice says 分销资格已停用, what is lost, what still works and whom to ask", async () => {
    const [notice] = (await page(stopped)).notices;
    const text = html(notice!);
    expect(text).toContain('data-testid="promote-distributor-stopped"');
    expect(text).toContain("分销资格已停用");
    expect(text).toContain("停用期间，好友和团队的新订单不为你产生佣金，也不能获得阶梯奖励");
    expect(text).toContain("邀请链接、二维码和海报照常可用：好友通过它们注册仍会成为你邀请的好友，推三返一返现也照常计算。");
    expect(text).toContain("如有疑问，请联系商家。");
    expect(text).not.toMatch(/暂停|取消/);
    // No 店铺资料 contact filled in: no link to a 联系客服 card 我的 does not show.
    expect(notice!.props.contact).toBe(false);
    expect(text).not.toContain("/me#shop-contact-title");
  });

  it("links to 我的's 联系客服 once the shop has filled one in", async () => {
    await database.prisma.shopProfile.create({ data: { id: "default", servicePhone: "13800138000", updatedAt: new Date(), updatedById: 1 } });
    try {
      const [notice] = (await page(stopped)).notices;
      expect(notice!.props.contact).toBe(true);
      expect(html(notice!)).toMatch(/<a [^>]*href="\/me#shop-contact-title"[^>]*>联系客服<\/a>/);
    } finally {
      await database.prisma.shopProfile.delete({ where: { id: "default" } });
    }
  });

  it("in English too", () => {
    const text = html(createElement(StoppedNotice, { t: en, contact: true }), "en");
    expect(text).toContain("Your distributor status is suspended");
    expect(text).toContain("new orders from your friends and team earn you no commission and you get no stepped bonus");
    expect(text).toContain("Your invite link, QR code and poster still work");
    expect(text).toContain(">Contact us</a>");
    expect(html(createElement(StoppedNotice, { t: zh, contact: false }))).not.toContain("<a ");
  });

  it("the commissions tab offers no rates, and says none are earned while stopped", async () => {
    const p = await page(stopped, "commissions");
    expect(p.ids).toContain("commission-rates-stopped");
    expect(p.ids).not.toContain("commission-rates");
    expect(p.notices).toHaveLength(1);
  });
});

describe("members not in that state", () => {
  it("a member not stopped: no notice, the rates offered", async () => {
    expect((await page(active)).notices).toHaveLength(0);
    const c = await page(active, "commissions");
    expect(c.ids).toContain("commission-rates");
    expect(c.ids).not.toContain("commission-rates-stopped");
  });

  it("a stopped member who is also frozen sees the frozen header, not this notice (frozen comes first)", async () => {
    const p = await page(both);
    expect(p.notices).toHaveLength(0);
    expect(p.ids).toContain("promote-frozen");
  });
});
