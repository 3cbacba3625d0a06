// The simulator form's starting values that come from the shop itself: the category mix is the shop's
// own categories (their codes, what a typical product costs, how orders split between them), not made-up ones.
import { formatFen } from "@/components/money";

export interface ShopCategory {
  slug: string;
  name: string;
}

/** An on-sale product: its category, its lowest on-sale SKU price (the shop's "from" price) and units sold. */
export interface ShopProduct {
  category: string;
  priceFen: number;
  soldQty: number;
}

/** One row of the form's category mix: the code the generator takes, the price in 元 as typed, the share. */
export interface MixRow {
  category: string;
  price: string;
  weight: number;
}

/** The generator takes at most 8 categories, by codes of up to 20 characters (server/simulator/population.ts). */
export const MAX_MIX_CATEGORIES = 8;
export const simulatable = (slug: string) => /^[a-z0-9-]{1,20}$/.test(slug);

/** Integer percentages that add up to 100 (largest remainder), in the order of `counts`; all 0 if nothing to split. */
export function percentShares(counts: number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return counts.map(() => 0);
  const exact = counts.map((c) => (c * 100) / total);
  const shares = exact.map(Math.floor);
  const byRemainder = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0, left = 100 - shares.reduce((a, b) => a + b, 0); k < left; k++) shares[byRemainder[k]![1]]! += 1;
  return shares;
}

/**
 * The shop's categories that have products on sale, biggest share first (at most 8): each at the mean price of
 * its products, weighted by units sold, or by the number of products while nothing has sold yet.
 * Empty when the shop has no product on sale (the form then starts from the generator's own example).
 */
export function shopCategoryMix(categories: ShopCategory[], products: ShopProduct[]): MixRow[] {
  const stats = categories
    .filter((c) => simulatable(c.slug))
    .map((c, order) => {
      const mine = products.filter((p) => p.category === c.slug && p.priceFen > 0);
      const priceFen = mine.length ? Math.round(mine.reduce((s, p) => s + p.priceFen, 0) / mine.length) : 0;
      return { slug: c.slug, order, priceFen, products: mine.length, sold: mine.reduce((s, p) => s + Math.max(p.soldQty, 0), 0) };
    })
    .filter((c) => c.products > 0);
  const bySales = stats.some((c) => c.sold > 0);
  const basis = (c: (typeof stats)[number]) => (bySales ? c.sold : c.products);
  const kept = stats.sort((a, b) => basis(b) - basis(a) || a.order - b.order).slice(0, MAX_MIX_CATEGORIES);
  const shares = percentShares(kept.map(basis));
  return kept.map((c, i) => ({ category: c.slug, price: formatFen(c.priceFen), weight: shares[i]! }));
}
