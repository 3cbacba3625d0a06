// WeChat JS-SDK: the signature from the published example (JS-SDK documentation, appendix 1), the
// jsapi_ticket shared through the database by every instance, and the wx.config endpoint.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { jsapiSignature, jsapiTicket, wxConfigFor, type WechatMpConfig } from "../../server/wechat/jssdk";
import { freshDatabase } from "../helpers/db";
import { WechatApiTestServer } from "../helpers/wechat-api-server";
import { acceptedTemplates } from "../../components/wechat-sdk";

const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
const { GET } = await import("../../app/api/wechat/jssdk/route");

let database: Database;
let wx: WechatApiTestServer;
let cfg: WechatMpConfig;

beforeAll(async () => {
  wx = await new WechatApiTestServer().start();
  cfg = { appId: wx.appId, appSecret: wx.appSecret, apiBase: wx.baseUrl };
  database = await freshDatabase();
  holder.db = database.prisma;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await wx.stop();
  await database.close();
});

describe("jsapiSignature", () => {
  it("reproduces the example published in WeChat's JS-SDK documentation (appendix 1)", () => {
    const sig = jsapiSignature({
      ticket: "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
      nonceStr: "Wm3WZYTPz0wzccnW",
      timestamp: 1414587457,
      url: "http://mp.weixin.qq.com?params=value",
    });
    expect(sig).toBe("0f9de62fce790f9a083d5c99e95740ceb90c27ed");
    // The #fragment is not part of what WeChat signs.
    expect(jsapiSignature({ ticket: "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg", nonceStr: "Wm3WZYTPz0wzccnW", timestamp: "1414587457", url: "http://mp.weixin.qq.com?params=value#top" })).toBe(sig);
  });
});

describe("jsapi_ticket cache (database, shared by instances)", () => {
  it("fetches once for concurrent callers, serves the cache until shortly before expiry, then refreshes", async () => {
    const db = database.prisma;
    const t0 = new Date();
    wx.ticketDelayMs = 200;
    const tickets = await Promise.all([jsapiTicket(db, cfg, t0), jsapiTicket(db, cfg, t0), jsapiTicket(db, cfg, t0)]);
    wx.ticketDelayMs = 0;
    expect(new Set(tickets).size).toBe(1);
    expect(wx.calls).toMatchObject({ token: 1, ticket: 1 });
    // Another instance (no memory of its own) an hour later: the stored ticket.
    expect(await jsapiTicket(db, cfg, new Date(t0.getTime() + 3600_000))).toBe(tickets[0]);
    expect(wx.calls.ticket).toBe(1);
    // Within five minutes of WeChat's 7200 s expiry: a new token and ticket.
    const renewed = await jsapiTicket(db, cfg, new Date(t0.getTime() + 7000_000));
    expect(renewed).not.toBe(tickets[0]);
    expect(wx.calls).toMatchObject({ token: 2, ticket: 2 });
  });

  it("a WeChat error is thrown and never cached", async () => {
    const db = database.prisma;
    const later = new Date(Date.now() + 20_000_000);
    wx.ticketErrcode = 45009; // api freq out of limit
    await expect(jsapiTicket(db, cfg, later)).rejects.toThrow(/errcode 45009/);
    wx.ticketErrcode = 0;
    const before = wx.calls.ticket;
    expect(await jsapiTicket(db, cfg, later)).toMatch(/^TICKET_/);
    expect(wx.calls.ticket).toBe(before + 1);
  });
});

describe("GET /api/wechat/jssdk", () => {
  it("signs our own page URLs with the cached ticket, refuses other sites' and answers 404 when unconfigured", async () => {
    const page = "https://shop.example.com/product/tea?ref=ABC";
    const call = (url: string) => GET(new Request(`https://shop.example.com/api/wechat/jssdk?url=${encodeURIComponent(url)}`));
    expect((await call(page)).status).toBe(404);
    vi.stubEnv("WECHAT_APPID", wx.appId);
    vi.stubEnv("WECHAT_APP_SECRET", wx.appSecret);
    vi.stubEnv("WECHAT_API_BASE", wx.baseUrl);
    vi.stubEnv("SITE_URL", "https://shop.example.com");
    const res = await call(page);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { appId: string; timestamp: number; nonceStr: string; signature: string };
    const ticket = (await database.prisma.wechatCredential.findUniqueOrThrow({ where: { key: `jsapi_ticket:${wx.appId}` } })).value;
    expect(body.appId).toBe(wx.appId);
    expect(body.signature).toBe(jsapiSignature({ ticket, nonceStr: body.nonceStr, timestamp: body.timestamp, url: page }));
    expect((await call("https://evil.example.com/phish")).status).toBe(400);
    expect((await call("not a url")).status).toBe(400);
    expect(await wxConfigFor(database.prisma, cfg, "https://shop.example.com.evil.example/x", "https://shop.example.com")).toBeNull();
  });
});

describe("the subscribe open tag's answer", () => {
  it("keeps the templates the shopper accepted, whether WeChat writes each status as a JSON string or an object", () => {
    const details = JSON.stringify({ tA: JSON.stringify({ status: "accept" }), tB: JSON.stringify({ status: "reject" }), tC: { status: "accept" }, tD: { status: "ban" } });
    expect(acceptedTemplates(details)).toEqual(["tA", "tC"]);
    expect(acceptedTemplates("{}")).toEqual([]);
    expect(() => acceptedTemplates("not json")).toThrow();
  });
});
