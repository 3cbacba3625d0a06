import { notFound, redirect } from "next/navigation";
import { getT } from "@/lib/i18n/server";
import { getDb } from "@/server/db";
import { ORDER_NO_RE } from "@/server/orders";
import { canAccess } from "@/server/staff/roles";
import { OrderDetailClient } from "./OrderDetailClient";
import { staffGate } from "../../_components/staff";
import { rowIdParam } from "@/server/validation";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.orders") };
}

export default async function MerchantOrderPage({ params }: { params: Promise<{ id: string }> }) {
  const raw = (await params).id;
  // An order number (all a commission on the member page knows of its order) opens the order's own page.
  if (ORDER_NO_RE.test(raw)) {
    await staffGate(`/merchant/orders/${raw}`, "ordersRead");
    const order = await (await getDb()).order.findUnique({ where: { orderNo: raw }, select: { id: true } });
    if (!order) notFound();
    redirect(`/merchant/orders/${order.id}`);
  }
  const id = rowIdParam(raw);
  if (id === null) notFound();
  const staff = await staffGate(`/merchant/orders/${id}`, "ordersRead");
  return <OrderDetailClient id={id} canWrite={canAccess(staff.role, "ordersWrite")} canDecide={canAccess(staff.role, "afterSales")} />;
}
