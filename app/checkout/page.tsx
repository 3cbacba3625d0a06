import { redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { getServerAuthSession } from "@/server/auth";
import { api, HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { CheckoutView } from "./CheckoutView";
import { nothingToCheckOut } from "./nothing";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("checkout.title") };
}

type Props = { searchParams: Promise<{ sku?: string; qty?: string }> };

export default async function CheckoutPage({ searchParams }: Props) {
  const sp = await searchParams;
  const session = await getServerAuthSession();
  const here = sp.sku ? `/checkout?sku=${encodeURIComponent(sp.sku)}&qty=${encodeURIComponent(sp.qty ?? "1")}` : "/checkout";
  if (!session?.user?.id) redirect(`/login?callbackUrl=${encodeURIComponent(here)}`);
  const qty = Number(sp.qty ?? "1");
  const source = sp.sku ? ({ kind: "buyNow", sku: sp.sku, qty: Number.isSafeInteger(qty) ? qty : 0 } as const) : ({ kind: "cart" } as const);
  // An empty cart (or nothing ticked) has nothing to preview: the page says so and asks the server nothing more.
  const nothing = source.kind === "cart" ? nothingToCheckOut(await api.cart.list()) : null;
  if (!nothing) await Promise.all([prefetch(trpc.address.list.queryOptions()), prefetch(trpc.order.preview.queryOptions({ source }))]);
  const t = await getT();
  return (
    <AppShell title={t("checkout.title")} back={sp.sku ? "/" : "/cart"} tabs={false}>
      <HydrateClient>
        <CheckoutView source={source} nothing={nothing} />
      </HydrateClient>
    </AppShell>
  );
}
