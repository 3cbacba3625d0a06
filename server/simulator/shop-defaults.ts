// The simulator form's starting category mix, read from the shop: its categories, and its on-sale
// products' prices and sales (the rule that turns them into a mix: ./defaults.ts).
import type { Db } from "../db";
import { listCategories, summarizeSkus } from "../catalog";
import { formatFen } from "@/components/money";
import { DEFAULT_POPULATION } from "./population";
import { shopCategoryMix, simulatable } from "./defaults";

/** The shop's categories, and its on-sale products' prices and sales: the category mix the form starts from. */
export async function shopCategoryDefaults(db: Db) {
  const [categories, products] = await Promise.all([
    listCategories(db),
    db.product.findMany({
      where: { active: true, skus: { some: { active: true } } },
      select: { category: true, skus: { where: { active: true }, select: { priceFen: true, stock: true } }, sales: { select: { soldQty: true } } },
    }),
  ]);
  const mix = shopCategoryMix(
    categories,
    products.map((p) => ({ category: p.category, priceFen: summarizeSkus(p.skus).priceFen, soldQty: p.sales?.soldQty ?? 0 })),
  );
  // A shop with nothing on sale yet starts from the generator's own example.
  const example = DEFAULT_POPULATION.categories.map((c) => ({ category: c.category, price: formatFen(c.priceFen), weight: c.weight }));
  return {
    mix: mix.length ? mix : example,
    options: categories.filter((c) => simulatable(c.slug)).map((c) => ({ slug: c.slug, name: c.name })),
    // Every category's name, to name those with commission rates of their own.
    names: categories.map((c) => ({ slug: c.slug, name: c.name })),
  };
}

