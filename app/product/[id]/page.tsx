import { notFound } from "next/navigation";
import { cache } from "react";
import { AppShell } from "@/components/AppShell";
import { Price } from "@/components/Price";
import { ProductImage } from "@/components/ProductImage";
import { getDb } from "@/server/db";
import { getProduct } from "@/server/catalog";
import { getServerAuthSession } from "@/server/auth";
import { loadConfig } from "@/server/context";
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
  return product ? { title: product.name, description: product.description || undefined } : { title: "商品不存在" };
}

export default async function ProductPage({ params }: Props) {
  const [product, session, config] = await Promise.all([loadProduct((await params).id), getServerAuthSession(), getDb().then(loadConfig)]);
  if (!product) notFound();
  const r = config.rebate;
  return (
    <AppShell title="商品详情" back="/" tabs={false}>
      <ProductImage src={product.imageUrl} name={product.name} />
      <section className="bg-white p-4">
        <Price fen={product.priceFen} size="lg" />
        <h1 className="mt-2 text-lg font-semibold leading-snug" data-testid="product-name">
          {product.name}
        </h1>
        <div className="mt-2 flex gap-3 text-xs text-neutral-500">
          {product.categoryRef ? <span>分类：{product.categoryRef.name}</span> : null}
          <span data-testid="product-stock">{product.stock > 0 ? `库存 ${product.stock} 件` : "已售罄"}</span>
        </div>
      </section>
      <section className="mt-2 bg-white p-4 text-sm">
        {r.enabled ? (
          <div className="flex items-start gap-2">
            <span className="shrink-0 whitespace-nowrap rounded bg-rose-100 px-1.5 py-0.5 text-xs text-rose-600">推三返一</span>
            <span className="text-neutral-600">
              买下它，{r.windowDays} 天内邀请 {r.n} 位好友首单，本单{r.percent === 100 ? "全额返现" : `返还 ${r.percent}%`}
            </span>
          </div>
        ) : null}
        {config.commission.enabled ? (
          <div className="mt-2 flex items-start gap-2">
            <span className="shrink-0 whitespace-nowrap rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-700">分享赚</span>
            <span className="text-neutral-600">好友通过你的链接购买，你可获得佣金</span>
          </div>
        ) : null}
      </section>
      <section className="mt-2 bg-white p-4">
        <h2 className="mb-2 text-sm font-semibold">商品详情</h2>
        <p className="whitespace-pre-line text-sm leading-6 text-neutral-600">{product.description || "精选好物，品质保障。"}</p>
      </section>
      <div className="h-20" />
      <AddToCart productId={product.id} sku={product.sku} stock={product.stock} signedIn={!!session?.user?.id} />
    </AppShell>
  );
}
