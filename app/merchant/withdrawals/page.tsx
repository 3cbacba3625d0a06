import { getT } from "@/lib/i18n/server";
import { canAccess } from "@/server/staff/roles";
import { PageHeader, staffGate } from "../_components/staff";
import { WithdrawalsClient } from "./WithdrawalsClient";
import { MoneySettingsPanel } from "./MoneySettingsPanel";
import { ReconcilerPanel } from "./ReconcilerPanel";

export const dynamic = "force-dynamic";
export const metadata = { title: "提现审核" };

export default async function MerchantWithdrawalsPage() {
  const { staff, forbidden } = await staffGate("/merchant/withdrawals", "withdrawals");
  if (forbidden) return forbidden;
  const t = await getT();
  return (
    <div>
      <PageHeader title={t("m.nav.withdrawals")} />
      <div className="grid gap-4 xl:grid-cols-[1fr_20rem]">
        <div className="min-w-0">
          <WithdrawalsClient />
        </div>
        <aside className="space-y-4">
          <MoneySettingsPanel canEdit={canAccess(staff.role, "moneySettings")} />
          <ReconcilerPanel />
        </aside>
      </div>
    </div>
  );
}
