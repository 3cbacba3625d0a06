import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { MerchantHeader, staffGate } from "../_components/staff";
import { MerchantWithdrawals } from "./MerchantWithdrawals";

export const dynamic = "force-dynamic";
export const metadata = { title: "提现审核" };

export default async function MerchantWithdrawalsPage() {
  const forbidden = await staffGate("/merchant/withdrawals");
  if (forbidden) return forbidden;
  prefetch(trpc.merchantWithdrawal.list.queryOptions({ status: "PENDING_REVIEW" }));
  return (
    <div className="min-h-dvh bg-neutral-50">
      <MerchantHeader title="提现审核" />
      <HydrateClient>
        <MerchantWithdrawals />
      </HydrateClient>
    </div>
  );
}
