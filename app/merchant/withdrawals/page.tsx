import { getT } from "@/lib/i18n/server";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { ExportButton } from "@/components/merchant/ExportButton";
import { PageHeader, staffGate } from "../_components/staff";
import { MerchantWithdrawals } from "./MerchantWithdrawals";

export const dynamic = "force-dynamic";
export const metadata = { title: "提现审核" };

export default async function MerchantWithdrawalsPage() {
  const { forbidden } = await staffGate("/merchant/withdrawals", "withdrawals");
  if (forbidden) return forbidden;
  const t = await getT();
  prefetch(trpc.merchantWithdrawal.list.queryOptions({ status: "PENDING_REVIEW" }));
  return (
    <div>
      <PageHeader title={t("m.nav.withdrawals")}>
        <ExportButton href="/merchant/withdrawals/export" />
      </PageHeader>
      <HydrateClient>
        <MerchantWithdrawals />
      </HydrateClient>
    </div>
  );
}
