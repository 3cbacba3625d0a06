import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { staffGate } from "../../_components/staff";
import { CatalogShell } from "../../_catalog/CatalogShell";
import { ProductEditor } from "../ProductEditor";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("mcat.edit.titleNew") };
}

export default async function NewProductPage() {
  await staffGate("/merchant/products/new", "products");
  const t = await getT();
  await prefetch(trpc.merchantCatalog.categories.queryOptions());
  return (
    <CatalogShell title={t("mcat.edit.titleNew")} active="products">
      <HydrateClient>
        <ProductEditor editing={null} initial={null} />
      </HydrateClient>
    </CatalogShell>
  );
}
