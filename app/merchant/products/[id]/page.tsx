import { notFound } from "next/navigation";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getDb } from "@/server/db";
import { getProductForMerchant } from "@/server/catalog/admin";
import { getT } from "@/lib/i18n/server";
import { staffGate } from "../../_components/staff";
import { CatalogShell } from "../../_catalog/CatalogShell";
import { ProductEditor } from "../ProductEditor";
import { toFormValues } from "../form";
import { rowIdParam } from "@/server/validation";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("mcat.edit.titleEdit") };
}

export default async function EditProductPage({ params }: { params: Promise<{ id: string }> }) {
  const raw = (await params).id;
  await staffGate(`/merchant/products/${encodeURIComponent(raw)}`, "products");
  const id = rowIdParam(raw);
  if (id === null) notFound();
  const product = await getProductForMerchant({ tx: await getDb() }, id);
  if (!product) notFound();
  const t = await getT();
  await prefetch(trpc.merchantCatalog.categories.queryOptions());
  return (
    <CatalogShell title={t("mcat.edit.titleEdit")} active="products">
      {/* The page title above already says 编辑商品: this names the product. */}
      <h2 className="mb-4 text-lg font-semibold text-neutral-700">{product.name}</h2>
      <HydrateClient>
        <ProductEditor editing={{ id, version: product.version }} initial={toFormValues(product)} />
      </HydrateClient>
    </CatalogShell>
  );
}
