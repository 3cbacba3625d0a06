import { notFound, redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { getServerAuthSession } from "@/server/auth";
import { TRPCError } from "@trpc/server";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";
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
  // Fetched into the hydrated cache; a missing order and another member's alike answer 404, revealing nothing.
  const order = await getQueryClient()
    .fetchQuery(trpc.order.byId.queryOptions({ id }))
    .catch((e: unknown) => {
      if (e instanceof TRPCError && e.code === "NOT_FOUND") return null;
      throw e;
    });
  if (!order) notFound();
  const t = await getT();
  return (
    <AppShell title={t("order.title")} back="/orders" tabs={false}>
      <HydrateClient>
        <OrderDetail id={id} />
      </HydrateClient>
    </AppShell>
  );
}
