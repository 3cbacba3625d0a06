// The SKU picker's logic (SkuPurchase), apart from the component so it is tested on its own: which SKUs the choice so
// far leaves, which of them can be bought, the price range and the 推三返一 amount the page states, and whether a value
// of an option group can be chosen, is sold out, or makes no SKU with the other choices.

export interface ChoiceSku {
  options: string[];
  priceFen: number;
  stock: number;
}

/** One value (or null: not chosen yet) per option group. */
export type Picked = (string | null)[];

export const matches = (sku: ChoiceSku, picked: Picked) => picked.every((v, i) => v === null || sku.options[i] === v);

/** The SKUs the choice so far leaves open. */
export function candidatesOf<S extends ChoiceSku>(skus: S[], picked: Picked): S[] {
  return skus.filter((s) => matches(s, picked));
}

/** Of those, the ones in stock; all of them only when none is (the page then says 已售罄). */
export function buyableOf<S extends ChoiceSku>(candidates: S[]): S[] {
  const inStock = candidates.filter((s) => s.stock > 0);
  return inStock.length ? inStock : candidates;
}

/** The lowest and highest price among `skus` (the buyable candidates); null when there are none. */
export function priceRange(skus: ChoiceSku[]): { minFen: number; maxFen: number } | null {
  if (skus.length === 0) return null;
  const prices = skus.map((s) => s.priceFen);
  return { minFen: Math.min(...prices), maxFen: Math.max(...prices) };
}

/**
 * A value of group `group` given the other groups' choices: `available` when some SKU in stock has it with them,
 * `sold_out` when SKUs have it with them but every one is sold out, `none` when no SKU has that combination.
 */
export type ValueState = "available" | "sold_out" | "none";
export function valueState(skus: ChoiceSku[], picked: Picked, group: number, value: string): ValueState {
  const trial = picked.map((v, i) => (i === group ? value : v));
  const combos = candidatesOf(skus, trial);
  if (combos.length === 0) return "none";
  return combos.some((s) => s.stock > 0) ? "available" : "sold_out";
}

/**
 * The 推三返一 amount the page states, from each shown SKU's own (the engine's, per piece): the chosen SKU's; before a
 * choice the highest among the buyable candidates, `upTo` when they differ (最高可返). Null when none earns any.
 */
export function cashbackClaim(amountsFen: number[]): { fen: number; upTo: boolean } | null {
  const best = Math.max(0, ...amountsFen);
  if (best <= 0) return null;
  return { fen: best, upTo: amountsFen.some((a) => a !== best) };
}
