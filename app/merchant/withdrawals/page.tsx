import { getT } from "@/lib/i18n/server";
import { canAccess } from "@/server/staff/roles";
import { PageHeader, staffGate } from "../_components/staff";
import { WithdrawalsClient } from "./WithdrawalsClient";
import { MoneySettingsPanel } from "./MoneySettingsPanel";
import { ReconcilerPanel } from "./ReconcilerPanel";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.withdrawals") };
}

export default async function MerchantWithdrawalsPage() {
  const staff = await staffGate("/merchant/withdrawals", "withdrawals");
  const t = await getT();
  return (
    <div>
      <PageHeader title={t("m.nav.withdrawals")} />
      <WithdrawalsClient canSeeRisk={canAccess(staff.role, "risk")} canOpenMembers={canAccess(staff.role, "membersRead")} />
      {/* Below the queue: the table keeps the full width for its columns and row actions. */}
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <MoneySettingsPanel canEdit={canAccess(staff.role, "moneySettings")} />
        <ReconcilerPanel />
      </div>
    </div>
  );
}
