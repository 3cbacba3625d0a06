import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { landingShareData, productShareData, promotionShareData } from "@/app/_lib/wechat-share";
import { WechatShare } from "@/components/WechatShare";
import { cookies, headers } from "next/headers";
import { ProductGrid } from "@/components/ProductCard";
import { getDb } from "@/server/db";
import { getProduct, listProducts } from "@/server/catalog";
import { thumbnailUrl } from "@/server/storage/urls";
import { Avatar } from "@/components/Avatar";
import { JoinedBanner } from "@/components/JoinedBanner";
import { Price } from "@/components/Price";
import { ProductImage } from "@/components/ProductImage";
import { clientNetwork, VISITOR_COOKIE } from "@/server/auth/request";
import { siteOrigin } from "@/app/_lib/site";
import { getShopName, shopVersion } from "@/app/_lib/shop";
import { ForgetRef } from "./ForgetRef";
import { getT } from "@/lib/i18n/server";
import { landingHeadline, landingOfferText } from "@/lib/i18n/labels";
import { loadInvite, loadSharer, recordVisit } from "./landing";
import { viewerIdOf, visitorRebate } from "@/app/_lib/visitor";
import { InviteActions, InviteSteps } from "./InviteActions";
import { PAGE_FILL_HEADER } from "@/server/page-cache";
import { isCrawler } from "@/lib/crawler-ua";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ code: string }>; searchParams?: Promise<{ product?: string | string[]; joined?: string | string[] }> };

const loadSharedProduct = cache(async (id: number) => getProduct(await getDb(), id));

/** The product id a share link carries (?product=ID, from a product poster or 分享赚); null without a well-formed one. */
function sharedProductId(raw: string | string[] | undefined): number | null {
  const v = Array.isArray(raw) ? raw[0] : raw;
  return v && /^\d{1,9}$/.test(v) ? Number(v) : null;
}

/** The product a share link carries, if it is on sale. */
async function sharedProduct(raw: string | string[] | undefined) {
  const id = sharedProductId(raw);
  return id === null ? null : loadSharedProduct(id);
}

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const { code } = await params;
  const [invite, product] = await Promise.all([loadInvite(code), sharedProduct((await searchParams)?.product)]);
  const origin = await siteOrigin();
  // Crawlers send no cookie, so share previews are Chinese; a visitor who chose English gets English tags and picture.
  const t = await getT();
  const shop = await getShopName();
  if (!invite) {
    if (!product) return { title: t("landing.invalidTitle"), robots: { index: false } };
    // The page still offers the product (查看商品): its preview is the product's, as its own page's.
    const card = productShareData(t, shop, product, origin);
    const images = product.images[0] ? [{ url: card.imgUrl, alt: card.title }] : undefined;
    return {
      metadataBase: new URL(origin),
      title: card.title,
      description: card.desc,
      robots: { index: false },
      openGraph: { type: "website", siteName: shop, locale: t.locale === "en" ? "en_US" : "zh_CN", title: card.title, description: card.desc, url: card.link, images },
      twitter: { card: images ? "summary_large_image" : "summary", title: card.title, description: card.desc, images: images?.map((i) => i.url) },
    };
  }
  // The same title, text, link and picture as WeChat's share card: a product link names the product (and its sharer).
  const card = landingShareData(t, shop, invite, origin, await shopVersion(), product);
  const { title, desc: description, link: url } = card;
  const image = product?.images[0] ? { url: card.imgUrl, alt: title } : { url: card.imgUrl, width: 1200, height: 630, alt: title };
  return {
    metadataBase: new URL(origin),
    // The invite's title already names the shop: the root layout's "%s · {shop}" would repeat it.
    title: product ? title : { absolute: title },
    description,
    // No canonical: the page is noindex (a personal invite naming the inviter), and a canonical would ask to index it.
    robots: { index: false },
    openGraph: { type: "website", siteName: shop, locale: t.locale === "en" ? "en_US" : "zh_CN", alternateLocale: t.locale === "en" ? "zh_CN" : "en_US", title, description, url, images: [image] },
    twitter: { card: "summary_large_image", title, description, images: [image.url] },
  };
}

