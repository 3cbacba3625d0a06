// A CSV export refused to a member of staff (客服 and the product list, 财务 and the orders): a script's fetch still
// gets the JSON refusal, but a browser opening the link gets a short 403 page in the staff's language with a link
// back (app/merchant/_components/route-auth.ts), not the raw text {"error":"无权访问"}.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { createT } from "../../lib/i18n/core";
import { MESSAGES } from "../../lib/i18n/messages";
import { freshPglite } from "../helpers/db";
import { signedInStaff } from "../helpers/caller";

const holder = vi.hoisted(() => ({ db: null as unknown, staffToken: null as string | null, headers: new Headers(), locale: "zh-CN" as "zh-CN" | "en" }));
vi.mock("server-only", () => ({}));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  cookies: async () => ({ get: (name: string) => (name === "fm_staff" && holder.staffToken ? { name, value: holder.staffToken } : undefined) }),
  headers: async () => holder.headers,
}));
vi.mock("@/lib/i18n/server", () => ({ getT: async () => createT(holder.locale, MESSAGES[holder.locale]) }));

/** What Chrome sends when the address bar or a link opens a URL. */
const NAVIGATION = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" };

let database: Database;
let support: string;
let finance: string;
beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
  support = (await signedInStaff(database.prisma, "support")).token;
  finance = (await signedInStaff(database.prisma, "finance")).token;
}, 120_000);
afterAll(() => database.close());

async function open(path: string, token: string | null, headers: Record<string, string>, locale: "zh-CN" | "en" = "zh-CN") {
  holder.staffToken = token;
  holder.headers = new Headers(headers);
  holder.locale = locale;
  const route = path.startsWith("/merchant/products") ? await import("../../app/merchant/products/export/route") : await import("../../app/merchant/orders/export/route");
  return route.GET(new Request(`http://127.0.0.1:3100${path}`, { headers }));
}

describe("a refused export opened in the browser", () => {
  it("客服 opening the product list's export: a 403 page saying so, with a link back to the dashboard", async () => {
    const res = await open("/merchant/products/export", support, NAVIGATION);
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain("<h1 style=\"font-size:1.125rem\">无权访问</h1>");
    expect(html).toContain("您的角色（客服）不能访问该页面");
    expect(html).toContain('<a href="/merchant"');
    expect(html).toContain(">返回工作台</a>");
    expect(html).not.toContain('{"error"');
  });

  it("财务 opening the orders' export, in English", async () => {
    const res = await open("/merchant/orders/export", finance, NAVIGATION, "en");
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("Access denied");
    expect(html).toContain("Your role (Finance) cannot open this page");
    expect(html).toContain(">Back to dashboard</a>");
  });

  it("signed out: 401, a page with the way to sign in", async () => {
    const res = await open("/merchant/orders/export", null, { accept: NAVIGATION.accept });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain("请先登录商家后台");
    expect(html).toContain('<a href="/merchant/login"');
    expect(html).toContain(">去登录</a>");
  });

  it("a script's request keeps the JSON refusal", async () => {
    const res = await open("/merchant/products/export", support, { accept: "*/*" });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "无权访问" });
  });
});
