import { siteOrigin } from "@/app/_lib/site";
import { getShopName } from "@/app/_lib/shop";
import type { Metadata } from "next";
import { productShareData, productSummary } from "@/app/_lib/wechat-share";
import { WechatShare } from "@/components/WechatShare";
import { notFound } from "next/navigation";
import { cache } from "react";
import { AppShell } from "@/components/AppShell";
import { getDb } from "@/server/db";
import { getProduct } from "@/server/catalog";
import { shopProduct } from "@/server/promotion/product-offer";
import { getServerAuthSession } from "@/server/auth";
import { loadConfig } from "@/server/context";
import { getT } from "@/lib/i18n/server";
import { rebateOfferParts } from "@/lib/i18n/labels";
import { Markdown } from "@/components/Markdown";
import { SkuPurchase } from "./SkuPurchase";
import { JoinedBanner } from "@/components/JoinedBanner";
import { rowIdParam } from "@/server/validation";
import { yuanCompact } from "@/app/promote/DistributionSection";
import { shareImageUrl } from "@/server/storage/urls";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams?: Promise<{ joined?: string | string[] }> };

const loadProduct = cache(async (raw: string) => {
  const id = rowIdParam(raw);
  if (id === null) return null;
  return getProduct(await getDb(), id);
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const [product, t] = await Promise.all([loadProduct((await params).id), getT()]);
  if (!product) return { title: t("product.notFound") };
  const [origin, shop] = await Promise.all([siteOrigin(), getShopName()]);
  // The preview a chat app draws of a forwarded link: the summary WeChat's own share card shows, and the product's picture.
  const description = productSummary(t, shop, product);
  const images = product.images[0] ? [{ url: new URL(shareImageUrl(product.images[0]), origin).toString(), alt: product.name }] : undefined;
  return {
    metadataBase: new URL(origin),
    title: product.name,
    description,
    openGraph: { type: "website", siteName: shop, locale: t.locale === "en" ? "en_US" : "zh_CN", title: product.name, description, url: `${origin}/product/${product.id}`, images },
    twitter: { card: images ? "summary_large_image" : "summary", title: product.name, description, images: images?.map((i) => i.url) },
  };
}

export default async function ProductPage({ params, searchParams }: Props) {
  const [found, session, db, t] = await Promise.all([loadProduct((await params).id), getServerAuthSession(), getDb(), getT()]);
  if (!found) notFound();
  const config = await loadConfig(db);
  const viewerId = session?.user?.id ?? null;
  const page = await shopProduct(db, config, found.id, viewerId);
  if (!page) notFound();
  // The viewer's experiment variant, as their order's task would follow (SPEC §5, server/experiments); null: a frozen viewer's order opens none.
  const { product, salesCount, offers, shareCode, share, rebate: r } = page;
  const [origin, shop] = await Promise.all([siteOrigin(), getShopName()]);
  const offer = r?.enabled ? rebateOfferParts(t, r) : null;
  return (
    <AppShell title={t("product.details")} back="/" tabs={false} titleIsHeading={false}>
      {/* A member forwards their own share link (shareCode: null for a visitor, so the page cache's anonymous copy has none). */}
      <WechatShare data={productShareData(t, shop, product, origin, shareCode)} />
      {(await searchParams)?.joined === "1" ? <JoinedBanner /> : null}
      <SkuPurchase
        productId={product.id}
        name={product.name}
        categoryName={product.categoryRef?.name ?? null}
        images={product.images}
        optionGroups={product.optionGroups}
        skus={product.skus}
        signedIn={!!viewerId}
        salesCount={salesCount}
        offers={offers}
        rebate={offer ? { n: offer.n, windowDays: offer.days, terms: offer.terms, offerText: t("product.rebateOffer", offer) } : null}
        shareLink={shareCode ? `${origin}/r/${shareCode}?product=${product.id}` : null}
      />
      {/* 推三返一 is stated once, under the price (SkuPurchase), its amount following the chosen SKU. Only a session's render
          has a standing (share: null for a visitor), so the page cache's anonymous copy promises nothing. */}
      {share ? (
        <section className="mt-2 bg-white p-4 text-sm">
          <div className="flex items-start gap-2" data-testid="share-standing" data-kind={share.kind}>
            <span className="shrink-0 whitespace-nowrap rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-700">{t(share.kind === "earn" ? "product.shareBadge" : "product.share")}</span>
            <span className="text-neutral-600">
              {share.kind === "earn" ? t("product.shareText") : share.mode === "first_order" ? t("dist.howFirstOrder") : t("dist.howSpend", { min: yuanCompact(share.minSpendFen) })}
            </span>
          </div>
        </section>
      ) : null}
      {/* Only what the merchant wrote: without a description there is no 商品详情 section (no made-up text in its place). */}
      {product.description.trim() ? (
        <section className="mt-2 bg-white p-4" data-testid="product-details">
          <h2 className="mb-2 text-sm font-semibold">{t("product.details")}</h2>
          <Markdown text={product.description} className="text-sm leading-6 text-neutral-600" />
        </section>
      ) : null}
      <div className="h-20" />
    </AppShell>
  );
}
