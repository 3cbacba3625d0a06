import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { MerchantHeader, staffGate } from "../_components/staff";
import { RiskQueue } from "./RiskQueue";

export const dynamic = "force-dynamic";
export const metadata = { title: "风控审核" };

export default async function MerchantRiskPage() {
  const forbidden = await staffGate("/merchant/risk");
  if (forbidden) return forbidden;
  prefetch(trpc.merchantRisk.queue.queryOptions());
  return (
    <div className="min-h-dvh bg-neutral-50">
      <MerchantHeader title="风控审核" />
      <HydrateClient>
        <RiskQueue />
      </HydrateClient>
    </div>
  );
}
