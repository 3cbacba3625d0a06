import { notFound, redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { getServerAuthSession } from "@/server/auth";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { OrderDetail } from "./OrderDetail";

export const dynamic = "force-dynamic";
export const metadata = { title: "订单详情" };

export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const raw = (await params).id;
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect(`/login?callbackUrl=${encodeURIComponent(`/orders/${id}`)}`);
  prefetch(trpc.order.byId.queryOptions({ id }));
  return (
    <AppShell title="订单详情" back="/orders" tabs={false}>
      <HydrateClient>
        <OrderDetail id={id} />
      </HydrateClient>
    </AppShell>
  );
}
