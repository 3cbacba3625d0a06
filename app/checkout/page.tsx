import { redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { getServerAuthSession } from "@/server/auth";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { CheckoutView } from "./CheckoutView";

export const dynamic = "force-dynamic";
export const metadata = { title: "确认订单" };

type Props = { searchParams: Promise<{ sku?: string; qty?: string }> };

export default async function CheckoutPage({ searchParams }: Props) {
  const sp = await searchParams;
  const session = await getServerAuthSession();
  const here = sp.sku ? `/checkout?sku=${encodeURIComponent(sp.sku)}&qty=${encodeURIComponent(sp.qty ?? "1")}` : "/checkout";
  if (!session?.user?.id) redirect(`/login?callbackUrl=${encodeURIComponent(here)}`);
  const qty = Number(sp.qty ?? "1");
  const source = sp.sku ? ({ kind: "buyNow", sku: sp.sku, qty: Number.isSafeInteger(qty) ? qty : 0 } as const) : ({ kind: "cart" } as const);
  prefetch(trpc.address.list.queryOptions());
  prefetch(trpc.order.preview.queryOptions({ source }));
  return (
    <AppShell title="确认订单" back={sp.sku ? "/" : "/cart"} tabs={false}>
      <HydrateClient>
        <CheckoutView source={source} />
      </HydrateClient>
    </AppShell>
  );
}
