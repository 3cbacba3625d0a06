import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { staffGate } from "../_components/staff";
import { CatalogShell } from "../_catalog/CatalogShell";
import { StockClient } from "./StockClient";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("mcat.nav.stock") };
}

export default async function MerchantStockPage() {
  await staffGate("/merchant/stock", "products");
  const t = await getT();
  await Promise.all([prefetch(trpc.merchantCatalog.lowStock.queryOptions({})), prefetch(trpc.merchantCatalog.stockHistory.queryOptions({}))]);
  return (
    <CatalogShell title={t("mcat.stock.title")} active="stock">
      <HydrateClient>
        <StockClient />
      </HydrateClient>
    </CatalogShell>
  );
}
