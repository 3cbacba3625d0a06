import { getT } from "@/lib/i18n/server";
import { canAccess } from "@/server/staff/roles";
import { AfterSalesClient } from "./AfterSalesClient";
import { PageHeader, staffGate } from "../_components/staff";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.afterSales") };
}

export default async function MerchantAfterSalesPage() {
  // Support may read the queue; deciding is the operator's (and owner's).
  const staff = await staffGate("/merchant/after-sales", "ordersRead");
  const t = await getT();
  return (
    <div>
      <PageHeader title={t("m.nav.afterSales")} />
      <AfterSalesClient canDecide={canAccess(staff.role, "afterSales")} />
    </div>
  );
}
