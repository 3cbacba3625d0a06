import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { staffGate } from "../_components/staff";
import { CatalogShell } from "../_catalog/CatalogShell";
import { ProductsClient } from "./ProductsClient";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.products") };
}

export default async function MerchantProductsPage() {
  await staffGate("/merchant/products", "products");
  const t = await getT();
  await prefetch(trpc.merchantCatalog.categories.queryOptions());
  return (
    <CatalogShell title={t("mcat.products.title")} active="products">
      <HydrateClient>
        <ProductsClient />
      </HydrateClient>
    </CatalogShell>
  );
}
