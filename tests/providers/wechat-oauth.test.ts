// WeChat web authorisation (公众号网页授权) against a local server that follows the published protocol:
// the consent URL WeChat accepts (parameter order, #wechat_redirect), code → openid (40029 invalid
// code, 40163 code reused), /sns/userinfo (48001 without snsapi_userinfo), the next-auth provider's
// state check and member resolution, and phone binding: an unknown openid is held in an encrypted
// cookie and linked to the member who proves a phone, registered through the SMS path with the
// referral cookie.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { authorizeUrl, exchangeCode, fetchUserInfo, linkWechatAccount, WechatOAuthError, type WechatOAuthConfig } from "../../server/wechat/oauth";
import { freshDatabase } from "../helpers/db";
import { WechatApiTestServer } from "../helpers/wechat-api-server";

const holder = vi.hoisted(() => ({ db: null as unknown, jar: new Map<string, string>(), headers: new Headers() }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (holder.jar.has(name) ? { name, value: holder.jar.get(name)! } : undefined),
    set: (name: string, value: string) => void holder.jar.set(name, value),
    delete: (name: string) => void holder.jar.delete(name),
  }),
  headers: async () => holder.headers,
}));
const { authOptions } = await import("../../server/auth/options");
const { wechatProvider, sealPendingIdentity, openPendingIdentity, WECHAT_PENDING_COOKIE } = await import("../../server/auth/wechat-provider");
const { sendSignInCode } = await import("../../server/auth/otp");
const { GET: authorizeHop } = await import("../../app/api/wechat/oauth/authorize/route");

const SITE = "https://shop.example.com";
let database: Database;
let wx: WechatApiTestServer;
let cfg: WechatOAuthConfig;
const config = parseConfig({});

beforeAll(async () => {
  wx = await new WechatApiTestServer().start();
  cfg = { appId: wx.appId, appSecret: wx.appSecret, oauthBase: wx.baseUrl, apiBase: wx.baseUrl };
  database = await freshDatabase();
  holder.db = database.prisma;
  vi.stubEnv("WECHAT_LOGIN", "1");
  vi.stubEnv("WECHAT_APPID", wx.appId);
  vi.stubEnv("WECHAT_APP_SECRET", wx.appSecret);
  vi.stubEnv("WECHAT_OAUTH_BASE", wx.baseUrl);
  vi.stubEnv("WECHAT_API_BASE", wx.baseUrl);
  vi.stubEnv("SITE_URL", SITE);
  vi.stubEnv("SMS_PROVIDER", "outbox");
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await wx.stop();
  await database.close();
});
beforeEach(() => holder.jar.clear());

/** The shopper's WeChat consents: follows the authorize URL like the browser does, returns code and state from the redirect. */
async function consent(url: string, openid: string): Promise<{ code: string; state: string; redirect: URL }> {
  let res = await fetch(url.replace(/#wechat_redirect$/, ""), { redirect: "manual", headers: { cookie: `wx_openid=${openid}` } });
  if (res.status === 200) {
    // snsapi_userinfo: WeChat's consent page; the shopper taps 允许.
    const allow = /id="allow" href="([^"]+)"/.exec(await res.text())![1].replace(/&amp;/g, "&");
    res = await fetch(`${wx.baseUrl}${allow}`, { redirect: "manual", headers: { cookie: `wx_openid=${openid}` } });
  }
  expect(res.status).toBe(302);
  const redirect = new URL(res.headers.get("location")!);
  return { code: redirect.searchParams.get("code")!, state: redirect.searchParams.get("state")!, redirect };
}

