// Events the KPI tests add after a scenario's replay: a sponsor change as staff make it, and an order paid.
import type { Db } from "../../server/db";
import { inTx } from "../../server/context";
import { createOrder, confirmPayment } from "../../server/orders";
import { decideSponsorChange, requestSponsorChange, runSponsorChanges } from "../../server/members/sponsor-change";

let request = 0;

/** Staff move `memberId` (with their downline) under `to` at `now`: a request, another owner's approval, then the batches. */
export async function moveUnder(db: Db, memberId: number, to: number, now: Date): Promise<void> {
  request++;
  const { id } = await inTx(db, { now }, (ctx) => requestSponsorChange(ctx, { memberId, to, reason: "客户申请改绑" }, { staffId: 101, requestId: `kpi-move-${request}a` }));
  await inTx(db, { now }, (ctx) => decideSponsorChange(ctx, id, true, null, { staffId: 202, requestId: `kpi-move-${request}b` }));
  await runSponsorChanges(db, { now });
}

/** `memberId` orders one piece of `sku` and pays for it at `now`. */
export async function buyAndPay(db: Db, memberId: number, sku: string, orderNo: string, now: Date): Promise<void> {
  const o = await inTx(db, { now }, (ctx) => createOrder(ctx, { memberId, orderNo, lines: [{ sku, qty: 1 }], address: `addr-${memberId}` }));
  const paid = await inTx(db, { now }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "scenario", providerTxnId: orderNo, amountFen: o.payableFen, currency: o.currency }));
  if (paid.outcome !== "paid") throw new Error(`order ${orderNo} not paid: ${JSON.stringify(paid)}`);
}
