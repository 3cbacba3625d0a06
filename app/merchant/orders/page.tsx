import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { MerchantOrders } from "./MerchantOrders";
import { MerchantHeader, staffGate } from "../_components/staff";
import { FailedJobsNotice } from "../_components/FailedJobsNotice";

export const dynamic = "force-dynamic";
export const metadata = { title: "订单管理" };

export default async function MerchantOrdersPage() {
  const forbidden = await staffGate("/merchant/orders");
  if (forbidden) return forbidden;
  prefetch(trpc.merchantOrder.list.queryOptions({}));
  return (
    <div className="min-h-dvh bg-neutral-50">
      <MerchantHeader title="订单管理" />
      <HydrateClient>
        <FailedJobsNotice />
        <MerchantOrders />
      </HydrateClient>
    </div>
  );
}
