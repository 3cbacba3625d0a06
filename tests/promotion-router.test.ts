// The promotion, wallet and notification routers through createCaller with a fake session: each
// shopper only ever reads and changes their own data, and the engine's refusals reach the client
// as BAD_REQUEST with the engine's Chinese message.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment } from "../server/orders";
import { fromMerchant, walletOf } from "../server/wallet/ledger";
import { freshPglite } from "./helpers/db";
import { callerFor as callerOf, refusal } from "./helpers/caller";
import { createSimpleProduct } from "../server/catalog/admin";

const config = parseConfig({});
const VALID_ID = "11010519491231002X";
let database: Database;
let alice: number; // sponsor with a task, a commission and money
let bob: number; // alice's direct, bought once
let eve: number; // a stranger with nothing

const run = <T,>(fn: Parameters<typeof inTx<T>>[2], now = new Date()) => inTx(database.prisma, { config, now }, fn);

const callerFor = (id: number | null) => callerOf(database.prisma, id);
/** The wallet form's key: a new one per intended withdrawal. */
const newKey = () => randomBytes(16).toString("hex");

async function buyAndPay(memberId: number, sku: string, at: Date) {
  const order = await run((ctx) => createOrder(ctx, { memberId, lines: [{ sku, qty: 1 }], address: `addr-${memberId}` }), at);
  const paidAt = new Date(at.getTime() + 60_000);
  await run((ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: `t-${order.id}`, amountFen: order.payableFen, currency: "CNY" }), paidAt);
  return order;
}

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.category.create({ data: { slug: "fmcg", name: "日用" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "明前龙井", priceFen: 9_900, category: "fmcg", stock: 100 });
  const t0 = new Date(Date.now() - 3 * 3600_000);
  const a = await run((ctx) => registerMember(ctx, { username: "alice", nickname: "爱丽丝" }), t0);
  alice = a.id;
  bob = (await run((ctx) => registerMember(ctx, { username: "bob", nickname: "鲍勃", sponsorId: alice }), new Date(t0.getTime() + 60_000))).id;
  eve = (await run((ctx) => registerMember(ctx, { username: "eve", nickname: "夏娃" }), new Date(t0.getTime() + 120_000))).id;
  // Alice pays first (her task opens), then Bob's first order counts for it and pays her a commission.
  await buyAndPay(alice, "tea", new Date(t0.getTime() + 3600_000));
  await buyAndPay(bob, "tea", new Date(t0.getTime() + 2 * 3600_000));
  await run((ctx) => fromMerchant(ctx, "test-fund-alice", "test", "merchant:commission", alice, "available", 50_000));
}, 180_000);
afterAll(() => database?.close());

describe("promotion router", () => {
  it("shows the signed-in shopper's own task, team, funnel and commissions", async () => {
    const api = callerFor(alice);
    const tasks = await api.promotion.tasks();
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ status: "OPEN", label: "进行中", n: 3, invited: 1, missing: 2, step: 0 });
    expect(tasks[0]!.invitees).toEqual([expect.objectContaining({ name: "鲍*", orderLabel: "已付款" })]);
    expect(tasks[0]!.msLeft).toBeGreaterThan(0);

    const team = await api.promotion.team();
    expect(team.byDepth).toEqual([{ depth: 1, count: 1, label: "直推" }]);
    expect(team.matrix).toHaveLength(10);
    expect(team.matrix[0]).toMatchObject({ level: 1, capacity: 3 });
    expect(team.matrix[9]!.capacity).toBe(3 ** 10);

    const overview = await api.promotion.overview();
    expect(overview.referralCode).toBe((await database.prisma.member.findUniqueOrThrow({ where: { id: alice } })).referralCode);
    expect(overview.funnel).toMatchObject({ signups: 1, firstOrders: 1 });
    expect(overview.pipeline.map((p) => p.label)).toEqual(["进行中", "待确认", "已确认", "已到账"]);

    const commissions = await api.promotion.commissions();
    expect(commissions).toEqual([expect.objectContaining({ level: 1, amountFen: 990, status: "PENDING", label: "待确认", buyer: "鲍*" })]);
  });

  it("never shows one shopper another shopper's task, team or commissions", async () => {
    const api = callerFor(eve);
    expect(await api.promotion.tasks()).toEqual([]);
    expect((await api.promotion.team()).byDepth).toEqual([]);
    expect(await api.promotion.commissions()).toEqual([]);
    expect((await api.promotion.overview()).funnel).toEqual({ visits: 0, signups: 0, firstOrders: 0 });
    // There is no way to name another member: extra input is refused, not obeyed.
    const asAny = api.promotion as unknown as { commissions(i: unknown): Promise<unknown> };
    expect((await refusal(asAny.commissions({ memberId: alice }))).code).toBe("BAD_REQUEST");
  });

  it("requires a session", async () => {
    const api = callerFor(null);
    expect((await refusal(api.promotion.tasks())).code).toBe("UNAUTHORIZED");
    expect((await refusal(api.wallet.summary())).code).toBe("UNAUTHORIZED");
    expect((await refusal(api.notification.list())).code).toBe("UNAUTHORIZED");
  });
});

