"use server";

import { redirect } from "next/navigation";
import { getServerAuthSession } from "@/server/auth";
import { appNow } from "@/server/clock/app-clock";
import { DomainError } from "@/server/context";
import { getDb } from "@/server/db";
import { serverOrigin } from "@/server/env";
import { payInSandboxCashier } from "@/server/payments/sandbox";

/**
 * 确认支付 on the sandbox cashier: the "gateway" marks its side paid and sends the signed callback
 * to our notify URL (late, twice). The order becomes PAID only when that callback is verified.
 * Only the signed-in owner of the order may confirm; the notify URL comes from SITE_URL.
 */
export async function confirmSandboxPayment(formData: FormData) {
  const reference = String(formData.get("reference") ?? "");
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect(`/login?callbackUrl=${encodeURIComponent(`/pay/sandbox/${encodeURIComponent(reference)}`)}`);
  let orderId: number;
  try {
    ({ orderId } = await payInSandboxCashier(await getDb(), {
      reference,
      memberId: session.user.id,
      notifyUrl: `${serverOrigin()}/api/payments/sandbox/notify`,
      now: appNow(),
    }));
  } catch (e) {
    if (e instanceof DomainError && e.code === "NOT_FOUND") redirect("/orders");
    throw e;
  }
  redirect(`/orders/${orderId}/result`);
}
