import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getServerAuthSession } from "@/server/auth";
import { openPendingIdentity, WECHAT_PENDING_COOKIE } from "@/server/auth/wechat-provider";
import { wechatOAuthConfigFromEnv } from "@/server/wechat/oauth";
import { devOutboxEnabled } from "@/server/sms";
import { getT } from "@/lib/i18n/server";
import { LoginForm } from "../LoginForm";
import { WechatRetryButton } from "../WechatSignIn";
import { localPath } from "@/lib/security/local-path";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("wechat.bindTitle") };
}

/** After WeChat authorised an openid no member holds: the shopper proves a phone, which registers or finds their member. */
export default async function WechatBindPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const callbackUrl = localPath((await searchParams).callbackUrl);
  const session = await getServerAuthSession();
  if (session?.user?.id) redirect(callbackUrl);
  const cfg = wechatOAuthConfigFromEnv();
  const pending = cfg ? openPendingIdentity((await cookies()).get(WECHAT_PENDING_COOKIE)?.value, cfg.appId) : null;
  if (!pending) redirect(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  const t = await getT();
  await prefetch(trpc.legal.versions.queryOptions());
  return (
    <main className="min-h-dvh bg-white px-6 pt-16">
      <h1 className="text-2xl font-bold">{t("wechat.bindTitle")}</h1>
      <p className="mt-1 text-sm text-neutral-500">{t("wechat.bindHint")}</p>
      {pending.nickname ? (
        <div className="mt-6 flex items-center gap-3 rounded-lg bg-neutral-50 p-3" data-testid="wechat-profile">
          {pending.avatarUrl ? (
            // WeChat's avatar CDN (thirdwx.qlogo.cn), allowed by the page's img-src.
            // eslint-disable-next-line @next/next/no-img-element
            <img src={pending.avatarUrl} alt="" width={40} height={40} referrerPolicy="no-referrer" className="size-10 rounded-full bg-neutral-200" />
          ) : null}
          <span className="text-sm text-neutral-700">{t("wechat.sharedProfile", { name: pending.nickname })}</span>
        </div>
      ) : (
        <WechatRetryButton callbackUrl={callbackUrl} scope="snsapi_userinfo" label={t("wechat.shareProfile")} />
      )}
      <HydrateClient>
        <LoginForm callbackUrl={callbackUrl} wechatBind />
      </HydrateClient>
      {devOutboxEnabled() ? (
        <p className="mt-8 rounded-lg bg-amber-50 p-3 text-xs text-amber-700">
          {t("login.devOutbox")}{" "}
          <a href="/dev/sms" target="_blank" rel="noreferrer" className="underline">
            {t("login.devOutboxLink")}
          </a>
        </p>
      ) : null}
    </main>
  );
}
