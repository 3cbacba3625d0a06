// 钱包 "预计X日到账" while an after-sales request is open on the order: completeOrder holds completion until the request is
// decided and then completes at the later of the window's end and the decision, so the estimate gives no date while it
// is open (售后处理中), and afterwards the day the engine really settles. The same for a 推三返一 cashback.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment, shipOrder, confirmDelivery, completeOrder } from "../server/orders";
import { requestRefund, rejectRefundRequest } from "../server/aftersales";
import { createSimpleProduct } from "../server/catalog/admin";
import { expectedPayouts } from "../server/wallet/expected";
import { freshPglite } from "./helpers/db";

const config = parseConfig({});
let database: Database;
const run = <T,>(fn: Parameters<typeof inTx<T>>[2], at: string) => inTx(database.prisma, { config, now: new Date(at) }, fn);
let sponsorId = 0;
const buyers: number[] = [];
const orders: number[] = [];
let requestId = 0;

/** Pays one tea (9900) for `memberId` on 03-01, ships it on 03-02 and delivers it on 03-03 10:00: its window ends 03-10 10:00. */
async function deliveredOrder(memberId: number, n: number) {
  const o = await run((ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: `addr-${n}` }), "2026-03-01T10:00:00+08:00");
  await run((ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${n}`, amountFen: o.payableFen, currency: "CNY" }), "2026-03-01T10:00:00+08:00");
  await run((ctx) => shipOrder(ctx, o.id), "2026-03-02T10:00:00+08:00");
  await run((ctx) => confirmDelivery(ctx, o.id), "2026-03-03T10:00:00+08:00");
  return o.id;
}

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "fmcg", name: "日用" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "tea", priceFen: 9900, category: "fmcg", stock: 10 });
  sponsorId = (await run((ctx) => registerMember(ctx, { username: "s", nickname: "推荐人", sponsorId: null, ip: "1.1.1.1", device: "s" }), "2026-03-01T09:00:00+08:00")).id;
  await deliveredOrder(sponsorId, 0); // the sponsor's own order anchors a 推三返一 task
  for (let i = 1; i <= 3; i++) {
    buyers.push((await run((ctx) => registerMember(ctx, { username: `b${i}`, nickname: `买家${i}`, sponsorId, ip: `2.2.2.${i}`, device: `b${i}` }), "2026-03-01T09:30:00+08:00")).id);
    orders.push(await deliveredOrder(buyers[i - 1]!, i));
  }
  requestId = (await run((ctx) => requestRefund(ctx, buyers[0]!, orders[0]!, { reason: "quality", detail: "有瑕疵", photos: [] }), "2026-03-09T10:00:00+08:00")).request.id;
});
afterAll(() => database?.close());

it("gives no date while the request is open, then the later of the window's end and the decision, as the engine settles", async () => {
  const no = new Map((await database.prisma.order.findMany({ select: { id: true, orderNo: true } })).map((o) => [o.id, o.orderNo]));
  const [b1, b2, b3] = orders.map((id) => no.get(id)!);
  const anchor = [...no.values()].find((n) => ![b1, b2, b3].includes(n))!;
  const open = await run((ctx) => expectedPayouts(ctx, sponsorId), "2026-03-11T05:00:00+08:00");
  // b2, b3: window end 03-10 10:00 → T+1 = 03-11 00:00 Beijing. b1 and the task (it waits for b1's order too): no date.
  const mar11 = "2026-03-10T16:00:00.000Z";
  expect(open.map((e) => [e.kind, e.orderNo, e.expectedAt?.toISOString() ?? null, e.why])).toEqual([
    ["commission", b2, mar11, null],
    ["commission", b3, mar11, null],
    ["commission", b1, null, "awaiting_aftersale"],
    ["cashback", anchor, null, "awaiting_aftersale"],
  ]);

  // Rejected on 03-11 09:00, after the window's end: b1's order completes then, settling at 03-12 00:00 Beijing.
  await run((ctx) => rejectRefundRequest(ctx, { staffId: 1, requestId: "r" }, requestId, "正常使用痕迹"), "2026-03-11T09:00:00+08:00");
  const decided = await run((ctx) => expectedPayouts(ctx, sponsorId), "2026-03-11T09:30:00+08:00");
  const mar12 = "2026-03-11T16:00:00.000Z";
  expect(decided.map((e) => [e.kind, e.orderNo, e.expectedAt?.toISOString() ?? null, e.why])).toEqual([
    ["commission", b2, mar11, null],
    ["commission", b3, mar11, null],
    ["commission", b1, mar12, null],
    ["cashback", anchor, mar12, null],
  ]);

  await run((ctx) => completeOrder(ctx, orders[0]!), "2026-03-11T09:30:00+08:00");
  const due = await database.prisma.dueTransition.findFirstOrThrow({ where: { kind: "COMMISSION_SETTLE", refId: orders[0]! } });
  expect(due.dueAt.toISOString()).toBe(mar12);
});