export default async function ReferralLandingPage({ params, searchParams }: Props) {
  const { code } = await params;
  const sp = (await searchParams) ?? {};
  const [invite, t, product, shop] = await Promise.all([loadInvite(code), getT(), sharedProduct(sp.product), getShopName()]);
  if (!invite) {
    return (
      <main className="flex min-h-dvh flex-col items-center justify-center gap-4 bg-white px-8 text-center">
        <ForgetRef code={code} />
        <div className="flex h-16 w-16 items-center justify-center rounded-full bg-neutral-100 text-3xl text-neutral-400">?</div>
        <h1 className="text-lg font-semibold" data-testid="invalid-invite">
          {t("landing.invalidHeading")}
        </h1>
        <p className="text-sm text-neutral-500">{t("landing.invalidHint")}</p>
        <div className="flex flex-wrap justify-center gap-3">
          {/* The link still names a product on sale: the friend can look at it without the invitation. */}
          {product ? (
            <Link prefetch={false} href={`/product/${product.id}`} className="rounded-full bg-rose-600 px-6 py-2 text-sm text-white" data-testid="invalid-see-product">
              {t("landing.invalidSeeProduct")}
            </Link>
          ) : null}
          <Link prefetch={false} href="/" className={product ? "rounded-full border border-rose-600 px-6 py-2 text-sm text-rose-600" : "rounded-full bg-rose-600 px-6 py-2 text-sm text-white"}>
            {t("landing.enterMall")}
          </Link>
        </div>
      </main>
    );
  }

  const h = await headers();
  const visitorId = h.get("x-fm-visitor") ?? (await cookies()).get(VISITOR_COOKIE)?.value ?? null;
  const joined = sp.joined === "1";
  // A signed-in visitor (a session cookie: never served from or stored in the shared page cache) is shown
  // what to do next instead of the sign-up; the cache's anonymous fill has no session and gets the sign-up.
  const viewerId = await viewerIdOf(h.get("cookie"));
  const member = viewerId !== null;
  // The sharer on their own link: their invitation page, not an invitation from themselves.
  const own = viewerId === invite.memberId;
  // Not a visit of the link: the new member's return after signing up (?joined=1), the sharer opening their own link (it
  // would inflate the KPI link funnel), the page cache's fill (proxy.ts counts the views it serves from the cache), a link preview's fetch.
  if (!joined && !own && h.get(PAGE_FILL_HEADER) !== "1" && !isCrawler(h.get("user-agent"))) recordVisit(invite.code, visitorId, h.get("x-fm-visitor-new") === "1" || visitorId === null ? clientNetwork(h) : null);
  const products = await listProducts(await getDb(), { limit: 4 });
  // "接受邀请" signs up and comes back to what was shared: the product, else this campaign page.
  const returnTo = product ? `/product/${product.id}?joined=1` : `/r/${invite.code}?joined=1`;
  // A member from before on someone else's link: their sponsor never changes (SPEC §2); back from signing up (?joined=1) the banner says it.
  const otherMember = member && !own && !joined;
  // A link naming a product that is gone or off sale says so instead of silently dropping it.
  const productGone = product === null && sharedProductId(sp.product) !== null;
  // The offer below is the visitor's own (their variant once signed in); the share card keeps the rules in force.
  const r = await visitorRebate(viewerId);
  // A member forwarding this page shares their own link, keeping the product (only a session's render has a member, so never a cached copy).
  const me = viewerId === null ? null : await loadSharer(viewerId);
  const origin = await siteOrigin();
  const share = me ? promotionShareData(t, shop, me, invite.rebate, origin, await shopVersion(), product) : landingShareData(t, shop, invite, origin, await shopVersion(), product);

  return (
    <main className="min-h-dvh bg-rose-50 pb-10">
      <WechatShare data={share} />
      {joined ? <JoinedBanner /> : null}
      <section className="relative overflow-hidden bg-gradient-to-br from-rose-600 via-rose-500 to-orange-400 px-5 pb-20 pt-10 text-white">
        <span className="absolute -right-10 -top-10 h-40 w-40 rounded-full bg-white/10" aria-hidden />
        <span className="absolute -bottom-16 left-8 h-32 w-32 rounded-full bg-white/10" aria-hidden />
        <div className="flex items-center gap-3">
          <Avatar avatar={invite.avatar} size={48} className="ring-2 ring-white/80" />
          <div>
            {own ? null : <p className="text-sm text-white/85">{t("landing.friendInvite")}</p>}
            <h1 className="mt-0.5 text-2xl font-bold leading-snug text-balance" data-testid="inviter">
              {own ? t("landing.ownTitle") : otherMember ? t("landing.memberTitle", { inviter: invite.inviter }) : t("landing.title", { inviter: invite.inviter, shop })}
            </h1>
          </div>
        </div>
        {own ? (
          <p className="mt-2 text-sm text-white/90" data-testid="own-invite">
            {t("landing.ownHint")}
          </p>
        ) : otherMember ? (
          <p role="status" className="mt-3 rounded-xl bg-white/15 px-3 py-2 text-sm leading-5 text-white" data-testid="already-member">
            {t("landing.alreadyMember")}
          </p>
        ) : (
          <p className="mt-2 text-sm text-white/90" data-testid="campaign-title">
            {invite.campaign.title || (r.enabled ? t("landing.subtitle") : t("landing.subtitleOff"))}
          </p>
        )}
      </section>

      {productGone ? (
        <p role="status" className="relative -mt-14 mx-4 mb-3 rounded-xl bg-white px-4 py-3 text-sm text-neutral-600 shadow-md" data-testid="product-gone">
          {t("landing.productGone")}
        </p>
      ) : null}
      {product ? (
        <section className="relative -mt-14 mx-4 flex gap-3 rounded-2xl bg-white p-3 shadow-md" data-testid="shared-product">
          <Link prefetch={false} href={`/product/${product.id}`} className="w-28 shrink-0 overflow-hidden rounded-xl">
            <ProductImage src={thumbnailUrl(product.images[0] ?? product.imageUrl)} name={product.name} priority />
          </Link>
          <div className="flex min-w-0 flex-col justify-between py-1">
            <div>
              <p className="text-xs text-neutral-500">{t("landing.productShared", { inviter: invite.inviter })}</p>
              {/* A tap target at least 44 px high: the padding, with the two-line clamp on the text inside. */}
              <Link prefetch={false} href={`/product/${product.id}`} className="-my-2.5 block py-3 text-sm font-semibold leading-5">
                <span className="line-clamp-2">{product.name}</span>
              </Link>
            </div>
            <Price fen={product.priceFen} size="md" />
          </div>
        </section>
      ) : null}
      <section className={`relative mx-4 rounded-2xl bg-white p-5 shadow-md ${product ? "mt-3" : productGone ? "" : "-mt-14"}`}>
        {/* While 推三返一 is off there is no cashback to state: no badge, headline of a refund, nor steps to earn it. */}
        <div className="flex items-center gap-2">
          {r.enabled ? <span className="shrink-0 whitespace-nowrap rounded-lg bg-rose-600 px-2 py-1 text-sm font-bold text-white">{t("rebate.badge")}</span> : null}
          <span className="text-base font-semibold text-balance" data-testid="landing-headline">
            {landingHeadline(t, r)}
          </span>
        </div>
        <p className="mt-3 text-sm leading-6 text-neutral-600">{landingOfferText(t, r)}</p>
        {r.enabled ? <InviteSteps t={t} n={r.n} member={member} credit={r.payout === "credit"} /> : null}
        {invite.campaign.rulesText ? (
          <div className="mt-4 rounded-xl bg-neutral-50 p-3 text-xs leading-5 text-neutral-600" data-testid="campaign-rules">
            <div className="mb-1 font-semibold text-neutral-800">{t("landing.rulesHeading")}</div>
            <p className="whitespace-pre-line">{invite.campaign.rulesText}</p>
          </div>
        ) : null}
        <InviteActions t={t} viewer={own ? "own" : member ? "member" : "visitor"} campaign={r.enabled} product={product} returnTo={returnTo} />
      </section>

      {products.items.length ? (
        <section className="mx-4 mt-5">
          <h2 className="mb-2 text-base font-bold">{t("landing.hot")}</h2>
          <ProductGrid products={products.items} priorityCount={2} />
        </section>
      ) : null}
    </main>
  );
}
