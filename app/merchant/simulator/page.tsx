import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { getDb } from "@/server/db";
import { listCategories, summarizeSkus } from "@/server/catalog";
import { PageHeader, staffGate } from "../_components/staff";
import { SimulatorClient } from "./SimulatorClient";
import { DEFAULT_POPULATION } from "@/server/simulator/population";
import { formatFen } from "@/components/money";
import { shopCategoryMix, simulatable } from "./defaults";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.simulator") };
}

/** The shop's categories, and its on-sale products' prices and sales: the category mix the form starts from. */
async function shopCategories() {
  const db = await getDb();
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
  return { mix: mix.length ? mix : example, options: categories.filter((c) => simulatable(c.slug)).map((c) => ({ slug: c.slug, name: c.name })) };
}

/** 收益模拟器: the roles that read the rules (AREA_ROLES.rulesRead) may run projections. */
export default async function MerchantSimulatorPage() {
  const { forbidden } = await staffGate("/merchant/simulator", "rulesRead");
  if (forbidden) return forbidden;
  const t = await getT();
  const [categories] = await Promise.all([shopCategories(), prefetch(trpc.merchantSimulator.list.queryOptions()), prefetch(trpc.merchantSimulator.rules.queryOptions())]);
  return (
    <div>
      <PageHeader title={t("sim.title")} />
      <HydrateClient>
        <SimulatorClient categories={categories.options} defaultMix={categories.mix} />
      </HydrateClient>
    </div>
  );
}