describe("the protocol", () => {
  it("builds the consent URL in WeChat's order with #wechat_redirect, and WeChat redirects back with a code and our state", async () => {
    const url = authorizeUrl(cfg, { redirectUri: `${SITE}/api/auth/callback/wechat`, scope: "snsapi_base", state: "st4te_-X" });
    expect(url).toBe(`${wx.baseUrl}/connect/oauth2/authorize?appid=${wx.appId}&redirect_uri=https%3A%2F%2Fshop.example.com%2Fapi%2Fauth%2Fcallback%2Fwechat&response_type=code&scope=snsapi_base&state=st4te_-X#wechat_redirect`);
    const { code, state, redirect } = await consent(url, "oBaseUser000000000000000001");
    expect(`${redirect.origin}${redirect.pathname}`).toBe(`${SITE}/api/auth/callback/wechat`);
    expect(state).toBe("st4te_-X");
    expect(code).toMatch(/^[0-9a-f]{32}$/);
    // The same parameters in another order: WeChat shows its error page instead of redirecting.
    const shuffled = await fetch(`${wx.baseUrl}/connect/oauth2/authorize?redirect_uri=x&appid=${wx.appId}&response_type=code&scope=snsapi_base&state=s`, { redirect: "manual" });
    expect(shuffled.status).toBe(400);
  });

  it("exchanges a code once for the openid; a reused code is 40163, a made-up one 40029", async () => {
    const { code } = await consent(authorizeUrl(cfg, { redirectUri: `${SITE}/cb`, scope: "snsapi_base", state: "s" }), "oBaseUser000000000000000002");
    const t = await exchangeCode(cfg, code);
    expect(t).toMatchObject({ openid: "oBaseUser000000000000000002", scope: "snsapi_base" });
    await expect(exchangeCode(cfg, code)).rejects.toMatchObject({ errcode: 40163 });
    await expect(exchangeCode(cfg, "0".repeat(32))).rejects.toMatchObject({ errcode: 40029 });
    await expect(exchangeCode({ ...cfg, appSecret: "wrong" }, code)).rejects.toBeInstanceOf(WechatOAuthError);
    // A base-scope token cannot read the profile (48001 api unauthorized).
    await expect(fetchUserInfo(cfg, t)).rejects.toMatchObject({ errcode: 48001 });
  });

  it("snsapi_userinfo, after 允许, gives the nickname and avatar", async () => {
    wx.users.set("oInfoUser000000000000000001", { openid: "oInfoUser000000000000000001", nickname: "小红", headimgurl: "https://thirdwx.qlogo.cn/mmopen/abc/132" });
    const { code } = await consent(authorizeUrl(cfg, { redirectUri: `${SITE}/cb`, scope: "snsapi_userinfo", state: "s" }), "oInfoUser000000000000000001");
    const t = await exchangeCode(cfg, code);
    expect(t.scope).toBe("snsapi_userinfo");
    expect(await fetchUserInfo(cfg, t)).toEqual({ openid: "oInfoUser000000000000000001", unionid: undefined, nickname: "小红", avatarUrl: "https://thirdwx.qlogo.cn/mmopen/abc/132" });
  });
});

