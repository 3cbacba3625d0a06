import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { staffGate } from "../_components/staff";
import { canAccess } from "@/server/staff/roles";
import { CatalogShell } from "../_catalog/CatalogShell";
import { CategoriesClient } from "./CategoriesClient";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("mcat.cat.title") };
}

export default async function MerchantCategoriesPage() {
  const staff = await staffGate("/merchant/categories", "products");
  const t = await getT();
  await prefetch(trpc.merchantCatalog.categories.queryOptions());
  return (
    <CatalogShell title={t("mcat.cat.title")} active="categories">
      <HydrateClient>
        <CategoriesClient canEditRates={canAccess(staff.role, "rulesWrite")} />
      </HydrateClient>
    </CatalogShell>
  );
}
