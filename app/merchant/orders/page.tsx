import { getT } from "@/lib/i18n/server";
import { canAccess } from "@/server/staff/roles";
import { OrdersClient } from "./OrdersClient";
import { PageHeader, staffGate } from "../_components/staff";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.orders") };
}

export default async function MerchantOrdersPage() {
  const staff = await staffGate("/merchant/orders", "ordersRead");
  const t = await getT();
  return (
    <div>
      <PageHeader title={t("m.nav.orders")} />
      <OrdersClient canWrite={canAccess(staff.role, "ordersWrite")} />
    </div>
  );
}
