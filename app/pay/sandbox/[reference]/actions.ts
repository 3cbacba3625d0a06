"use server";

import { redirect } from "next/navigation";
import { siteOrigin } from "@/app/_lib/site";
import { getDb } from "@/server/db";
import { sandboxGatewayPay } from "@/server/payments/sandbox";

/**
 * 确认支付 on the sandbox cashier: the "gateway" marks its side paid and sends the signed callback
 * to our notify URL (late, twice). The order becomes PAID only when that callback is verified.
 */
export async function confirmSandboxPayment(formData: FormData) {
  const reference = String(formData.get("reference") ?? "");
  const db = await getDb();
  const intent = await db.paymentIntent.findUnique({ where: { reference } });
  if (!intent || intent.provider !== "sandbox") redirect("/orders");
  const order = await db.order.findUnique({ where: { id: intent.orderId }, select: { status: true } });
  // A real wallet would not take money for a closed order either.
  if (order?.status === "PENDING_PAYMENT" && intent.status === "CREATED") {
    await sandboxGatewayPay(db, reference, `${await siteOrigin()}/api/payments/sandbox/notify`);
  }
  redirect(`/orders/${intent.orderId}/result`);
}
