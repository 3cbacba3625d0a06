// WeChat JS-SDK under WeChat failures: every page view inside WeChat asks /api/wechat/jssdk, and WeChat
// limits getticket and stable_token to a daily quota. A failure is fetched once by concurrent callers and
// then stands for a minute (503 with a message key and Retry-After), WeChat not asked meanwhile.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { jsapiSignature, WechatApiError, WechatUnavailable, wxConfigFor, type WechatMpConfig } from "../server/wechat/jssdk";
import { freshDatabase } from "./helpers/db";
import { WechatApiTestServer } from "./helpers/wechat-api-server";

const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
const { GET } = await import("../app/api/wechat/jssdk/route");

const SITE = "https://shop.example.com";
const PAGE = `${SITE}/product/tea`;
let database: Database;
// Two accounts: the route runs on the real clock, the direct calls on clocks of their own.
let wx: WechatApiTestServer;
let routeWx: WechatApiTestServer;
let cfg: WechatMpConfig;

beforeAll(async () => {
  wx = await new WechatApiTestServer({ appId: "wxfailcache0000001" }).start();
  routeWx = await new WechatApiTestServer({ appId: "wxfailcacheroute01" }).start();
  cfg = { appId: wx.appId, appSecret: wx.appSecret, apiBase: wx.baseUrl };
  database = await freshDatabase();
  holder.db = database.prisma;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await wx.stop();
  await routeWx.stop();
  await database.close();
});

const at = (t0: Date, s: number) => new Date(t0.getTime() + s * 1000);

describe("wxConfigFor while WeChat fails", () => {
  it("asks WeChat once for concurrent page views, not again for a minute, then again", async () => {
    const db = database.prisma;
    const t0 = new Date("2026-12-06T08:00:00Z");
    wx.ticketErrcode = 45009; // api freq out of limit
    wx.ticketDelayMs = 100;
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => wxConfigFor(db, cfg, PAGE, SITE, t0)));
    wx.ticketDelayMs = 0;
    for (const r of results) expect(r.status === "rejected" && r.reason).toBeInstanceOf(WechatApiError);
    expect(wx.calls).toMatchObject({ token: 1, ticket: 1 });

    // 59 s later WeChat still is not asked (it may answer by then: the failure stands all the same).
    wx.ticketErrcode = 0;
    const refused = await wxConfigFor(db, cfg, PAGE, SITE, at(t0, 59)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WechatUnavailable);
    expect((refused as WechatUnavailable).retryAfterS).toBe(1);
    expect(wx.calls.ticket).toBe(1);

    // A minute after the failure: asked again, and the page is signed.
    const config = await wxConfigFor(db, cfg, PAGE, SITE, at(t0, 60));
    expect(wx.calls.ticket).toBe(2);
    const ticket = (await db.wechatCredential.findUniqueOrThrow({ where: { key: `jsapi_ticket:${cfg.appId}` } })).value;
    expect(config!.signature).toBe(jsapiSignature({ ticket, nonceStr: config!.nonceStr, timestamp: config!.timestamp, url: PAGE }));
  });

  it("signs with a ticket another instance stored meanwhile, without asking WeChat", async () => {
    const db = database.prisma;
    const t0 = new Date("2026-12-07T08:00:00Z"); // the stored ticket has expired by then
    wx.ticketErrcode = 40001;
    await expect(wxConfigFor(db, cfg, PAGE, SITE, t0)).rejects.toBeInstanceOf(WechatApiError);
    wx.ticketErrcode = 0;
    const asked = { ...wx.calls };
    await db.wechatCredential.update({ where: { key: `jsapi_ticket:${cfg.appId}` }, data: { value: "TICKET_OTHER_INSTANCE", expiresAt: at(t0, 7200) } });
    const config = await wxConfigFor(db, cfg, PAGE, SITE, at(t0, 10));
    expect(config!.signature).toBe(jsapiSignature({ ticket: "TICKET_OTHER_INSTANCE", nonceStr: config!.nonceStr, timestamp: config!.timestamp, url: PAGE }));
    expect(wx.calls).toEqual(asked);
  });
});

describe("a WeChat failure seen by one app instance", () => {
  // Another instance: the module loaded afresh, nothing of the first one's memory.
  const otherInstance = async () => {
    vi.resetModules();
    return import("../server/wechat/jssdk");
  };

  it("stands on the others: WeChat is not asked again until the minute is over", async () => {
    const db = database.prisma;
    const t0 = new Date("2026-12-08T08:00:00Z"); // every stored credential has expired by then
    wx.ticketErrcode = 45009;
    await expect(wxConfigFor(db, cfg, PAGE, SITE, t0)).rejects.toBeInstanceOf(WechatApiError);
    wx.ticketErrcode = 0;
    const asked = { ...wx.calls };
    const other = await otherInstance();
    const refused = await other.wxConfigFor(db, cfg, PAGE, SITE, at(t0, 20)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(other.WechatUnavailable);
    expect((refused as WechatUnavailable).retryAfterS).toBe(40);
    expect(wx.calls).toEqual(asked);
    // A minute after the failure the other instance asks, and signs the page.
    const config = await other.wxConfigFor(db, cfg, PAGE, SITE, at(t0, 60));
    expect(config).not.toBeNull();
    expect(wx.calls.ticket).toBe(asked.ticket + 1);
  });

  it("two instances asking at once: WeChat is asked once, the second gets the failure without asking", async () => {
    const db = database.prisma;
    const t0 = new Date("2026-12-09T08:00:00Z");
    wx.ticketErrcode = 45009;
    wx.ticketDelayMs = 100;
    const before = wx.calls.ticket;
    const other = await otherInstance();
    const [a, b] = await Promise.allSettled([wxConfigFor(db, cfg, PAGE, SITE, t0), other.wxConfigFor(db, cfg, PAGE, SITE, t0)]);
    wx.ticketDelayMs = 0;
    wx.ticketErrcode = 0;
    const reasons = [a, b].map((r) => (r.status === "rejected" ? (r.reason as Error).name : "signed"));
    expect(reasons.sort()).toEqual(["WechatApiError", "WechatUnavailable"]);
    expect(wx.calls.ticket).toBe(before + 1);
  });
});

describe("GET /api/wechat/jssdk while WeChat fails", () => {
  it("answers 503 with a message in the caller's language and Retry-After, and asks WeChat once", async () => {
    vi.stubEnv("WECHAT_APPID", routeWx.appId);
    vi.stubEnv("WECHAT_APP_SECRET", routeWx.appSecret);
    vi.stubEnv("WECHAT_API_BASE", routeWx.baseUrl);
    vi.stubEnv("SITE_URL", SITE);
    const call = (headers: Record<string, string> = {}) => GET(new Request(`${SITE}/api/wechat/jssdk?url=${encodeURIComponent(PAGE)}`, { headers }));
    routeWx.ticketErrcode = 45009;
    const first = await call();
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("60");
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(await first.json()).toEqual({ error: "微信服务暂时不可用，请稍后再试" });
    const again = await call({ cookie: "fm_lang=en" });
    expect(again.status).toBe(503);
    expect(Number(again.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(again.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(await again.json()).toEqual({ error: "WeChat is unavailable right now, please try again later" });
    expect(routeWx.calls.ticket).toBe(1);
  });
});
