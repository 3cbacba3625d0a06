import { notFound } from "next/navigation";
import { getT } from "@/lib/i18n/server";
import { canAccess } from "@/server/staff/roles";
import { OrderDetailClient } from "./OrderDetailClient";
import { staffGate } from "../../_components/staff";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.orders") };
}

export default async function MerchantOrderPage({ params }: { params: Promise<{ id: string }> }) {
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const { staff, forbidden } = await staffGate(`/merchant/orders/${id}`, "ordersRead");
  if (forbidden) return forbidden;
  return <OrderDetailClient id={id} canWrite={canAccess(staff.role, "ordersWrite")} canDecide={canAccess(staff.role, "afterSales")} />;
}
