import { getT } from "@/lib/i18n/server";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { PageHeader, staffGate } from "../_components/staff";
import { RiskQueue } from "./RiskQueue";

export const dynamic = "force-dynamic";
export const metadata = { title: "风控审核" };

export default async function MerchantRiskPage() {
  const { forbidden } = await staffGate("/merchant/risk", "risk");
  if (forbidden) return forbidden;
  const t = await getT();
  prefetch(trpc.merchantRisk.queue.queryOptions());
  return (
    <div>
      <PageHeader title={t("m.nav.risk")} />
      <HydrateClient>
        <RiskQueue />
      </HydrateClient>
    </div>
  );
}
