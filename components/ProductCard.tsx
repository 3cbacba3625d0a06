import Link from "next/link";
import { getT } from "@/lib/i18n/server";
import { Price } from "./Price";
import { ProductImage } from "./ProductImage";
import { thumbnailUrl } from "@/server/storage/urls";
import { stockState } from "@/server/catalog/stock";

export interface ProductCardData {
  id: number;
  name: string;
  priceFen: number;
  imageUrl: string | null;
  stock: number;
  /** Its on-sale SKUs have different prices: the price shown is the lowest (起). */
  priceVaries?: boolean;
  /** Pieces sold (已售), where the list carries it. */
  salesCount?: number;
}

export async function ProductCard({ p, priority = false }: { p: ProductCardData; priority?: boolean }) {
  const t = await getT();
  // Shoppers read stock as words (仅剩少量 / 已售罄), never as a number; a product in stock shows what it sold.
  const state = stockState(p.stock);
  // Shop links do not prefetch in view: a list page fetched 20+ pages ahead on load, on a phone's data and CPU.
  return (
    <Link prefetch={false} href={`/product/${p.id}`} className="block overflow-hidden rounded-xl bg-white shadow-sm active:opacity-80" data-testid="product-card">
      <ProductImage src={thumbnailUrl(p.imageUrl)} name={p.name} priority={priority} />
      <div className="p-2">
        <div className="line-clamp-2 min-h-10 text-sm leading-5 text-neutral-800">{p.name}</div>
        <div className="mt-1 flex items-end justify-between">
          <span className="whitespace-nowrap" data-testid="card-price">
            <Price fen={p.priceFen} size="md" />
            {p.priceVaries ? <span className="ml-0.5 text-[11px] text-rose-600">{t("product.priceFrom")}</span> : null}
          </span>
          <span className="text-[11px] text-neutral-500" data-testid="card-stock">
            {state === "in_stock" ? (p.salesCount ? t("product.sales", { n: p.salesCount }) : null) : t(`product.stockState.${state}`)}
          </span>
        </div>
      </div>
    </Link>
  );
}

/** `priorityCount`: how many leading cards are in the first screenful (their pictures load at once). */
export async function ProductGrid({ products, priorityCount = 0 }: { products: ProductCardData[]; priorityCount?: number }) {
  const t = await getT();
  if (!products.length) return <p className="py-12 text-center text-sm text-neutral-400">{t("product.empty")}</p>;
  return (
    <div className="grid grid-cols-2 gap-2.5">
      {products.map((p, i) => (
        <ProductCard key={p.id} p={p} priority={i < priorityCount} />
      ))}
    </div>
  );
}
