import Link from "next/link";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getServerAuthSession } from "@/server/auth";
import { devOutboxEnabled } from "@/server/sms";
import { getT } from "@/lib/i18n/server";
import { LanguageSwitch } from "@/lib/i18n/LanguageSwitch";
import { wechatOAuthConfigFromEnv } from "@/server/wechat/oauth";
import { isWechatBrowser } from "@/lib/wechat-ua";
import { LoginForm } from "./LoginForm";
import { WechatAutoSignIn } from "./WechatSignIn";
import { localPath } from "@/lib/security/local-path";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getDb } from "@/server/db";
import { loadConfig } from "@/server/context";
import { REF_COOKIE } from "@/server/auth/request";
import { backLink } from "./arrival";
import { pendingInviter } from "@/server/referral/inviter";

const WECHAT_ERRORS = ["WechatDeleted", "WechatSnapshot", "WechatConsent", "OAuthCallback"] as const;

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("login.title") };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const callbackUrl = localPath(sp.callbackUrl);
  const session = await getServerAuthSession();
  if (session?.user?.id) redirect(callbackUrl);
  const showOutbox = devOutboxEnabled();
  const t = await getT();
  const inWechat = Boolean(wechatOAuthConfigFromEnv()) && isWechatBrowser((await headers()).get("user-agent"));
  const rawError = Array.isArray(sp.error) ? sp.error[0] : sp.error;
  const wechatError = WECHAT_ERRORS.find((e) => e === rawError);
  // Back to the shared product or landing page the visitor left to sign in; who invited them, as the landing named them.
  const [db, jar] = await Promise.all([getDb(), cookies()]);
  const [back, inviter] = await Promise.all([
    backLink(db, sp.callbackUrl),
    loadConfig(db).then((config) => pendingInviter(db, jar.get(REF_COOKIE)?.value, config.attributionDays)),
  ]);
  // The consent box names the current versions of 用户协议 and 隐私政策.
  await prefetch(trpc.legal.versions.queryOptions());
  // Its links (here and the consent box's) do not prefetch in view, as the shop's: a sign-in seldom follows them.
  return (
    <main className="min-h-dvh bg-white px-6 pt-16">
      <div className="flex items-center justify-between">
        <Link prefetch={false} href={back} className="relative text-sm text-neutral-400 after:absolute after:-inset-3" data-testid="login-back">
          {t("login.browse")}
        </Link>
        <LanguageSwitch />
      </div>
      <h1 className="mt-6 text-2xl font-bold">{t("login.heading")}</h1>
      <p className="mt-1 text-sm text-neutral-500">{t("login.hint")}</p>
      {inviter ? (
        <p className="mt-3 inline-block rounded-full bg-rose-50 px-3 py-1 text-xs text-rose-700" data-testid="login-inviter">
          {t("login.invitedBy", { inviter })}
        </p>
      ) : null}
      {wechatError ? (
        <p role="alert" className="mt-6 text-sm text-rose-600">
          {t(`wechat.error.${wechatError}`)}
        </p>
      ) : null}
      {/* After a failed attempt the shopper retries by hand: no automatic loop. */}
      {inWechat && !rawError ? <WechatAutoSignIn callbackUrl={callbackUrl} /> : null}
      <HydrateClient>
        {/* The retry (WeChat sign-in behind the consent box) is part of the form. */}
        <LoginForm callbackUrl={callbackUrl} wechatRetry={inWechat && Boolean(rawError)} />
      </HydrateClient>
      {showOutbox ? (
        <p className="mt-8 rounded-lg bg-amber-50 p-3 text-xs text-amber-700">
          {t("login.devOutbox")}{" "}
          <a href="/dev/sms" target="_blank" rel="noreferrer" className="underline" data-testid="dev-outbox-link">
            {t("login.devOutboxLink")}
          </a>
        </p>
      ) : null}
    </main>
  );
}
