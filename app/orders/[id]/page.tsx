import { notFound, redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { getServerAuthSession } from "@/server/auth";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { OrderDetail } from "./OrderDetail";
import { rowIdParam } from "@/server/validation";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("order.title") };
}

export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const raw = (await params).id;
  const id = rowIdParam(raw);
  if (id === null) notFound();
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect(`/login?callbackUrl=${encodeURIComponent(`/orders/${id}`)}`);
  await prefetch(trpc.order.byId.queryOptions({ id }));
  const t = await getT();
  return (
    <AppShell title={t("order.title")} back="/orders" tabs={false}>
      <HydrateClient>
        <OrderDetail id={id} />
      </HydrateClient>
    </AppShell>
  );
}
