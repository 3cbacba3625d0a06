import { notFound } from "next/navigation";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { MerchantHeader, staffGate } from "../../_components/staff";
import { RiskCase } from "./RiskCase";

export const dynamic = "force-dynamic";
export const metadata = { title: "风控审核" };

export default async function MerchantRiskCasePage({ params }: { params: Promise<{ memberId: string }> }) {
  const { memberId: raw } = await params;
  const forbidden = await staffGate(`/merchant/risk/${raw}`);
  if (forbidden) return forbidden;
  const memberId = Number(raw);
  if (!Number.isSafeInteger(memberId) || memberId <= 0) notFound();
  prefetch(trpc.merchantRisk.case.queryOptions({ memberId }));
  return (
    <div className="min-h-dvh bg-neutral-50">
      <MerchantHeader title="风控审核" />
      <HydrateClient>
        <RiskCase memberId={memberId} />
      </HydrateClient>
    </div>
  );
}
