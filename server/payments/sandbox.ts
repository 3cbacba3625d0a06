// The sandbox provider: a stand-in for WeChat Pay / Alipay that runs inside the app. The shopper
// confirms on a cashier page (/pay/sandbox/[reference]); the "gateway" then delivers a signed
// callback to our notify URL asynchronously, late and twice, like real providers do.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db, Tx } from "../db";
import { refuse } from "../context";
import { isProduction, type Env } from "../env";
import type { PaymentNotification, PaymentProvider } from "./provider";

const MIN_SECRET = 32;
/** Callbacks signed longer ago than this (or this far in the future) are refused: no late replays. */
export const SANDBOX_MAX_AGE_MS = 5 * 60_000;
/** Clock skew tolerated for a timestamp ahead of ours. */
export const SANDBOX_MAX_FUTURE_MS = 30_000;

const g = globalThis as unknown as { __fmSandboxKey?: string };

/**
 * Whether the sandbox may take payments here: always in development; in production only when the
 * deployment says so (PAYMENTS_SANDBOX=1) and has its own signing secret.
 */
export function sandboxAllowed(env: Env = process.env): boolean {
  if (!isProduction(env)) return true;
  return env.PAYMENTS_SANDBOX === "1" && (env.SANDBOX_PAY_SECRET?.length ?? 0) >= MIN_SECRET;
}

/**
 * The signing key: SANDBOX_PAY_SECRET, never derived from a default string. Development without it
 * uses a random key per process (the cashier that signs and the notify route that verifies share it).
 */
function secret(): string {
  const configured = process.env.SANDBOX_PAY_SECRET;
  if (configured && (configured.length >= MIN_SECRET || !isProduction())) return configured;
  if (isProduction()) throw new Error("sandbox payments are off: SANDBOX_PAY_SECRET is not set");
  g.__fmSandboxKey ??= randomBytes(32).toString("hex");
  return g.__fmSandboxKey;
}

export function signSandbox(body: string, timestamp: string): string {
  return createHmac("sha256", secret()).update(`${timestamp}.${body}`).digest("hex");
}

export const SANDBOX_SIGNATURE_HEADER = "x-sandbox-signature";
export const SANDBOX_TIMESTAMP_HEADER = "x-sandbox-timestamp";

export class SandboxProvider implements PaymentProvider {
  readonly name = "sandbox";

  async createPayment(req: { reference: string; expiresAt: Date }) {
    // Kept with the intent, as a real provider keeps time_expire: its cashier closes the trade then.
    return { cashierUrl: `/pay/sandbox/${encodeURIComponent(req.reference)}`, cashierParams: { expiresAt: req.expiresAt.toISOString() } };
  }

  verifyNotification(rawBody: string, headers: Headers, receivedAt: Date): PaymentNotification {
    const sig = headers.get(SANDBOX_SIGNATURE_HEADER) ?? "";
    const ts = headers.get(SANDBOX_TIMESTAMP_HEADER) ?? "";
    const expected = signSandbox(rawBody, ts);
    const a = Buffer.from(sig, "hex");
    const b = Buffer.from(expected, "hex");
    if (!/^\d{1,16}$/.test(ts) || a.length !== b.length || !timingSafeEqual(a, b)) throw new Error("invalid sandbox signature");
    // The timestamp is signed, so its age is the callback's age: a captured callback expires.
    const age = receivedAt.getTime() - Number(ts);
    if (age > SANDBOX_MAX_AGE_MS) throw new Error("stale sandbox notification");
    if (age < -SANDBOX_MAX_FUTURE_MS) throw new Error("sandbox notification from the future");
    const body = JSON.parse(rawBody) as PaymentNotification;
    if (typeof body.reference !== "string" || !Number.isSafeInteger(body.amountFen) || typeof body.providerTxnId !== "string") {
      throw new Error("malformed sandbox notification");
    }
    // The fields a notification has, typed (a paidAt in the JSON would be a string, not a Date).
    return { kind: "payment", reference: body.reference, providerTxnId: body.providerTxnId, amountFen: body.amountFen, currency: body.currency, status: body.status };
  }

  /** Closes its side of the trade (closedAt beside expiresAt) unless the gateway already took the money (providerTxnId). */
  async closePayment(reference: string, tx: Tx): Promise<"closed" | "paid"> {
    // One statement on the intent's row: a payment through the gateway (sandboxGatewayPay) and this close exclude each other.
    const closed = await tx.$executeRaw`
      UPDATE "PaymentIntent" SET "cashierParams" = COALESCE("cashierParams", '{}'::jsonb) || jsonb_build_object('closedAt', now())
      WHERE reference = ${reference} AND provider = 'sandbox' AND "providerTxnId" IS NULL`;
    if (closed > 0) return "closed";
    const paid = await tx.paymentIntent.count({ where: { reference, provider: "sandbox", providerTxnId: { not: null } } });
    return paid > 0 ? "paid" : "closed";
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

/** The gateway refuses a trade its order's cancel closed (closePayment). */
export class SandboxTradeClosed extends Error {
  override name = "SandboxTradeClosed";
}

/**
 * 确认支付 on the sandbox cashier by a signed-in shopper: only the order's owner may pay it, and only
 * while it is payable. Returns the order id (for the result page) and whether the gateway was asked.
 */
export async function payInSandboxCashier(db: Db, input: { reference: string; memberId: number; notifyUrl: string; now: Date }) {
  const intent = await db.paymentIntent.findUnique({ where: { reference: input.reference } });
  const order = intent && intent.provider === "sandbox" ? await db.order.findUnique({ where: { id: intent.orderId }, select: { id: true, memberId: true, status: true } }) : null;
  if (!intent || !order || order.memberId !== input.memberId) refuse("NOT_FOUND", "订单不存在");
  // A real wallet would not take money for a closed order, nor after the trade's expiry, either.
  const payable = order.status === "PENDING_PAYMENT" && intent.status === "CREATED" && !sandboxTradeClosed(intent, input.now);
  // Closed by a cancel between that look and the gateway's claim: not paid either.
  const paid = payable && (await sandboxGatewayPay(db, input.reference, input.notifyUrl).then(() => true, (e: unknown) => {
    if (e instanceof SandboxTradeClosed) return false;
    throw e;
  }));
  return { orderId: order.id, paid };
}

/**
 * Whether the sandbox trade is closed: by its order's cancel (closePayment), or past the expiry it was created with (the
 * provider's time_expire; none on intents from before it was kept).
 */
export function sandboxTradeClosed(intent: { cashierParams: unknown }, now: Date): boolean {
  const params = intent.cashierParams as { expiresAt?: unknown; closedAt?: unknown } | null;
  if (params?.closedAt !== undefined) return true;
  return typeof params?.expiresAt === "string" && now.getTime() >= Date.parse(params.expiresAt);
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
    // Not once closed: the same row's single statement as closePayment, so one of the two wins.
    await db.$executeRaw`
      UPDATE "PaymentIntent" SET "providerTxnId" = ${txnId}
      WHERE id = ${intent.id} AND "providerTxnId" IS NULL AND ("cashierParams" -> 'closedAt') IS NULL`;
    txnId = (await db.paymentIntent.findUniqueOrThrow({ where: { id: intent.id } })).providerTxnId;
    if (!txnId) throw new SandboxTradeClosed(`sandbox trade ${reference} is closed`);
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
