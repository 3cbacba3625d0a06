import { redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { getServerAuthSession } from "@/server/auth";
import { ProductGrid } from "@/components/ProductCard";
import { api, HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { CartView } from "./CartView";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("cart.title") };
}

export default async function CartPage() {
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect("/login?callbackUrl=%2Fcart");
  const [t, picks] = await Promise.all([getT(), api.catalog.products({ limit: 6 }), prefetch(trpc.cart.list.queryOptions())]);
  return (
    <AppShell title={t("cart.title")}>
      <HydrateClient>
        <CartView recommendations={<ProductGrid products={picks.items} />} />
      </HydrateClient>
    </AppShell>
  );
}
