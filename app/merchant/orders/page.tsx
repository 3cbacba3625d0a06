import { getT } from "@/lib/i18n/server";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { MerchantOrders } from "./MerchantOrders";
import { PageHeader, staffGate } from "../_components/staff";

export const dynamic = "force-dynamic";
export const metadata = { title: "订单管理" };

export default async function MerchantOrdersPage() {
  const { forbidden } = await staffGate("/merchant/orders", "ordersRead");
  if (forbidden) return forbidden;
  const t = await getT();
  prefetch(trpc.merchantOrder.list.queryOptions({}));
  return (
    <div>
      <PageHeader title={t("m.nav.orders")} />
      <HydrateClient>
        <MerchantOrders />
      </HydrateClient>
    </div>
  );
}
