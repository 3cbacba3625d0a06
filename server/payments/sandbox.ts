// The sandbox provider: a stand-in for WeChat Pay / Alipay that runs inside the app. The shopper
// confirms on a cashier page (/pay/sandbox/[reference]); the "gateway" then delivers a signed
// callback to our notify URL asynchronously, late and twice, like real providers do.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "../db";
import type { PaymentNotification, PaymentProvider } from "./provider";

function secret(): string {
  return process.env.SANDBOX_PAY_SECRET || `sandbox:${process.env.NEXTAUTH_SECRET ?? "dev-only-secret"}`;
}

export function signSandbox(body: string, timestamp: string): string {
  return createHmac("sha256", secret()).update(`${timestamp}.${body}`).digest("hex");
}

export const SANDBOX_SIGNATURE_HEADER = "x-sandbox-signature";
export const SANDBOX_TIMESTAMP_HEADER = "x-sandbox-timestamp";

export class SandboxProvider implements PaymentProvider {
  readonly name = "sandbox";

  async createPayment(req: { reference: string }) {
    return { cashierUrl: `/pay/sandbox/${encodeURIComponent(req.reference)}` };
  }

  verifyNotification(rawBody: string, headers: Headers): PaymentNotification {
    const sig = headers.get(SANDBOX_SIGNATURE_HEADER) ?? "";
    const ts = headers.get(SANDBOX_TIMESTAMP_HEADER) ?? "";
    const expected = signSandbox(rawBody, ts);
    const a = Buffer.from(sig, "hex");
    const b = Buffer.from(expected, "hex");
    if (!ts || a.length !== b.length || !timingSafeEqual(a, b)) throw new Error("invalid sandbox signature");
    const body = JSON.parse(rawBody) as PaymentNotification;
    if (typeof body.reference !== "string" || !Number.isSafeInteger(body.amountFen) || typeof body.providerTxnId !== "string") {
      throw new Error("malformed sandbox notification");
    }
    return body;
  }

  async refund() {
    return { status: "SUCCESS" as const };
  }

  async payout(req: { payoutNo: string; amountFen: number; realName: string }) {
    // Deterministic failure for testing the failed-payout path: a payee named "测试失败".
    if (req.realName === "测试失败") return { status: "FAILED" as const, reason: "sandbox: payee account rejected" };
    return { status: "SUCCESS" as const };
  }
}

/**
 * The shopper confirmed on the sandbox cashier page: the gateway marks its side paid and sends the
 * signed notification to notifyUrl, after a short delay and then once more (duplicate delivery).
 */
export async function sandboxGatewayPay(db: Db, reference: string, notifyUrl: string, delays = [300, 1500]): Promise<PaymentNotification> {
  const intent = await db.paymentIntent.findUnique({ where: { reference } });
  if (!intent || intent.provider !== "sandbox") throw new Error("unknown sandbox payment");
  let txnId = intent.providerTxnId;
  if (!txnId) {
    txnId = `SBX${Date.now()}${randomBytes(4).toString("hex")}`;
    await db.paymentIntent.updateMany({ where: { id: intent.id, providerTxnId: null }, data: { providerTxnId: txnId } });
    txnId = (await db.paymentIntent.findUniqueOrThrow({ where: { id: intent.id } })).providerTxnId!;
  }
  const notification: PaymentNotification = { reference, providerTxnId: txnId, amountFen: intent.amountFen, currency: intent.currency, status: "SUCCESS" };
  for (const delay of delays) {
    setTimeout(() => void deliverSandboxNotification(notifyUrl, notification), delay).unref?.();
  }
  return notification;
}

export async function deliverSandboxNotification(notifyUrl: string, n: PaymentNotification): Promise<number> {
  const body = JSON.stringify(n);
  const ts = String(Date.now());
  try {
    const res = await fetch(notifyUrl, {
      method: "POST",
      headers: { "content-type": "application/json", [SANDBOX_SIGNATURE_HEADER]: signSandbox(body, ts), [SANDBOX_TIMESTAMP_HEADER]: ts },
      body,
    });
    return res.status;
  } catch {
    return 0;
  }
}
