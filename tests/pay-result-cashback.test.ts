// The payment result page says what 推三返一 this order really has (SPEC §5): the task it opened, on its own terms
// (n, window, min(floor(goods × percent / 100), capFen)), or why none opened when the shopper should know (goods under
// minAnchorFen); nothing about cashback when the campaign is off or the buyer is frozen; nothing at all before payment.
// One tea 158.50 (goods 15 850 fen) per order; amounts by hand.
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig, type MallConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder } from "../server/orders";
import { memberOrderStatus } from "../server/orders/view";
import { createSimpleProduct } from "../server/catalog/admin";
import { saveRules } from "../server/rules";
import { DAY } from "../server/clock/time";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { formatFen } from "../components/money";
import { freshDatabase } from "./helpers/db";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const t0 = new Date("2026-12-01T02:00:00Z");
let database: Database;

async function shopWith(rebate: Record<string, unknown>): Promise<MallConfig> {
  const config = parseConfig({ rebate });
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 15_850, category: "tea", stock: 50 });
  return config;
}

/** alice (frozen when asked) buys one tea; paid unless `pay` is false. Her order's status as the result page polls it. */
async function aliceBuys(config: MallConfig, opts: { frozen?: boolean; pay?: boolean } = {}) {
  const db = database.prisma;
  const alice = (await inTx(db, { config, now: t0 }, (ctx) => registerMember(ctx, { username: "alice" }))).id;
  if (opts.frozen) await db.member.update({ where: { id: alice }, data: { frozen: true } });
  const o = await inTx(db, { config, now: t0 }, (ctx) => createOrder(ctx, { memberId: alice, lines: [{ sku: "tea", qty: 1 }] }));
  if (opts.pay !== false) {
    await inTx(db, { config, now: t0 }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  }
  return { alice, orderId: o.id, status: () => memberOrderStatus({ tx: db }, alice, o.id) };
}

afterEach(() => database.close());

describe("payment result: the order's own 推三返一", () => {
  it("a task opened: its n, window and cashback floor(goods × percent / 100)", async () => {
    // 15 850 × 33 / 100 = 5 230.5 → 5 230 fen; deadline = paid + 14 days.
    const config = await shopWith({ n: 2, percent: 33, windowDays: 14 });
    const { status } = await aliceBuys(config);
    const s = await status();
    expect(s?.status).toBe("PAID");
    expect(s?.cashback).toEqual({ kind: "task", status: "OPEN", n: 2, cashbackFen: 5_230, windowDays: 14, deadline: new Date(t0.getTime() + 14 * DAY), payout: "cash" });
    expect(zh("payResult.cashbackTask", { n: 2, days: 14, amount: formatFen(5_230) })).toBe("邀请 2 位新朋友在 14 天内首单，可返 ¥52.30。");
  });

  it("a cap below the percentage: the cap, not the whole order", async () => {
    // 100% of 15 850 is 15 850, capped at 5 000; paid as store credit.
    const config = await shopWith({ capFen: 5_000, payout: "credit" });
    const { status } = await aliceBuys(config);
    expect((await status())?.cashback).toMatchObject({ kind: "task", n: 3, cashbackFen: 5_000, windowDays: 30, payout: "credit" });
  });

  it("goods under minAnchorFen: no task, and the minimum it fell short of", async () => {
    const config = await shopWith({ minAnchorFen: 20_000 });
    const { status } = await aliceBuys(config);
    expect(await database.prisma.rebateTask.count()).toBe(0);
    expect((await status())?.cashback).toEqual({ kind: "belowMin", minAnchorFen: 20_000 });
    expect(zh("payResult.belowMin", { min: formatFen(20_000) })).toBe("本单商品金额未满 ¥200.00，不参与推三返一。");
  });

  it("the minimum the payment was under, not the one saved since", async () => {
    const config = await shopWith({ minAnchorFen: 20_000 });
    const { status } = await aliceBuys(config);
    await saveRules(database.prisma, null, { config: { ...config, rebate: { ...config.rebate, minAnchorFen: 0 } }, reason: "取消门槛" }, new Date(t0.getTime() + DAY));
    expect((await status())?.cashback).toEqual({ kind: "belowMin", minAnchorFen: 20_000 });
  });

  it("campaign off: no task, nothing to say about cashback", async () => {
    const config = await shopWith({ enabled: false, minAnchorFen: 20_000 });
    const { status } = await aliceBuys(config);
    expect(await database.prisma.rebateTask.count()).toBe(0);
    expect((await status())?.cashback).toEqual({ kind: "off" });
  });

  it("a frozen buyer: no task, and nothing specific said", async () => {
    const config = await shopWith({});
    const { status } = await aliceBuys(config, { frozen: true });
    expect(await database.prisma.rebateTask.count()).toBe(0);
    expect((await status())?.cashback).toEqual({ kind: "none" });
  });

  it("still waiting for the payment: nothing claimed either way", async () => {
    const config = await shopWith({ minAnchorFen: 20_000 });
    const { status } = await aliceBuys(config, { pay: false });
    expect(await status()).toMatchObject({ status: "PENDING_PAYMENT", paidAt: null, cashback: null });
  });
});
