// next-auth provider for WeChat Official Account web authorisation (网页授权). Inside WeChat the login
// page starts it silently with snsapi_base (openid only); snsapi_userinfo when the shopper agrees to
// share nickname and avatar. A known openid signs its member in. An unknown one is held in a short,
// encrypted cookie until the shopper proves a phone number (SMS), so one person is one member on every
// channel and registration takes the same path as SMS sign-up (referral cookie included).
import type { OAuthConfig } from "next-auth/providers/oauth";
import type { Profile, User } from "next-auth";
import { cookies } from "next/headers";
import { getDb, type Db } from "@/server/db";
import { inTx } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { applyWechatProfile, exchangeCode, fetchUserInfo, memberForOpenid, WechatOAuthError, type WechatOAuthConfig, type WechatProfile } from "@/server/wechat/oauth";
import { decryptField, encryptField } from "./crypto";
import { ConsentRefused, hasCurrentConsent, LEGAL_CONSENT_COOKIE, parseConsentToken, recordConsent, requireCurrentConsent } from "@/server/legal/consent";

export const WECHAT_PENDING_COOKIE = "fm_wx_pending";
export const WECHAT_PENDING_MAX_AGE_S = 15 * 60;
/** Where next-auth's authorize redirect goes first: it re-orders the query the way WeChat insists on. */
export const WECHAT_AUTHORIZE_PATH = "/api/wechat/oauth/authorize";
export const WECHAT_CALLBACK_PATH = "/api/auth/callback/wechat";

type WechatUserinfo = WechatProfile & { snapshot?: boolean };

/** The openid (and what the shopper shared) of a WeChat sign-in that has no member yet. */
export function sealPendingIdentity(appId: string, p: WechatProfile, now = Date.now()): string {
  return encryptField(JSON.stringify({ k: "wx-pending", appId, p, exp: now + WECHAT_PENDING_MAX_AGE_S * 1000 }));
}

export function openPendingIdentity(value: string | undefined, appId: string, now = Date.now()): WechatProfile | null {
  if (!value) return null;
  try {
    const v = JSON.parse(decryptField(value)) as { k?: string; appId?: string; p?: WechatProfile; exp?: number };
    if (v.k !== "wx-pending" || v.appId !== appId || !v.p?.openid || typeof v.exp !== "number" || v.exp <= now) return null;
    return v.p;
  } catch {
    return null;
  }
}

/** The current versions, when the login page's consent cookie names them (the shopper ticked the box just before). */
async function tickedConsent(db: Db) {
  try {
    return await requireCurrentConsent(db, parseConsentToken((await cookies()).get(LEGAL_CONSENT_COOKIE)?.value));
  } catch (err) {
    if (err instanceof ConsentRefused) return null;
    throw err;
  }
}

export function wechatProvider(cfg: WechatOAuthConfig, siteOrigin: string): OAuthConfig<WechatUserinfo> {
  return {
    id: "wechat",
    name: "微信",
    type: "oauth",
    clientId: cfg.appId,
    clientSecret: cfg.appSecret,
    checks: ["state"],
    authorization: { url: `${siteOrigin}${WECHAT_AUTHORIZE_PATH}`, params: { scope: "snsapi_base" } },
    token: {
      url: `${cfg.apiBase}/sns/oauth2/access_token`,
      async request({ params, checks }) {
        // With a custom token request next-auth leaves the state comparison to us.
        if (!params.state || params.state !== checks.state) throw new Error("WeChat sign-in state mismatch");
        if (!params.code) throw new Error("WeChat sign-in without a code");
        const t = await exchangeCode(cfg, params.code);
        return { tokens: { access_token: t.access_token, token_type: "bearer", scope: t.scope, openid: t.openid, unionid: t.unionid, is_snapshotuser: t.is_snapshotuser } };
      },
    },
    userinfo: {
      url: `${cfg.apiBase}/sns/userinfo`,
      async request({ tokens }): Promise<Profile> {
        const t = tokens as { access_token?: string; openid?: string; scope?: string; unionid?: string; is_snapshotuser?: number };
        if (!t.access_token || !t.openid) throw new WechatOAuthError(-1, "WeChat token without openid");
        let info: WechatUserinfo;
        if (t.is_snapshotuser === 1) info = { openid: t.openid, snapshot: true };
        else if (t.scope?.split(/[ ,]/).includes("snsapi_userinfo")) info = await fetchUserInfo(cfg, { access_token: t.access_token, openid: t.openid });
        else info = { openid: t.openid, unionid: t.unionid };
        return info as Profile;
      },
    },
    async profile(p): Promise<User> {
      // 朋友圈 snapshot mode gives a virtual openid: never a member.
      if (p.snapshot) return { id: "wechat-snapshot", nickname: null, phoneMasked: null, referralCode: "", sessionVersion: 0, wechatRefusal: "snapshot" };
      const db = await getDb();
      const member = await memberForOpenid(db, cfg.appId, p.openid);
      if (!member) return { id: `wechat:${p.openid}`, nickname: p.nickname ?? null, phoneMasked: null, referralCode: "", sessionVersion: 0, wechatPending: p };
      // A frozen member signs in (SPEC §8 stops only their earning and withdrawing); a deleted account never does
      // (its WeChat link is removed at deletion: this is a guard).
      if (member.deletedAt) return { id: String(member.id), nickname: null, phoneMasked: null, referralCode: "", sessionVersion: 0, wechatRefusal: "deleted" };
      // Silent sign-in only for a member who accepted the current 用户协议 and 隐私政策; else the login page's ticked box.
      if (!(await hasCurrentConsent(db, member.id))) {
        const ticked = await tickedConsent(db);
        if (!ticked) return { id: String(member.id), nickname: null, phoneMasked: null, referralCode: "", sessionVersion: 0, wechatRefusal: "consent" };
        await recordConsent(db, member.id, ticked, "wechat", appNow());
      }
      // A returning shopper who now agreed to share nickname and avatar: ours follow WeChat's.
      if (p.nickname || p.avatarUrl) await inTx(db, { now: appNow() }, (ctx) => applyWechatProfile(ctx, member.id, p));
      return {
        id: String(member.id),
        nickname: p.nickname ?? member.nickname,
        phoneMasked: member.phoneMasked,
        referralCode: member.referralCode,
        sessionVersion: member.sessionVersion,
        name: p.nickname ?? member.nickname ?? member.phoneMasked ?? member.username,
      };
    },
  };
}
