import { redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { getServerAuthSession } from "@/server/auth";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { CartView } from "./CartView";

export const dynamic = "force-dynamic";
export const metadata = { title: "购物车" };

export default async function CartPage() {
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect("/login?callbackUrl=%2Fcart");
  prefetch(trpc.cart.list.queryOptions());
  return (
    <AppShell title="购物车">
      <HydrateClient>
        <CartView />
      </HydrateClient>
    </AppShell>
  );
}
