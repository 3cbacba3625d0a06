// The back office home: today's figures count the merchant's calendar day (Asia/Shanghai), the
// to-do counts follow the orders, refund requests, withdrawals and risk flags, and failed jobs show only to the roles
// that handle them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder, shipOrder } from "../server/orders";
import { requestRefund } from "../server/aftersales";
import { backOfficeHome } from "../server/kpi/home";
import { freshPglite } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";
import { createSimpleProduct } from "../server/catalog/admin";

const config = parseConfig({});
let database: Database;

async function paidOrderAt(memberId: number, at: Date) {
  const order = await inTx(database.prisma, { config, now: at }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "测试地址 1 号" }));
  await inTx(database.prisma, { config, now: new Date(at.getTime() + 1000) }, (ctx) =>
    confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: `t-${order.id}`, amountFen: order.payableFen, currency: "CNY" }),
  );
  return order.id;
}

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.category.create({ data: { slug: "tea", name: "茗茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 9900, category: "tea", stock: 100 });
});
afterAll(() => database.close());

describe("back office home", () => {
  it("counts orders paid within the merchant's day, new members, and the to-dos", async () => {
    // 2026-12-01 00:30 in Shanghai is 2026-11-30 16:30 UTC: "today" starts there.
    const now = new Date("2026-12-01T04:00:00Z"); // 12:00 in Shanghai
    const buyer = (await inTx(database.prisma, { config, now: new Date("2026-11-30T15:00:00Z") }, (ctx) => registerMember(ctx, { username: "buyer" }))).id;
    await paidOrderAt(buyer, new Date("2026-11-30T15:50:00Z")); // 23:50 yesterday in Shanghai
    await paidOrderAt(buyer, new Date("2026-11-30T16:30:00Z")); // 00:30 today
    const shipped = await paidOrderAt(buyer, new Date("2026-12-01T03:00:00Z")); // 11:00 today
    await inTx(database.prisma, { config, now: new Date("2026-11-30T17:00:00Z") }, (ctx) => registerMember(ctx, { username: "newbie" }));

    const home = await backOfficeHome(database.prisma, now, "Asia/Shanghai", "owner");
    expect(home.today).toMatchObject({ from: new Date("2026-11-30T16:00:00Z"), to: new Date("2026-12-01T16:00:00Z"), paidOrders: 2, gmvFen: 2 * 9900, newMembers: 1 });
    expect(home.todo).toEqual({ toShip: 3, refundRequests: 0, withdrawalsToApprove: 0, payoutsBlocked: 0, payoutsFailed: 0, riskCases: 0, failedJobs: null });

    // A shipped order's refund request waits for the merchant: one to answer, one fewer to ship.
    await inTx(database.prisma, { config, now }, (ctx) => shipOrder(ctx, shipped));
    await inTx(database.prisma, { config, now }, (ctx) => requestRefund(ctx, buyer, shipped, { reason: "damaged" }));
    expect((await backOfficeHome(database.prisma, now, "Asia/Shanghai", "owner")).todo).toMatchObject({ toShip: 2, refundRequests: 1 });

    // Refunded today (paid today or before): beside the sales, not taken out of them; nothing refunded yesterday counted.
    expect(home.today).toMatchObject({ refundedOrders: 0, refundedFen: 0 });
    const unshipped = await paidOrderAt(buyer, new Date("2026-12-01T03:30:00Z"));
    await inTx(database.prisma, { config, now }, (ctx) => requestRefund(ctx, buyer, unshipped, { reason: "no_longer_needed" }));
    const after = await backOfficeHome(database.prisma, now, "Asia/Shanghai", "owner");
    expect(after.today).toMatchObject({ paidOrders: 3, gmvFen: 3 * 9900, refundedOrders: 1, refundedFen: 9900 });
    expect((await backOfficeHome(database.prisma, new Date("2026-12-02T04:00:00Z"), "Asia/Shanghai", "owner")).today).toMatchObject({ refundedOrders: 0, refundedFen: 0 });
    expect((await backOfficeHome(database.prisma, now, "Asia/Shanghai", "support")).today).toMatchObject({ refundedOrders: null, refundedFen: null });
  });

  it("counts failed payouts awaiting finance's decision, for the roles that can act on them", async () => {
    const now = new Date("2026-12-07T09:00:00Z");
    const m = (await inTx(database.prisma, { config, now }, (ctx) => registerMember(ctx, { username: "payee" }))).id;
    const earlier = new Date(now.getTime() - 3_600_000);
    const w = (status: "FAILED" | "PAID" | "PENDING_REVIEW" | "REJECTED") =>
      database.prisma.withdrawal.create({ data: { memberId: m, amountFen: 10_000, feeFen: 0, status, approvalsNeeded: 0, createdAt: earlier, decidedAt: status === "PENDING_REVIEW" ? null : now, failReason: status === "FAILED" ? "微信转账失败 NAME_NOT_CORRECT" : null } });
    // Two failed; a paid, a pending and a rejected one are no failed payouts (all asked before the failures).
    for (const s of ["FAILED", "FAILED", "PAID", "PENDING_REVIEW", "REJECTED"] as const) await w(s);
    expect((await backOfficeHome(database.prisma, now, "Asia/Shanghai", "finance")).todo.payoutsFailed).toBe(2);
    expect((await backOfficeHome(database.prisma, now, "Asia/Shanghai", "owner")).todo.payoutsFailed).toBe(2);
    expect((await backOfficeHome(database.prisma, now, "Asia/Shanghai", "operator")).todo.payoutsFailed).toBeNull();
    await database.prisma.withdrawal.deleteMany({ where: { memberId: m } });
  });

  it("leaves out a failed payout once its member has asked for a withdrawal again since the failure", async () => {
    const failedAt = new Date("2026-12-08T09:00:00Z");
    const [m, other] = await Promise.all(["again", "waits"].map(async (username) => (await inTx(database.prisma, { config, now: failedAt }, (ctx) => registerMember(ctx, { username }))).id));
    const w = (memberId: number, status: "FAILED" | "PENDING_REVIEW", createdAt: Date, decidedAt: Date | null) =>
      database.prisma.withdrawal.create({ data: { memberId, amountFen: 10_000, feeFen: 0, status, approvalsNeeded: 1, createdAt, decidedAt, failReason: status === "FAILED" ? "支付宝转账失败 PAYEE_NOT_EXIST" : null } });
    const mine = await w(m, "FAILED", new Date(failedAt.getTime() - 86_400_000), failedAt);
    const theirs = await w(other, "FAILED", new Date(failedAt.getTime() - 86_400_000), failedAt);
    // The other member's request made before their payout failed does not take the failure over.
    await w(other, "PENDING_REVIEW", new Date(failedAt.getTime() - 1000), null);
    const count = async () => (await backOfficeHome(database.prisma, failedAt, "Asia/Shanghai", "finance")).todo.payoutsFailed;
    expect(await count()).toBe(2);

    // The member asks again an hour after the failure (with the money it returned): one failure left for finance.
    const askedAt = new Date(failedAt.getTime() + 3_600_000);
    await w(m, "PENDING_REVIEW", askedAt, null);
    expect(await count()).toBe(1);
    const finance = await signedInStaff(database.prisma, "finance");
    const awaiting = await finance.caller.merchantWithdrawal.list({ status: "FAILED", failedAwaiting: true });
    expect(awaiting.items.map((r) => r.id)).toEqual([theirs.id]);
    const failed = await finance.caller.merchantWithdrawal.list({ status: "FAILED" });
    expect(failed.items.find((r) => r.id === mine.id)?.askedAgainAt).toEqual(askedAt);
    expect(failed.items.find((r) => r.id === theirs.id)?.askedAgainAt).toBeNull();
    await database.prisma.withdrawal.deleteMany({ where: { memberId: { in: [m, other] } } });
  });

  it("shows failed jobs to owner and finance only", async () => {
    const owner = await signedInStaff(database.prisma, "owner");
    const op = await signedInStaff(database.prisma, "operator");
    expect((await owner.caller.merchantHome.figures()).todo.failedJobs).toBe(0);
    expect((await op.caller.merchantHome.figures()).todo.failedJobs).toBeNull();
  });
});
