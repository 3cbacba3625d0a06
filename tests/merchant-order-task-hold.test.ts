// The back office's order detail shows holds as the shopper's pages and the scenario output do (SPEC §8): a 推三返一 task
// whose anchor buyer or a current invitee has an open flag shows ON_HOLD, on the anchor's order and on an invitee's order
// that counts for it; the order's commissions only when its own buyer is held.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder } from "../server/orders";
import { merchantOrderDetail } from "../server/orders/merchant";
import { recordRiskEvent } from "../server/risk/flags";
import { createSimpleProduct } from "../server/catalog/admin";
import { freshPglite } from "./helpers/db";

const config = parseConfig({});
let database: Database;
let ids: { top: number; anchor: number; invitee: number; stranger: number };
const t0 = new Date("2026-03-10T02:00:00Z");
const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now: t0 }, fn);

beforeEach(async () => {
  database = await freshPglite();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "西湖龙井", priceFen: 10000, category: "tea", stock: 100 });
  const reg = (username: string, sponsorId?: number) => run(async (ctx) => (await registerMember(ctx, { username, sponsorId, ip: username, device: username })).id);
  const top = await reg("top");
  const anchor = await reg("anchor", top);
  const invitee = await reg("invitee", anchor);
  const stranger = await reg("stranger");
  ids = { top, anchor, invitee, stranger };
});
afterEach(() => database.close());

async function paid(memberId: number) {
  const o = await run((ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  await run((ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `SBX-${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  return o.id;
}
const flag = (memberId: number) => run((ctx) => recordRiskEvent(ctx, "refund_abuse", [memberId], [memberId], { test: true }));
const detail = async (orderId: number) => {
  const d = (await merchantOrderDetail({ tx: database.prisma, config }, orderId, { revealAddress: false }))!;
  return { task: d.rebateTask?.status ?? null, countedFor: d.countedForTask?.taskStatus ?? null, commissions: d.commissions.map((c) => c.status) };
};

describe("order detail holds (SPEC §8)", () => {
  it("an invitee held: the task shows ON_HOLD on both orders, the invitee's commissions too, the anchor's own not", async () => {
    const anchorOrder = await paid(ids.anchor);
    const inviteeOrder = await paid(ids.invitee);
    expect(await detail(anchorOrder)).toEqual({ task: "OPEN", countedFor: null, commissions: ["PENDING"] });
    expect(await detail(inviteeOrder)).toEqual({ task: "OPEN", countedFor: "OPEN", commissions: ["PENDING", "PENDING"] });

    await flag(ids.invitee);
    expect(await detail(anchorOrder)).toEqual({ task: "ON_HOLD", countedFor: null, commissions: ["PENDING"] });
    // The invitee's own anchor task (its first order opened one) is held too: it is its anchor buyer.
    expect(await detail(inviteeOrder)).toEqual({ task: "ON_HOLD", countedFor: "ON_HOLD", commissions: ["ON_HOLD", "ON_HOLD"] });
  });

  it("the anchor buyer held: its task shows ON_HOLD where the invitee's order counts for it; the invitee's own rows do not", async () => {
    const anchorOrder = await paid(ids.anchor);
    const inviteeOrder = await paid(ids.invitee);
    await flag(ids.anchor);
    expect(await detail(anchorOrder)).toEqual({ task: "ON_HOLD", countedFor: null, commissions: ["ON_HOLD"] });
    expect(await detail(inviteeOrder)).toEqual({ task: "OPEN", countedFor: "ON_HOLD", commissions: ["PENDING", "PENDING"] });
  });

  it("a flag on someone else changes nothing", async () => {
    const anchorOrder = await paid(ids.anchor);
    const inviteeOrder = await paid(ids.invitee);
    await flag(ids.stranger);
    expect(await detail(anchorOrder)).toEqual({ task: "OPEN", countedFor: null, commissions: ["PENDING"] });
    expect(await detail(inviteeOrder)).toEqual({ task: "OPEN", countedFor: "OPEN", commissions: ["PENDING", "PENDING"] });
  });
});
