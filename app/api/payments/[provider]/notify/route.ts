// Payment provider callbacks (异步通知). The raw body is verified by the provider adapter (signature,
// then amount and currency against our payment intent) and confirmed idempotently by the engine.
// Answer the provider's acknowledgement ("SUCCESS"; Alipay: "success") once the notification is verified — also for a duplicate, and for a verified one
// we refuse (e.g. the order was cancelled meanwhile): retrying would not change the answer. A bad
// signature, a stale timestamp or a malformed body gets 400 so a forged call learns nothing and changes nothing;
// our own failure (e.g. the database) is an internal error, 500, so the provider sends the callback again.
import { NextResponse } from "next/server";
import { DomainError } from "@/server/context";
import { getDb } from "@/server/db";
import { handlePaymentNotification, notificationAck, NotificationRejected } from "@/server/payments";
import { appNow } from "@/server/clock/app-clock";
import { withErrorResponse } from "@/app/_lib/route-errors";

export const dynamic = "force-dynamic";

export const POST = withErrorResponse("payment notify", async (req: Request, { params }: { params: Promise<{ provider: string }> }) => {
  const { provider } = await params;
  const rawBody = await req.text();
  let result;
  try {
    result = await handlePaymentNotification(await getDb(), provider, rawBody, req.headers, appNow(), new Date());
  } catch (e) {
    if (e instanceof DomainError && e.code === "NO_PROVIDER") return new NextResponse("FAIL", { status: 404 });
    // Anything else is logged without its data and answered 500 by withErrorResponse.
    if (!(e instanceof NotificationRejected)) throw e;
    console.warn(`[payments] ${provider} notification rejected: ${e.message}`);
    return new NextResponse("FAIL", { status: 400 });
  }
  if (result.outcome === "refused") console.warn(`[payments] ${provider} notification refused: ${result.reason}`);
  return new NextResponse(notificationAck(provider), { status: 200, headers: { "content-type": "text/plain" } });
});