describe("the next-auth provider", () => {
  const provider = () => wechatProvider(cfg, SITE);
  type TokenRequest = (a: unknown) => Promise<{ tokens: Record<string, unknown> }>;
  type UserinfoRequest = (a: unknown) => Promise<Record<string, unknown>>;

  async function signInAs(openid: string, scope: "snsapi_base" | "snsapi_userinfo") {
    const p = provider();
    const { code, state } = await consent(authorizeUrl(cfg, { redirectUri: `${SITE}/api/auth/callback/wechat`, scope, state: "abc" }), openid);
    const { tokens } = await (p.token as { request: TokenRequest }).request({ params: { code, state }, checks: { state: "abc" } });
    const info = await (p.userinfo as { request: UserinfoRequest }).request({ tokens });
    return p.profile!(info as never, tokens as never);
  }

  it("refuses a callback whose state is not the one next-auth stored (login CSRF)", async () => {
    const { code } = await consent(authorizeUrl(cfg, { redirectUri: `${SITE}/cb`, scope: "snsapi_base", state: "theirs" }), "oBaseUser000000000000000003");
    const before = wx.calls.oauthToken;
    await expect((provider().token as { request: TokenRequest }).request({ params: { code, state: "theirs" }, checks: { state: "ours" } })).rejects.toThrow(/state/);
    expect(wx.calls.oauthToken).toBe(before); // the code never reached WeChat
  });

  it("starts at our own authorize hop, which forwards only our callback and the two scopes to WeChat", async () => {
    const p = provider();
    expect((p.authorization as { url: string }).url).toBe(`${SITE}/api/wechat/oauth/authorize`);
    const q = (over: Record<string, string>) =>
      new Request(`${SITE}/api/wechat/oauth/authorize?${new URLSearchParams({ client_id: wx.appId, scope: "snsapi_userinfo", response_type: "code", redirect_uri: `${SITE}/api/auth/callback/wechat`, state: "Ab-_9", ...over })}`);
    const ok = authorizeHop(q({}));
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe(authorizeUrl(cfg, { redirectUri: `${SITE}/api/auth/callback/wechat`, scope: "snsapi_userinfo", state: "Ab-_9" }));
    expect(authorizeHop(q({ redirect_uri: "https://evil.example/api/auth/callback/wechat" })).status).toBe(400);
    expect(authorizeHop(q({ scope: "snsapi_login" })).status).toBe(400);
    expect(authorizeHop(q({ client_id: "wxother" })).status).toBe(400);
    expect(authorizeHop(q({ state: "a b" })).status).toBe(400);
  });

  it("an unknown openid is pending (no member yet); a linked one signs its member in, frozen too; a deleted member and a snapshot openid are refused", async () => {
    const pending = await signInAs("oNewUser0000000000000000001", "snsapi_base");
    expect(pending.id).toBe("wechat:oNewUser0000000000000000001");
    expect(pending.wechatPending).toEqual({ openid: "oNewUser0000000000000000001", unionid: undefined });
    expect(await database.prisma.member.count()).toBe(0);

    const m = await inTx(database.prisma, { config }, (ctx) => registerMember(ctx, { username: "linked", nickname: "老会员" }));
    await inTx(database.prisma, { config }, (ctx) => linkWechatAccount(ctx, m.id, cfg.appId, { openid: "oLinked000000000000000000001" }));
    // The login page's ticked box, carried to the WeChat sign-in: versions 1 of 用户协议 and 隐私政策.
    holder.jar.set("fm_consent", "1.1");
    const user = await signInAs("oLinked000000000000000000001", "snsapi_base");
    expect(user).toMatchObject({ id: String(m.id), nickname: "老会员", referralCode: m.referralCode });
    expect(user.wechatPending).toBeUndefined();

    // Agreeing later to share the profile updates ours.
    wx.users.set("oLinked000000000000000000001", { openid: "oLinked000000000000000000001", nickname: "新昵称", headimgurl: "https://thirdwx.qlogo.cn/x/132" });
    expect(await signInAs("oLinked000000000000000000001", "snsapi_userinfo")).toMatchObject({ id: String(m.id), nickname: "新昵称" });
    expect(await database.prisma.member.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ nickname: "新昵称", avatarUrl: "https://thirdwx.qlogo.cn/x/132" });

    // Frozen (SPEC §8: no earning, no withdrawal) still signs in; deleted does not (deletion also unlinks WeChat: a guard).
    await database.prisma.member.update({ where: { id: m.id }, data: { frozen: true } });
    const frozen = await signInAs("oLinked000000000000000000001", "snsapi_base");
    expect(frozen).toMatchObject({ id: String(m.id), referralCode: m.referralCode });
    expect(frozen.wechatRefusal).toBeUndefined();
    await database.prisma.member.update({ where: { id: m.id }, data: { deletedAt: new Date() } });
    expect((await signInAs("oLinked000000000000000000001", "snsapi_base")).wechatRefusal).toBe("deleted");
    wx.snapshotUsers.add("oSnapshot00000000000000000001");
    expect(await signInAs("oSnapshot00000000000000000001", "snsapi_base")).toMatchObject({ wechatRefusal: "snapshot" });
  });

  it("signIn sends a pending identity to the bind page with the encrypted cookie, and lets a member through", async () => {
    const signIn = authOptions.callbacks!.signIn!;
    holder.jar.set("next-auth.callback-url", `${SITE}/product/7?x=1`);
    const to = await signIn({ user: { id: "wechat:oP", nickname: null, phoneMasked: null, referralCode: "", sessionVersion: 0, wechatPending: { openid: "oP" } }, account: { provider: "wechat", type: "oauth", providerAccountId: "x" } } as never);
    expect(to).toBe("/login/wechat?callbackUrl=%2Fproduct%2F7%3Fx%3D1");
    expect(openPendingIdentity(holder.jar.get(WECHAT_PENDING_COOKIE), wx.appId)).toEqual({ openid: "oP" });
    expect(await signIn({ user: { id: "5", nickname: null, phoneMasked: null, referralCode: "X", sessionVersion: 0 }, account: { provider: "wechat", type: "oauth", providerAccountId: "x" } } as never)).toBe(true);
    expect(await signIn({ user: { id: "5", wechatRefusal: "deleted" }, account: { provider: "wechat", type: "oauth", providerAccountId: "x" } } as never)).toBe("/login?error=WechatDeleted");
  });
});

