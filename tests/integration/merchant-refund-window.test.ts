// The back office's 退款 offer (merchantOrderDetail's canRefund) against what the refund itself accepts, at
// the edge of a delivered order's return window (SPEC §1): COMPLETED once returnWindowDays (7) have passed
// since DELIVERED, and no refund after that, but a request the shopper made within the window is still refunded.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { DomainError, inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { confirmDelivery, confirmPayment, createOrder, shipOrder } from "../../server/orders";
import { merchantOrderDetail } from "../../server/orders/merchant";
import { refundOrderThroughProvider } from "../../server/payments";
import { requestRefund } from "../../server/aftersales";
import { DAY } from "../../server/clock/time";
import { freshDatabase } from "../helpers/db";
import { teaShop } from "../helpers/shop";

const config = parseConfig({});
const t0 = new Date("2026-03-10T02:00:00Z");
/** The default 7-day window of an order delivered at t0 ends here. */
const windowEnd = new Date(t0.getTime() + 7 * DAY);
const at = (ms: number) => new Date(windowEnd.getTime() + ms);
let database: Database;
let buyers = 0;
const run = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now }, fn);

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await teaShop(database.prisma);
});
afterEach(() => database.close());

/** An order paid, shipped and delivered at t0; with `requested`, the shopper asked for a refund on day 6 (in time). */
async function deliveredOrder(requested: boolean) {
  const buyer = (await run(t0, (ctx) => registerMember(ctx, { username: `buyer${++buyers}` }))).id;
  const o = await run(t0, (ctx) => createOrder(ctx, { memberId: buyer, lines: [{ sku: "tea", qty: 1 }] }));
  await run(t0, async (ctx) => {
    await confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" });
    await shipOrder(ctx, o.id);
    await confirmDelivery(ctx, o.id);
  });
  if (requested) await run(new Date(t0.getTime() + 6 * DAY), (ctx) => requestRefund(ctx, buyer, o.id, { reason: "damaged" }));
  return o.id;
}

/** What the detail page offers at `now`, then what the refund (merchantOrder.refund's path) does at the same moment. */
async function offeredAndDone(orderId: number, now: Date) {
  const detail = await merchantOrderDetail({ tx: database.prisma, config, now }, orderId, { revealAddress: true });
  const refunded = await refundOrderThroughProvider(database.prisma, orderId, now).then(
    () => true,
    (e) => {
      if (e instanceof DomainError && e.code === "NOT_REFUNDABLE") return false;
      throw e;
    },
  );
  return { offered: detail!.canRefund, refunded };
}

describe("the 退款 offer agrees with the refund at the return window's edge", () => {
  it.each([
    // Inside the window a delivered order is refundable, request or not.
    { when: "1 ms before the window closes", ms: -1, requested: false, expected: true },
    { when: "1 ms before the window closes", ms: -1, requested: true, expected: true },
    // Past it only the request made in time is still refunded.
    { when: "1 ms after the window closed", ms: 1, requested: false, expected: false },
    { when: "1 ms after the window closed", ms: 1, requested: true, expected: true },
  ])("$when, request made in time: $requested → $expected", async ({ ms, requested, expected }) => {
    const orderId = await deliveredOrder(requested);
    expect(await offeredAndDone(orderId, at(ms))).toEqual({ offered: expected, refunded: expected });
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe(expected ? "REFUNDED" : "DELIVERED");
  });

  it("agrees at the very moment the window closes, with and without a request", async () => {
    for (const requested of [false, true]) {
      const { offered, refunded } = await offeredAndDone(await deliveredOrder(requested), windowEnd);
      expect(offered, `request made in time: ${requested}`).toBe(refunded);
    }
  });
});
