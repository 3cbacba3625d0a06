import { notFound } from "next/navigation";
import { cache } from "react";
import { AppShell } from "@/components/AppShell";
import { Price } from "@/components/Price";
import { ProductImage } from "@/components/ProductImage";
import { getDb } from "@/server/db";
import { getProduct } from "@/server/catalog";
import { getServerAuthSession } from "@/server/auth";
import { loadConfig } from "@/server/context";
import { getT } from "@/lib/i18n/server";
import { rebateBack } from "@/lib/i18n/labels";
import { AddToCart } from "./AddToCart";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

const loadProduct = cache(async (raw: string) => {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  return getProduct(await getDb(), id);
});

export async function generateMetadata({ params }: Props) {
  const product = await loadProduct((await params).id);
  return product ? { title: product.name, description: product.description || undefined } : { title: (await getT())("product.notFound") };
}

export default async function ProductPage({ params }: Props) {
  const [product, session, config, t] = await Promise.all([loadProduct((await params).id), getServerAuthSession(), getDb().then(loadConfig), getT()]);
  if (!product) notFound();
  const r = config.rebate;
  return (
    <AppShell title={t("product.details")} back="/" tabs={false}>
      <ProductImage src={product.imageUrl} name={product.name} />
      <section className="bg-white p-4">
        <Price fen={product.priceFen} size="lg" />
        <h1 className="mt-2 text-lg font-semibold leading-snug" data-testid="product-name">
          {product.name}
        </h1>
        <div className="mt-2 flex gap-3 text-xs text-neutral-500">
          {product.categoryRef ? <span>{t("product.category", { name: product.categoryRef.name })}</span> : null}
          <span data-testid="product-stock">{product.stock > 0 ? t("product.stock", { n: product.stock }) : t("product.soldOut")}</span>
        </div>
      </section>
      <section className="mt-2 bg-white p-4 text-sm">
        {r.enabled ? (
          <div className="flex items-start gap-2">
            <span className="shrink-0 whitespace-nowrap rounded bg-rose-100 px-1.5 py-0.5 text-xs text-rose-600">{t("rebate.badge")}</span>
            <span className="text-neutral-600">
              {t("product.rebateOffer", { days: r.windowDays, n: r.n, back: rebateBack(t, r.percent) })}
            </span>
          </div>
        ) : null}
        {config.commission.enabled ? (
          <div className="mt-2 flex items-start gap-2">
            <span className="shrink-0 whitespace-nowrap rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-700">{t("product.shareBadge")}</span>
            <span className="text-neutral-600">{t("product.shareText")}</span>
          </div>
        ) : null}
      </section>
      <section className="mt-2 bg-white p-4">
        <h2 className="mb-2 text-sm font-semibold">{t("product.details")}</h2>
        <p className="whitespace-pre-line text-sm leading-6 text-neutral-600">{product.description || t("product.defaultDescription")}</p>
      </section>
      <div className="h-20" />
      <AddToCart productId={product.id} sku={product.sku} stock={product.stock} signedIn={!!session?.user?.id} />
    </AppShell>
  );
}