describe("the pending identity cookie", () => {
  it("opens only for the same app, before it expires, and untampered", () => {
    const now = Date.now();
    const sealed = sealPendingIdentity(wx.appId, { openid: "oX", nickname: "n" }, now);
    expect(openPendingIdentity(sealed, wx.appId, now + 60_000)).toEqual({ openid: "oX", nickname: "n" });
    expect(openPendingIdentity(sealed, wx.appId, now + 16 * 60_000)).toBeNull();
    expect(openPendingIdentity(sealed, "wxother", now)).toBeNull();
    expect(openPendingIdentity(`${sealed.slice(0, -2)}AA`, wx.appId, now)).toBeNull();
    expect(openPendingIdentity("garbage", wx.appId, now)).toBeNull();
  });
});

describe("binding a phone (the SMS provider on the bind page)", () => {
  type Authorize = (c: Record<string, string>) => Promise<{ id: string; nickname: string | null } | null>;
  const smsAuthorize = () => (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;

  async function codeFor(phone: string): Promise<string> {
    await database.prisma.otpCode.deleteMany({});
    await sendSignInCode(database.prisma, phone, "198.51.100.7");
    const sms = await database.prisma.smsMessage.findFirstOrThrow({ orderBy: { id: "desc" } });
    return /(\d{6})/.exec(sms.body)![1];
  }

  it("a new phone registers the member through the SMS path (bound to the referral cookie's sponsor) and links the openid with the shared profile", async () => {
    const sponsor = await inTx(database.prisma, { config }, (ctx) => registerMember(ctx, { username: "sponsor", nickname: "推荐人" }));
    holder.jar.set("fm_ref", `${sponsor.referralCode}.${Math.floor(Date.now() / 1000) + 3600}`);
    holder.jar.set(WECHAT_PENDING_COOKIE, sealPendingIdentity(wx.appId, { openid: "oBind00000000000000000000001", nickname: "微信昵称", avatarUrl: "https://thirdwx.qlogo.cn/a/132" }));
    const user = await smsAuthorize()({ phone: "13900001111", code: await codeFor("13900001111"), wechat: "1" , consent: "1.1" });
    const member = await database.prisma.member.findUniqueOrThrow({ where: { id: Number(user!.id) }, include: { externalAccounts: true } });
    expect(member.sponsorId).toBe(sponsor.id);
    expect(member).toMatchObject({ nickname: "微信昵称", avatarUrl: "https://thirdwx.qlogo.cn/a/132", phoneMasked: "139****1111" });
    expect(member.externalAccounts).toMatchObject([{ platform: "wechat", appId: wx.appId, subject: "oBind00000000000000000000001" }]);
    expect(user!.nickname).toBe("微信昵称");
    expect(holder.jar.has(WECHAT_PENDING_COOKIE)).toBe(false);
  });

  it("a phone that is already a member's links the openid to that member: one person, one member", async () => {
    const before = await database.prisma.member.count();
    await smsAuthorize()({ phone: "13900002222", code: await codeFor("13900002222") , consent: "1.1" }); // signed up outside WeChat
    const existing = await database.prisma.member.findFirstOrThrow({ where: { phoneMasked: "139****2222" } });
    holder.jar.set(WECHAT_PENDING_COOKIE, sealPendingIdentity(wx.appId, { openid: "oBind00000000000000000000002" }));
    const user = await smsAuthorize()({ phone: "13900002222", code: await codeFor("13900002222"), wechat: "1" , consent: "1.1" });
    expect(user!.id).toBe(String(existing.id));
    expect(await database.prisma.member.count()).toBe(before + 1);
    expect(await database.prisma.externalAccount.findMany({ where: { memberId: existing.id } })).toMatchObject([{ subject: "oBind00000000000000000000002" }]);
  });

  it("refuses a second WeChat account for a phone already linked, and binding without a pending identity", async () => {
    holder.jar.set(WECHAT_PENDING_COOKIE, sealPendingIdentity(wx.appId, { openid: "oBind00000000000000000000003" }));
    await expect(smsAuthorize()({ phone: "13900002222", code: await codeFor("13900002222"), wechat: "1" , consent: "1.1" })).rejects.toThrow("该手机号已绑定另一个微信号");
    holder.jar.delete(WECHAT_PENDING_COOKIE);
    await expect(smsAuthorize()({ phone: "13900003333", code: await codeFor("13900003333"), wechat: "1" , consent: "1.1" })).rejects.toThrow("微信授权已过期，请重新进入");
    expect(await database.prisma.externalAccount.count({ where: { subject: "oBind00000000000000000000003" } })).toBe(0);
  });
});