describe("wallet router", () => {
  it("shows only the shopper's own balances and refuses a member id in the input", async () => {
    expect((await callerFor(alice).wallet.summary()).balances.available).toBe(50_000);
    const eveWallet = await callerFor(eve).wallet.summary();
    expect(eveWallet.balances).toEqual({ pending: 0, available: 0, withdrawing: 0, withdrawn: 0, credit: 0 });
    expect(eveWallet.history).toEqual([]);
    expect(eveWallet.identity).toBeNull();
    const w = callerFor(eve).wallet as unknown as { requestWithdrawal(i: unknown): Promise<unknown> };
    expect((await refusal(w.requestWithdrawal({ amountFen: 10_000, requestKey: newKey(), memberId: alice }))).code).toBe("BAD_REQUEST");
    expect(await walletOf({ tx: database.prisma }, alice)).toMatchObject({ available: 50_000, withdrawing: 0 });
  });

  it("validates identity with clear messages, then shows it masked", async () => {
    const api = callerFor(alice);
    expect(await refusal(api.wallet.verifyIdentity({ realName: "张三丰", idNumber: "110105194912310021" }))).toEqual({
      code: "BAD_REQUEST",
      message: "身份证号码无效，请检查后重新输入",
    });
    expect((await refusal(api.wallet.verifyIdentity({ realName: "x", idNumber: VALID_ID }))).message).toBe("请输入真实姓名（2-20 个汉字）");
    expect(await refusal(api.wallet.requestWithdrawal({ amountFen: 10_000, requestKey: newKey() }))).toEqual({ code: "BAD_REQUEST", message: "请先完成实名认证" });

    expect(await api.wallet.verifyIdentity({ realName: "张三丰", idNumber: VALID_ID })).toEqual({ realNameMasked: "张*丰", idNumberMasked: "110***********002X" });
    const summary = await api.wallet.summary();
    expect(summary.identity).toMatchObject({ realName: "张*丰", idNumber: "110***********002X" });
    expect(JSON.stringify(summary)).not.toContain(VALID_ID);
    expect((await refusal(api.wallet.verifyIdentity({ realName: "张三丰", idNumber: VALID_ID }))).message).toBe("已完成实名认证");
    // Eve is still unverified: Alice's verification is hers alone.
    expect((await callerFor(eve).wallet.summary()).identity).toBeNull();
  });

  it("applies the withdrawal rules with the engine's messages and pays an auto-approved one at once", async () => {
    const api = callerFor(alice);
    expect((await refusal(api.wallet.requestWithdrawal({ amountFen: 9_999, requestKey: newKey() }))).message).toBe("单笔提现最低 ¥100.00");
    expect((await refusal(api.wallet.requestWithdrawal({ amountFen: 60_000, requestKey: newKey() }))).message).toBe("可提现余额不足");
    expect((await refusal(api.wallet.requestWithdrawal({ amountFen: 12.5, requestKey: newKey() }))).code).toBe("BAD_REQUEST");

    const w = await api.wallet.requestWithdrawal({ amountFen: 20_000, requestKey: newKey() });
    expect(w).toMatchObject({ amountFen: 20_000, status: "PAID", label: "已到账" });
    const summary = await api.wallet.summary();
    expect(summary.balances).toMatchObject({ available: 30_000, withdrawing: 0, withdrawn: 20_000 });
    expect(summary.withdrawals.map((x) => x.label)).toEqual(["已到账"]);
    expect(summary.history.map((h) => h.label)).toContain("提现到账");

    await database.prisma.member.update({ where: { id: alice }, data: { frozen: true } });
    expect((await refusal(api.wallet.requestWithdrawal({ amountFen: 10_000, requestKey: newKey() }))).message).toBe("账户已冻结，无法提现");
    await database.prisma.member.update({ where: { id: alice }, data: { frozen: false } });
    expect((await callerFor(eve).wallet.summary()).withdrawals).toEqual([]);
  });
});

describe("notification router", () => {
  it("lists and marks read only the shopper's own notifications", async () => {
    const alices = await callerFor(alice).notification.list();
    expect(alices.items.map((n) => n.title)).toEqual(expect.arrayContaining(["支付成功", "提现到账"]));
    expect(alices.unread).toBe(alices.items.length);
    const eves = await callerFor(eve).notification.list();
    expect(eves.items).toEqual([]);

    // Eve naming Alice's notification ids marks nothing.
    expect(await callerFor(eve).notification.markRead({ ids: alices.items.map((n) => n.id) })).toEqual({ marked: 0 });
    expect(await callerFor(alice).notification.unreadCount()).toBe(alices.unread);

    await callerFor(alice).notification.markRead({ ids: [alices.items[0]!.id] });
    expect(await callerFor(alice).notification.unreadCount()).toBe(alices.unread - 1);
    await callerFor(alice).notification.markRead({});
    expect(await callerFor(alice).notification.unreadCount()).toBe(0);
    expect((await callerFor(bob).notification.list()).unread).toBeGreaterThan(0);
  });
});
