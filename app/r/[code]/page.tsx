import type { Metadata } from "next";
import Link from "next/link";
import { cookies, headers } from "next/headers";
import { ProductGrid } from "@/components/ProductCard";
import { getDb } from "@/server/db";
import { listProducts } from "@/server/catalog";
import { VISITOR_COOKIE } from "@/server/auth/request";
import { siteOrigin } from "@/app/_lib/site";
import { ForgetRef } from "./ForgetRef";
import { loadInvite, offerText, recordVisit } from "./landing";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ code: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { code } = await params;
  const invite = await loadInvite(code);
  const origin = await siteOrigin();
  if (!invite) return { title: "邀请链接无效", robots: { index: false } };
  const title = `${invite.inviter} 邀请你加入裂变商城`;
  const description = offerText(invite.rebate);
  const url = `${origin}/r/${invite.code}`;
  const image = { url: `${origin}/api/og/r/${invite.code}`, width: 1200, height: 630, alt: title };
  return {
    metadataBase: new URL(origin),
    title,
    description,
    alternates: { canonical: url },
    robots: { index: false },
    openGraph: { type: "website", siteName: "裂变商城", locale: "zh_CN", title, description, url, images: [image] },
    twitter: { card: "summary_large_image", title, description, images: [image.url] },
  };
}

export default async function ReferralLandingPage({ params }: Props) {
  const { code } = await params;
  const invite = await loadInvite(code);
  if (!invite) {
    return (
      <main className="flex min-h-dvh flex-col items-center justify-center gap-4 bg-white px-8 text-center">
        <ForgetRef code={code} />
        <div className="flex h-16 w-16 items-center justify-center rounded-full bg-neutral-100 text-3xl text-neutral-400">?</div>
        <h1 className="text-lg font-semibold" data-testid="invalid-invite">
          邀请链接无效或已失效
        </h1>
        <p className="text-sm text-neutral-500">请向好友重新获取分享链接，或直接进入商城逛逛。</p>
        <Link href="/" className="rounded-full bg-rose-600 px-6 py-2 text-sm text-white">
          进入商城
        </Link>
      </main>
    );
  }

  const visitorId = (await headers()).get("x-fm-visitor") ?? (await cookies()).get(VISITOR_COOKIE)?.value ?? null;
  const [, products] = await Promise.all([recordVisit(invite.code, visitorId), listProducts(await getDb(), { limit: 4 })]);
  const r = invite.rebate;

  return (
    <main className="min-h-dvh bg-rose-50 pb-10">
      <section className="relative overflow-hidden bg-gradient-to-br from-rose-600 via-rose-500 to-orange-400 px-5 pb-20 pt-10 text-white">
        <span className="absolute -right-10 -top-10 h-40 w-40 rounded-full bg-white/10" aria-hidden />
        <span className="absolute -bottom-16 left-8 h-32 w-32 rounded-full bg-white/10" aria-hidden />
        <p className="text-sm text-white/85">好友邀请</p>
        <h1 className="mt-1 text-2xl font-bold leading-snug" data-testid="inviter">
          {invite.inviter} 邀请你加入裂变商城
        </h1>
        <p className="mt-2 text-sm text-white/90">正品好物 · 新人注册即可参与</p>
      </section>

      <section className="relative -mt-14 mx-4 rounded-2xl bg-white p-5 shadow-md">
        <div className="flex items-center gap-2">
          <span className="rounded-lg bg-rose-600 px-2 py-1 text-sm font-bold text-white">推三返一</span>
          <span className="text-base font-semibold">{r.percent === 100 ? "邀请 3 人，本单全额返现" : `邀请好友，返还 ${r.percent}%`}</span>
        </div>
        <p className="mt-3 text-sm leading-6 text-neutral-600">{offerText(r)}</p>
        <ol className="mt-4 grid grid-cols-3 gap-2 text-center text-xs text-neutral-600">
          <li className="rounded-xl bg-rose-50 p-2">
            <div className="text-lg font-bold text-rose-600">1</div>注册并下单
          </li>
          <li className="rounded-xl bg-rose-50 p-2">
            <div className="text-lg font-bold text-rose-600">2</div>分享给 {r.n} 位好友
          </li>
          <li className="rounded-xl bg-rose-50 p-2">
            <div className="text-lg font-bold text-rose-600">3</div>好友首单后返现
          </li>
        </ol>
        <Link
          href="/login?callbackUrl=%2F"
          className="mt-5 flex h-12 items-center justify-center rounded-full bg-gradient-to-r from-orange-500 to-rose-600 text-base font-semibold text-white"
          data-testid="accept-invite"
        >
          接受邀请，立即注册
        </Link>
        <Link href="/" className="mt-2 block text-center text-sm text-neutral-500">
          先逛逛 ›
        </Link>
      </section>

      {products.items.length ? (
        <section className="mx-4 mt-5">
          <h2 className="mb-2 text-base font-bold">热卖好物</h2>
          <ProductGrid products={products.items} />
        </section>
      ) : null}
    </main>
  );
}
