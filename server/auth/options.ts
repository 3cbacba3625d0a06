// next-auth configuration for shoppers: JWT sessions, one Credentials provider "phone + SMS code".
// Back-office staff sign in separately (server/staff/sessions.ts); nothing here grants staff access.
// First sign-in registers the member through the referral engine (binding to the fm_ref sponsor).
import type { DefaultSession, NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { cookies, headers } from "next/headers";
import { getDb } from "@/server/db";
import { inTx, loadConfig } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { registerMember } from "@/server/referral";
import { defaultDisplayName } from "@/server/members/profile";
import { recordReturningPhone } from "@/server/members/deletion";
import { getAuthSecret } from "./secret";
import { phoneFields } from "./crypto";
import { OtpError, verifySignInCode } from "./otp";
import { signInRefusal } from "@/lib/sign-in-refusal";
import { clientIp, parseRefCookie, REF_COOKIE } from "./request";
import { newSessionId, SESSION_MAX_AGE_S, SessionRevokedError, sessionIsCurrent, signOutSession } from "./session";
import { serverOrigin } from "@/server/env";
import { linkWechatAccount, wechatOAuthConfigFromEnv, type WechatProfile } from "@/server/wechat/oauth";
import { openPendingIdentity, sealPendingIdentity, WECHAT_PENDING_COOKIE, WECHAT_PENDING_MAX_AGE_S, wechatProvider } from "./wechat-provider";
import { ConsentRefused, parseConsentToken, recordConsent, requireCurrentConsent } from "@/server/legal/consent";

declare module "next-auth" {
  interface Session extends DefaultSession {
    user: DefaultSession["user"] & {
      id: number;
      nickname: string | null;
      phoneMasked: string | null;
      referralCode: string;
    };
  }
  interface User {
    id: string;
    nickname: string | null;
    phoneMasked: string | null;
    referralCode: string;
    sessionVersion: number;
    /** WeChat sign-in of an openid no member holds yet: kept until a phone is proved. */
    wechatPending?: WechatProfile;
    /** WeChat sign-in that must not go through ("deleted": an account closed by 注销账号). */
    wechatRefusal?: "snapshot" | "deleted" | "consent";
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    memberId?: number;
    nickname?: string | null;
    phoneMasked?: string | null;
    referralCode?: string;
    sessionVersion?: number;
    /** This sign-in's session id: signing out on this device revokes it (absent on tokens from before). */
    sid?: string;
  }
}

const DEVICE_RE = /^[0-9a-f]{16,64}$/;

/** Finds the member for a verified phone, registering them on first sign-in. */
async function memberForPhone(phone: string, phoneHash: string, device: string | null) {
  const db = await getDb();
  const existing = await db.member.findUnique({ where: { phoneHash } });
  if (existing) return existing;

  // Only a link visited within the rules' attribution window counts (SPEC §2).
  const { attributionDays } = await loadConfig(db);
  const sponsorCode = parseRefCookie((await cookies()).get(REF_COOKIE)?.value, Date.now(), attributionDays)?.code ?? null;
  const ip = clientIp(await headers());
  const fields = phoneFields(phone);
  try {
    return await inTx(db, { now: appNow() }, async (ctx) => {
      const member = await registerMember(ctx, {
        // Username is internal and unique; the hash prefix keeps the phone out of it.
        username: `m_${phoneHash.slice(0, 16)}`,
        // A friendly generated name (never phone digits); the member can change it in 我的.
        nickname: defaultDisplayName,
        phone: fields,
        sponsorCode,
        ip,
        device,
      });
      // A phone whose account was deleted is no new invitee (SPEC §5, §8).
      await recordReturningPhone(ctx, member, phoneHash);
      return member;
    });
  } catch (err) {
    // Two first sign-ins racing: the other one registered the member.
    const again = await db.member.findUnique({ where: { phoneHash } });
    if (again) return again;
    throw err;
  }
}

/** Binds the WeChat identity held since the OAuth callback to the member who just proved a phone. */
async function bindPendingWechat(memberId: number) {
  const cfg = wechatOAuthConfigFromEnv();
  const jar = await cookies();
  const pending = cfg ? openPendingIdentity(jar.get(WECHAT_PENDING_COOKIE)?.value, cfg.appId) : null;
  if (!cfg || !pending) throw new Error("微信授权已过期，请重新进入");
  const outcome = await inTx(await getDb(), { now: appNow() }, (ctx) => linkWechatAccount(ctx, memberId, cfg.appId, pending));
  if (outcome === "openid_taken") throw new Error("该微信号已绑定其他手机号");
  if (outcome === "member_has_other") throw new Error("该手机号已绑定另一个微信号");
  jar.delete(WECHAT_PENDING_COOKIE);
}

/** Refusals thrown as plain sentences on the way, by the code the login page words them with (error.<CODE>). */
const KNOWN_SIGN_IN_ERRORS = new Map([
  // A deleted account (unreachable by its phone, whose lookup hash is erased; kept as a guard).
  ["该账号已注销", "SIGN_IN_DELETED"],
  ["微信授权已过期，请重新进入", "WECHAT_PENDING_EXPIRED"],
  ["该微信号已绑定其他手机号", "WECHAT_BOUND_ELSEWHERE"],
  ["该手机号已绑定另一个微信号", "PHONE_BOUND_OTHER_WECHAT"],
]);

const smsProvider = CredentialsProvider({
  id: "sms",
  name: "手机号验证码",
  credentials: {
    phone: { label: "手机号", type: "tel" },
    code: { label: "验证码", type: "text" },
    device: { label: "device", type: "hidden" },
    /** "1" on the WeChat bind page: link the openid authorised just before. */
    wechat: { label: "wechat", type: "hidden" },
    /** The 用户协议 and 隐私政策 versions the shopper ticked ("<terms>.<privacy>", server/legal/consent.ts). */
    consent: { label: "consent", type: "hidden" },
  },
  async authorize(credentials) {
    const phoneInput = credentials?.phone ?? "";
    const codeInput = credentials?.code ?? "";
    const device = credentials?.device && DEVICE_RE.test(credentials.device) ? credentials.device : null;
    const db = await getDb();
    try {
      // Before the code is checked: a page opened before a document changed costs no attempt.
      const consent = await requireCurrentConsent(db, parseConsentToken(credentials?.consent));
      // The client's network: its wrong codes count toward its hourly limit, and a success marks it as this phone's.
      const { phone, phoneHash } = await verifySignInCode(db, phoneInput, codeInput, new Date(), clientIp(await headers()));
      let member = await memberForPhone(phone, phoneHash, device);
      // A frozen member signs in (SPEC §8: they earn nothing new and cannot withdraw; the domain refuses that);
      // a deleted account never does.
      if (member.deletedAt) throw new Error("该账号已注销");
      if (credentials?.wechat === "1") {
        await bindPendingWechat(member.id);
        member = await db.member.findUniqueOrThrow({ where: { id: member.id } });
      }
      await recordConsent(db, member.id, consent, credentials?.wechat === "1" ? "wechat" : "sms", appNow());
      return {
        id: String(member.id),
        nickname: member.nickname,
        phoneMasked: member.phoneMasked,
        referralCode: member.referralCode,
        sessionVersion: member.sessionVersion,
        name: member.nickname ?? member.phoneMasked ?? member.username,
      };
    } catch (err) {
      // The code travels with the text, so the page words the refusal in the shopper's language.
      if (err instanceof OtpError || err instanceof ConsentRefused) throw new Error(signInRefusal(err.code, err.message));
      const known = err instanceof Error ? KNOWN_SIGN_IN_ERRORS.get(err.message) : undefined;
      if (known) throw new Error(signInRefusal(known, (err as Error).message));
      console.error("sign-in failed:", err instanceof Error ? err.name : "unknown error");
      throw new Error(signInRefusal("SIGN_IN_FAILED", "登录失败，请稍后再试"));
    }
  },
});

/** The login page's `error` for each refused WeChat sign-in (app/login/page.tsx words it). */
const WECHAT_REFUSAL_ERRORS = { deleted: "WechatDeleted", snapshot: "WechatSnapshot", consent: "WechatConsent" } as const;

/** next-auth's callback-url cookie (the page the shopper was going to). */
async function pendingCallbackUrl(): Promise<string> {
  const jar = await cookies();
  const raw = jar.get("__Secure-next-auth.callback-url")?.value ?? jar.get("next-auth.callback-url")?.value ?? "/";
  try {
    const u = new URL(raw, serverOrigin());
    return u.origin === new URL(serverOrigin()).origin ? `${u.pathname}${u.search}` : "/";
  } catch {
    return "/";
  }
}

export const authOptions: NextAuthOptions = {
  get secret() {
    return getAuthSecret();
  },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/login", error: "/login" },
  // A getter: the WeChat provider exists only when its settings do (read at request time, not build time).
  get providers() {
    const wechat = wechatOAuthConfigFromEnv();
    return wechat ? [smsProvider, wechatProvider(wechat, serverOrigin())] : [smsProvider];
  },
  logger: {
    error(code, metadata) {
      // A revoked session (deleted account, signed out here or everywhere) is expected, not an error.
      if (metadata instanceof Error ? metadata.message === "SESSION_REVOKED" : (metadata as { message?: string } | undefined)?.message === "SESSION_REVOKED") return;
      console.error(`[next-auth] ${code}: ${(metadata as { message?: string } | undefined)?.message ?? ""}`);
    },
    warn(code) {
      console.warn(`[next-auth] ${code}`);
    },
    debug() {},
  },
  events: {
    // Signing out on this device revokes its session server-side: a copy of the cookie is refused afterwards.
    async signOut({ token }) {
      if (!token?.memberId) return;
      try {
        await signOutSession(await getDb(), token.memberId, token.sid);
      } catch (err) {
        console.error("[error] sign-out not recorded:", err instanceof Error ? err.name : "unknown error");
      }
    },
  },
  callbacks: {
    async signIn({ user, account }) {
      if (account?.provider !== "wechat") return true;
      if (user.wechatRefusal) return `/login?error=${WECHAT_REFUSAL_ERRORS[user.wechatRefusal]}`;
      if (!user.wechatPending) return true;
      // No member holds this openid yet: the shopper binds a phone next (the cookie carries the identity there).
      const cfg = wechatOAuthConfigFromEnv();
      if (!cfg) return false;
      (await cookies()).set(WECHAT_PENDING_COOKIE, sealPendingIdentity(cfg.appId, user.wechatPending), {
        httpOnly: true,
        sameSite: "lax",
        secure: serverOrigin().startsWith("https:"),
        path: "/",
        maxAge: WECHAT_PENDING_MAX_AGE_S,
      });
      return `/login/wechat?callbackUrl=${encodeURIComponent(await pendingCallbackUrl())}`;
    },
    async jwt({ token, user }) {
      if (user) {
        token.memberId = Number(user.id);
        token.nickname = user.nickname;
        token.phoneMasked = user.phoneMasked;
        token.referralCode = user.referralCode;
        token.sessionVersion = user.sessionVersion;
        token.sid = newSessionId();
        return token;
      }
      // Every authenticated request: the member must still exist, not be deleted (a frozen one keeps their session),
      // and not have signed out everywhere since this token was issued, nor signed this session out.
      if (token.memberId && !(await sessionIsCurrent(await getDb(), token.memberId, token.sessionVersion, appNow(), token.sid))) {
        throw new SessionRevokedError();
      }
      return token;
    },
    session({ session, token }) {
      if (token.memberId) {
        session.user = {
          ...session.user,
          id: token.memberId,
          nickname: token.nickname ?? null,
          phoneMasked: token.phoneMasked ?? null,
          referralCode: token.referralCode ?? "",
        };
      }
      return session;
    },
  },
};
