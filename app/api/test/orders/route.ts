// Test-only order seeding for end-to-end tests of the promotion centre and wallet, used while the
// checkout / sandbox cashier UI is not wired end to end. Not found (404) unless the test door is open,
// like the test clock (server/test-doors.ts). Acts for the signed-in member only, through the engine's own functions:
//   POST {"action":"buy","sku"?,"qty"?} create an order (default 1 unit) and confirm its payment (sandbox)
//   POST {"action":"deliver","orderId"} ship it (as the merchant would) and confirm receipt
import { NextResponse } from "next/server";
import { randomUUID } from "node:crypto";
import { appNow } from "@/server/clock/app-clock";
import { testDoorOpen } from "@/server/test-doors";
import { getServerAuthSession } from "@/server/auth";
import { getDb } from "@/server/db";
import { DomainError, inTx } from "@/server/context";
import { confirmDelivery, confirmPayment, createOrder, shipOrder } from "@/server/orders";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  if (!testDoorOpen("clock", req.headers)) return NextResponse.json({ error: "not found" }, { status: 404 });
  const session = await getServerAuthSession();
  if (!session?.user?.id) return NextResponse.json({ error: "sign in first" }, { status: 401 });
  const memberId = session.user.id;
  const body = (await req.json().catch(() => ({}))) as { action?: unknown; sku?: unknown; qty?: unknown; orderId?: unknown };
  const db = await getDb();
  try {
    if (body.action === "buy") {
      const product =
        typeof body.sku === "string"
          ? await db.sku.findUnique({ where: { code: body.sku } })
          : await db.sku.findFirst({ where: { active: true, product: { active: true }, stock: { gt: 10 }, priceFen: { lt: 100_000 } }, orderBy: { priceFen: "desc" } });
      if (!product) return NextResponse.json({ error: "no product" }, { status: 400 });
      const qty = Number.isSafeInteger(body.qty) && (body.qty as number) >= 1 && (body.qty as number) <= 20 ? (body.qty as number) : 1;
      // A distinct address per member: SPEC §8 shared_address flags a buyer who ships to the sponsor's address.
      const order = await inTx(db, { now: appNow() }, (ctx) =>
        createOrder(ctx, { memberId, lines: [{ sku: product.code, qty }], address: `e2e address of member ${memberId}` }),
      );
      const paid = await inTx(db, { now: appNow() }, (ctx) =>
        confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: `e2e-${randomUUID()}`, amountFen: order.payableFen, currency: "CNY" }),
      );
      return NextResponse.json({ orderId: order.id, orderNo: order.orderNo, goodsFen: order.goodsFen, payment: paid.outcome });
    }
    if (body.action === "deliver" && Number.isSafeInteger(body.orderId)) {
      const orderId = body.orderId as number;
      const order = await db.order.findUnique({ where: { id: orderId } });
      if (!order || order.memberId !== memberId) return NextResponse.json({ error: "not your order" }, { status: 404 });
      await inTx(db, { now: appNow() }, (ctx) => shipOrder(ctx, orderId));
      await inTx(db, { now: appNow() }, (ctx) => confirmDelivery(ctx, orderId));
      const after = await db.order.findUniqueOrThrow({ where: { id: orderId } });
      return NextResponse.json({ orderId, status: after.status });
    }
    return NextResponse.json({ error: "unknown action" }, { status: 400 });
  } catch (err) {
    if (err instanceof DomainError) return NextResponse.json({ error: err.message, code: err.code }, { status: 400 });
    throw err;
  }
}
