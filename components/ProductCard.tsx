import Link from "next/link";
import { Price } from "./Price";
import { ProductImage } from "./ProductImage";

export interface ProductCardData {
  id: number;
  name: string;
  priceFen: number;
  imageUrl: string | null;
  stock: number;
}

export function ProductCard({ p }: { p: ProductCardData }) {
  return (
    <Link href={`/product/${p.id}`} className="block overflow-hidden rounded-xl bg-white shadow-sm active:opacity-80" data-testid="product-card">
      <ProductImage src={p.imageUrl} name={p.name} />
      <div className="p-2">
        <div className="line-clamp-2 min-h-10 text-sm leading-5 text-neutral-800">{p.name}</div>
        <div className="mt-1 flex items-end justify-between">
          <Price fen={p.priceFen} size="md" />
          {p.stock > 0 ? (
            <span className="text-[11px] text-neutral-400">库存 {p.stock}</span>
          ) : (
            <span className="text-[11px] text-neutral-400">已售罄</span>
          )}
        </div>
      </div>
    </Link>
  );
}

export function ProductGrid({ products }: { products: ProductCardData[] }) {
  if (!products.length) return <p className="py-12 text-center text-sm text-neutral-400">暂无商品</p>;
  return (
    <div className="grid grid-cols-2 gap-2.5">
      {products.map((p) => (
        <ProductCard key={p.id} p={p} />
      ))}
    </div>
  );
}
