// WeChat Official Account web authorisation (公众号网页授权): the authorize URL, the code → access_token
// exchange (/sns/oauth2/access_token) and the user's profile (/sns/userinfo), and the link from an
// openid to our member (ExternalAccount). next-auth drives the flow (server/auth/wechat-provider.ts).
import type { Db } from "../db";
import type { Ctx } from "../context";
import type { Env } from "../env";

export interface WechatOAuthConfig {
  appId: string;
  appSecret: string;
  /** Where the shopper's WeChat asks for consent (https://open.weixin.qq.com); a local server in tests. */
  oauthBase: string;
  /** WeChat's server API (https://api.weixin.qq.com); a local server in tests. */
  apiBase: string;
}

export const WECHAT_SCOPES = ["snsapi_base", "snsapi_userinfo"] as const;
export type WechatScope = (typeof WECHAT_SCOPES)[number];

/** The sign-in's settings, null unless WECHAT_LOGIN=1 turns it on (the Official Account's appid and secret then required). */
export function wechatOAuthConfigFromEnv(env: Env = process.env): WechatOAuthConfig | null {
  if (env.WECHAT_LOGIN !== "1" || !env.WECHAT_APPID || !env.WECHAT_APP_SECRET) return null;
  return {
    appId: env.WECHAT_APPID,
    appSecret: env.WECHAT_APP_SECRET,
    oauthBase: (env.WECHAT_OAUTH_BASE || "https://open.weixin.qq.com").replace(/\/$/, ""),
    apiBase: (env.WECHAT_API_BASE || "https://api.weixin.qq.com").replace(/\/$/, ""),
  };
}

/**
 * The consent URL exactly as WeChat documents it: appid, redirect_uri, response_type, scope, state in
 * this order, ending in #wechat_redirect (WeChat refuses the page otherwise).
 */
export function authorizeUrl(cfg: WechatOAuthConfig, p: { redirectUri: string; scope: WechatScope; state: string }): string {
  const q = [
    `appid=${encodeURIComponent(cfg.appId)}`,
    `redirect_uri=${encodeURIComponent(p.redirectUri)}`,
    "response_type=code",
    `scope=${p.scope}`,
    `state=${encodeURIComponent(p.state)}`,
  ].join("&");
  return `${cfg.oauthBase}/connect/oauth2/authorize?${q}#wechat_redirect`;
}

/** A WeChat API refusal; errcode 40029 (invalid code), 40163 (code been used), 40001, … */
export class WechatOAuthError extends Error {
  constructor(
    readonly errcode: number,
    message: string,
  ) {
    super(message);
    this.name = "WechatOAuthError";
  }
}

async function wechatJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new WechatOAuthError(-1, `WeChat answered HTTP ${res.status}`);
  const body = (await res.json()) as Record<string, unknown>;
  // The errcode only: errmsg can echo the request (the code, the secret's presence).
  if (typeof body.errcode === "number" && body.errcode !== 0) throw new WechatOAuthError(body.errcode, `WeChat errcode ${body.errcode}`);
  return body;
}

export interface WechatTokens {
  access_token: string;
  openid: string;
  scope: string;
  unionid?: string;
  /** 1: the page was opened in 朋友圈 snapshot mode; the openid is a virtual one and must not sign in. */
  is_snapshotuser?: number;
}

/** /sns/oauth2/access_token: the code from the redirect for the user's openid (and a token for userinfo). */
export async function exchangeCode(cfg: WechatOAuthConfig, code: string): Promise<WechatTokens> {
  const q = new URLSearchParams({ appid: cfg.appId, secret: cfg.appSecret, code, grant_type: "authorization_code" });
  const b = await wechatJson(`${cfg.apiBase}/sns/oauth2/access_token?${q}`);
  if (typeof b.access_token !== "string" || typeof b.openid !== "string" || !b.openid) throw new WechatOAuthError(-1, "WeChat token answer without openid");
  return {
    access_token: b.access_token,
    openid: b.openid,
    scope: typeof b.scope === "string" ? b.scope : "snsapi_base",
    unionid: typeof b.unionid === "string" ? b.unionid : undefined,
    is_snapshotuser: typeof b.is_snapshotuser === "number" ? b.is_snapshotuser : undefined,
  };
}

export interface WechatProfile {
  openid: string;
  unionid?: string;
  /** Only with snsapi_userinfo: what the shopper agreed to share. */
  nickname?: string;
  avatarUrl?: string;
}

/** /sns/userinfo (snsapi_userinfo only): nickname and avatar. */
export async function fetchUserInfo(cfg: WechatOAuthConfig, t: { access_token: string; openid: string }): Promise<WechatProfile> {
  const q = new URLSearchParams({ access_token: t.access_token, openid: t.openid, lang: "zh_CN" });
  const b = await wechatJson(`${cfg.apiBase}/sns/userinfo?${q}`);
  if (b.openid !== t.openid) throw new WechatOAuthError(-1, "WeChat userinfo for another openid");
  const nickname = typeof b.nickname === "string" ? b.nickname.trim().slice(0, 32) : "";
  const avatar = typeof b.headimgurl === "string" && /^https?:\/\//.test(b.headimgurl) ? b.headimgurl.slice(0, 500) : "";
  return { openid: t.openid, unionid: typeof b.unionid === "string" ? b.unionid : undefined, nickname: nickname || undefined, avatarUrl: avatar || undefined };
}

/** The member an openid of this Official Account belongs to, if it was ever linked. */
export async function memberForOpenid(db: Db, appId: string, openid: string) {
  const link = await db.externalAccount.findUnique({ where: { platform_appId_subject: { platform: "wechat", appId, subject: openid } }, include: { member: true } });
  return link?.member ?? null;
}

/**
 * Links an openid to a member (after they proved their phone). An openid belongs to one member for
 * good, and a member holds one openid per app: a clash is refused, never moved silently.
 */
export async function linkWechatAccount(ctx: Ctx, memberId: number, appId: string, p: WechatProfile): Promise<"linked" | "already" | "openid_taken" | "member_has_other"> {
  const tx = ctx.tx;
  const byOpenid = await tx.externalAccount.findUnique({ where: { platform_appId_subject: { platform: "wechat", appId, subject: p.openid } } });
  if (byOpenid) return byOpenid.memberId === memberId ? "already" : "openid_taken";
  const byMember = await tx.externalAccount.findUnique({ where: { memberId_platform_appId: { memberId, platform: "wechat", appId } } });
  if (byMember) return "member_has_other";
  // Two links at once (two tabs, or two members with one openid): the insert that loses waits for the other and
  // does nothing, and the winner's row then says which clash it was.
  const { count } = await tx.externalAccount.createMany({ data: [{ memberId, platform: "wechat", appId, subject: p.openid, unionId: p.unionid ?? null, createdAt: ctx.now }], skipDuplicates: true });
  if (count === 0) {
    const winner = await tx.externalAccount.findUnique({ where: { platform_appId_subject: { platform: "wechat", appId, subject: p.openid } } });
    return winner ? (winner.memberId === memberId ? "already" : "openid_taken") : "member_has_other";
  }
  if (p.nickname || p.avatarUrl) await applyWechatProfile(ctx, memberId, p);
  return "linked";
}

/** The nickname and avatar the shopper agreed to share (snsapi_userinfo) replace ours. */
export async function applyWechatProfile(ctx: Ctx, memberId: number, p: WechatProfile) {
  await ctx.tx.member.update({ where: { id: memberId }, data: { ...(p.nickname ? { nickname: p.nickname } : {}), ...(p.avatarUrl ? { avatarUrl: p.avatarUrl } : {}) } });
}
