// After-sales (issue 9): the refund request, the merchant's decision and the 48 h automatic approval,
// through the real engine and scheduler. Runs on PGlite, and on PostgreSQL with FM_TEST_DB=postgres
// (where the concurrent calls really race).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { DomainError, inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { confirmDelivery, confirmPayment, createOrder, shipOrder } from "../../server/orders";
import { merchantRefundOrder } from "../../server/orders/actions";
import { runDueTransitions } from "../../server/scheduler";
import { refundOrderThroughProvider } from "../../server/payments";
import {
  AUTO_APPROVE_MS,
  approveRefundRequest,
  autoApproveRefundRequest,
  merchantApproveRefund,
  rejectRefundRequest,
  shopperRequestRefund,
} from "../../server/aftersales";
import { afterSalesOfOrder, listRefundRequests } from "../../server/aftersales/view";
import { DAY, MINUTE } from "../../server/clock/time";
import { createSimpleProduct } from "../../server/catalog/admin";
import { freshDatabase } from "../helpers/db";
import sharp from "sharp";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { LocalDiskStorage } from "../../server/storage";
import { storeImage } from "../../server/storage/images";
import { MAX_UPLOADS_PER_HOUR, recordShopperUpload, reserveUpload } from "../../server/aftersales/uploads";

const config = parseConfig({});
let database: Database;
const t0 = new Date("2026-03-10T02:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
let upline: number;
let buyer: number;
let staffId: number;

const run = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now }, fn);

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await run(t0, async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "龙井", priceFen: 10000, category: "tea", stock: 10 });
  });
  upline = (await run(t0, (ctx) => registerMember(ctx, { username: "upline-li", ip: "1.1.1.1", device: "a" }))).id;
  buyer = (await run(t0, (ctx) => registerMember(ctx, { username: "buyer-wang", sponsorId: upline, ip: "2.2.2.2", device: "b" }))).id;
  staffId = (await database.prisma.staffAccount.create({ data: { username: "op-zhao", displayName: "赵运营", role: "operator", passwordHash: "-", createdAt: t0 } })).id;
});
afterEach(() => database.close());

/** A paid order of the buyer (qty 2: 200 元), optionally shipped / delivered at t0 + 1 min. */
async function paidOrder(stage: "PAID" | "SHIPPED" | "DELIVERED" = "PAID") {
  const order = await run(t0, (ctx) => createOrder(ctx, { memberId: buyer, lines: [{ sku: "tea", qty: 2 }], address: "王五 13900001111 上海市 浦东新区 世纪大道 1 号" }));
  await run(t0, (ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: `SBX-${order.id}`, amountFen: order.payableFen, currency: "CNY" }));
  if (stage !== "PAID") await run(at(MINUTE), (ctx) => shipOrder(ctx, order.id));
  if (stage === "DELIVERED") await run(at(MINUTE), (ctx) => confirmDelivery(ctx, order.id));
  return order.id;
}

const state = async (orderId: number) => {
  const db = database.prisma;
  const order = await db.order.findUniqueOrThrow({ where: { id: orderId } });
  const commissions = await db.commission.findMany({ where: { orderId }, orderBy: { level: "asc" } });
  const task = await db.rebateTask.findUnique({ where: { anchorOrderId: orderId } });
  const requests = await db.refundRequest.findMany({ where: { orderId }, orderBy: { id: "asc" } });
  const stock = (await db.sku.findUniqueOrThrow({ where: { code: "tea" } })).stock;
  return { order: order.status, commissions: commissions.map((c) => [c.beneficiaryId, c.level, c.amountFen, c.status]), task: task?.status, requests, stock };
};

const refusalCode = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  throw new Error("expected a refusal");
};

describe("after-sales requests", () => {
  it("an order not shipped yet is refunded at once: commissions VOID, rebate task VOID, stock back", async () => {
    const orderId = await paidOrder("PAID");
    expect((await state(orderId)).commissions).toEqual([[upline, 1, 2000, "PENDING"]]);
    const r = await shopperRequestRefund(database.prisma, at(5 * MINUTE), buyer, orderId, { reason: "no_longer_needed" });
    expect(r).toMatchObject({ status: "APPROVED", refunded: true });
    const s = await state(orderId);
    expect(s.order).toBe("REFUNDED");
    expect(s.commissions).toEqual([[upline, 1, 2000, "VOID"]]);
    expect(s.task).toBe("VOID");
    expect(s.stock).toBe(10);
    expect(s.requests.map((q) => [q.status, q.resolution, q.openOrderId, q.orderStatus])).toEqual([["APPROVED", "immediate", null, "PAID"]]);
    // Nothing left for the 48 h timer; the upline's pending money went back.
    expect(await database.prisma.dueTransition.count({ where: { kind: "REFUND_REQUEST_AUTO_APPROVE" } })).toBe(0);
    expect((await database.prisma.payment.findFirstOrThrow({ where: { orderId } })).status).toBe("REFUNDED");
    // The money went back through the provider right after the commit.
    expect(await database.prisma.providerCall.findMany({ where: { orderId }, select: { kind: true, status: true, amountFen: true } })).toEqual([
      { kind: "REFUND", status: "DONE", amountFen: 20000 },
    ]);
    expect(await refusalCode(shopperRequestRefund(database.prisma, at(6 * MINUTE), buyer, orderId, { reason: "no_longer_needed" }))).toBe("NOT_REFUNDABLE");
  });

  it("a shipped order's request is approved automatically once, exactly 48 h later", async () => {
    const orderId = await paidOrder("SHIPPED");
    const asked = at(10 * MINUTE);
    const r = await shopperRequestRefund(database.prisma, asked, buyer, orderId, { reason: "damaged", detail: "外盒压坏" });
    expect(r).toMatchObject({ status: "PENDING", refunded: false });
    const view = await run(asked, (ctx) => afterSalesOfOrder(ctx, buyer, orderId));
    expect(view).toMatchObject({ canRequest: false, requests: [{ status: "PENDING", reasonLabel: "商品破损", detail: "外盒压坏" }] });
    expect(view!.requests[0]!.dueAt).toEqual(new Date(asked.getTime() + AUTO_APPROVE_MS));
    // A second request while the first is open is refused.
    expect(await refusalCode(shopperRequestRefund(database.prisma, asked, buyer, orderId, { reason: "quality" }))).toBe("REQUEST_OPEN");

    const due = new Date(asked.getTime() + 48 * 60 * MINUTE);
    const db = database.prisma;
    await runDueTransitions(db, new Date(due.getTime() - 1), { config });
    expect((await state(orderId)).order).toBe("SHIPPED");
    expect(await runDueTransitions(db, due, { config })).toBe(1);
    const s = await state(orderId);
    expect(s.order).toBe("REFUNDED");
    expect(s.commissions).toEqual([[upline, 1, 2000, "VOID"]]);
    expect(s.task).toBe("VOID");
    expect(s.requests.map((q) => [q.status, q.resolution, q.decidedById, q.openOrderId])).toEqual([["APPROVED", "auto", null, null]]);
    // The provider refund is queued in the same transaction, for the provider-call sweep.
    expect(await db.providerCall.findMany({ where: { orderId }, select: { kind: true, amountFen: true } })).toEqual([{ kind: "REFUND", amountFen: 20000 }]);

    // Exactly once: a later sweep and a direct second call change nothing.
    expect(await runDueTransitions(db, at(10 * DAY), { config })).toBe(0);
    expect(await run(at(10 * DAY), (ctx) => autoApproveRefundRequest(ctx, s.requests[0]!.id))).toBe(false);
    expect(await db.auditLog.count({ where: { action: "aftersales.auto_approved" } })).toBe(1);
    expect(await db.ledgerTxn.count({ where: { kind: "commission_void" } })).toBe(1);
  });

  it("the merchant rejects with a reason the shopper sees; the 48 h timer then does nothing and completion resumes", async () => {
    const orderId = await paidOrder("DELIVERED");
    const db = database.prisma;
    // Asked on day 6 of the 7-day return window.
    const asked = at(6 * DAY);
    const { id } = await shopperRequestRefund(db, asked, buyer, orderId, { reason: "not_as_described" });
    // The window closes while the request is open: the order is not completed under it.
    await runDueTransitions(db, at(7 * DAY + 2 * MINUTE), { config });
    expect((await state(orderId)).order).toBe("DELIVERED");

    const decidedAt = at(7 * DAY + 3 * 60 * MINUTE);
    await run(decidedAt, (ctx) => rejectRefundRequest(ctx, { staffId }, id, "商品已拆封使用，不支持无理由退货"));
    expect(await refusalCode(run(decidedAt, (ctx) => approveRefundRequest(ctx, { staffId }, id)))).toBe("ALREADY_DECIDED");
    const view = await run(decidedAt, (ctx) => afterSalesOfOrder(ctx, buyer, orderId));
    expect(view!.requests[0]).toMatchObject({ status: "REJECTED", rejectReason: "商品已拆封使用，不支持无理由退货" });
    const note = await db.notification.findFirstOrThrow({ where: { memberId: buyer, title: "退款申请未通过" } });
    expect(note.body).toContain("商品已拆封使用");

    // The auto-approval falls due later and changes nothing; the held completion runs, dated when the rejection
    // released it: its T+1 has passed by this sweep, so the commission settles at once.
    await runDueTransitions(db, new Date(asked.getTime() + AUTO_APPROVE_MS + MINUTE), { config });
    const s = await state(orderId);
    expect(s.order).toBe("COMPLETED");
    expect(s.commissions).toEqual([[upline, 1, 2000, "SETTLED"]]);
    expect(s.requests.map((q) => [q.status, q.decidedById])).toEqual([["REJECTED", staffId]]);
    expect(await db.auditLog.count({ where: { action: "aftersales.rejected", actorType: "staff", actorId: staffId } })).toBe(1);
  });

  it("the merchant approves: the refund path runs (commission VOID) and the audit log records who", async () => {
    const orderId = await paidOrder("DELIVERED");
    const db = database.prisma;
    const { id } = await shopperRequestRefund(db, at(DAY), buyer, orderId, { reason: "quality" });
    const queue = await listRefundRequests({ tx: db }, { status: "PENDING" });
    expect(queue.items.map((i) => [i.id, i.order.id, i.reasonLabel])).toEqual([[id, orderId, "质量问题"]]);
    expect(await merchantApproveRefund(db, at(DAY + MINUTE), { staffId }, id)).toMatchObject({ status: "APPROVED", resolution: "merchant" });
    const s = await state(orderId);
    expect([s.order, s.task, s.stock]).toEqual(["REFUNDED", "VOID", 10]);
    expect(s.commissions).toEqual([[upline, 1, 2000, "VOID"]]);
    expect(await db.auditLog.count({ where: { action: "aftersales.approved", actorType: "staff", actorId: staffId } })).toBe(1);
    // Its 48 h timer is retired by the approval.
    expect((await db.dueTransition.findFirstOrThrow({ where: { kind: "REFUND_REQUEST_AUTO_APPROVE", refId: id } })).doneAt).toEqual(at(DAY + MINUTE));
    await runDueTransitions(db, at(5 * DAY), { config });
    expect((await state(orderId)).requests[0]!.status).toBe("APPROVED");
    expect(await db.auditLog.count({ where: { action: "aftersales.auto_approved" } })).toBe(0);
  });

  it("a direct refund closes the open request at once as already refunded: nothing left to reject or to approve 48 h later", async () => {
    const orderId = await paidOrder("SHIPPED");
    const db = database.prisma;
    const { id } = await shopperRequestRefund(db, at(DAY), buyer, orderId, { reason: "wrong_item" });
    const refundedAt = at(DAY + MINUTE);
    await refundOrderThroughProvider(db, orderId, refundedAt);
    const closed = await db.refundRequest.findUniqueOrThrow({ where: { id } });
    expect([closed.status, closed.resolution, closed.openOrderId, closed.decidedAt, closed.decidedById]).toEqual(["APPROVED", "already_refunded", null, refundedAt, null]);
    // Its 48 h timer is retired with it: no sweep ever takes it.
    expect((await db.dueTransition.findFirstOrThrow({ where: { kind: "REFUND_REQUEST_AUTO_APPROVE", refId: id } })).doneAt).toEqual(refundedAt);
    const view = await run(at(DAY + 2 * MINUTE), (ctx) => afterSalesOfOrder(ctx, buyer, orderId));
    expect(view).toMatchObject({ orderStatus: "REFUNDED", requests: [{ status: "APPROVED", resolution: "already_refunded" }] });
    // Staff can neither reject nor approve it any more: the shopper is never told 退款申请未通过 after 退款成功.
    expect(await refusalCode(run(at(DAY + 3 * MINUTE), (ctx) => rejectRefundRequest(ctx, { staffId }, id, "不支持")))).toBe("ALREADY_DECIDED");
    expect(await refusalCode(run(at(DAY + 3 * MINUTE), (ctx) => approveRefundRequest(ctx, { staffId }, id)))).toBe("ALREADY_DECIDED");
    expect(await db.notification.count({ where: { memberId: buyer, title: "退款申请未通过" } })).toBe(0);
    expect((await listRefundRequests({ tx: db }, { status: "PENDING" })).items).toEqual([]);
    await runDueTransitions(db, at(4 * DAY), { config });
    expect(await db.auditLog.count({ where: { action: "aftersales.auto_approved" } })).toBe(0);
    expect(await db.auditLog.count({ where: { action: "aftersales.closed_by_refund" } })).toBe(1);
    expect((await state(orderId)).commissions).toEqual([[upline, 1, 2000, "VOID"]]);
  });

  it("a staff member's direct refund closing the open request records them as its decider, in the request and in the entry", async () => {
    const orderId = await paidOrder("SHIPPED");
    const db = database.prisma;
    const { id } = await shopperRequestRefund(db, at(DAY), buyer, orderId, { reason: "wrong_item" });
    const refundedAt = at(DAY + MINUTE);
    await merchantRefundOrder(db, refundedAt, { staffId, requestId: "req-refund" }, orderId);
    const closed = await db.refundRequest.findUniqueOrThrow({ where: { id } });
    expect([closed.status, closed.resolution, closed.openOrderId, closed.decidedAt, closed.decidedById]).toEqual(["APPROVED", "already_refunded", null, refundedAt, staffId]);
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "aftersales.closed_by_refund" } });
    expect([entry.actorType, entry.actorId, entry.requestId, entry.data]).toEqual(["staff", staffId, "req-refund", { requestId: id }]);
  });

  it("a request left open on an order refunded before that rule (older data) is refused a rejection, and the 48 h approval closes it", async () => {
    const orderId = await paidOrder("SHIPPED");
    const db = database.prisma;
    const { id } = await shopperRequestRefund(db, at(DAY), buyer, orderId, { reason: "wrong_item" });
    await refundOrderThroughProvider(db, orderId, at(DAY + MINUTE));
    // As such a row was left before a direct refund closed the open request.
    await db.refundRequest.update({ where: { id }, data: { status: "PENDING", resolution: null, decidedAt: null, openOrderId: orderId } });
    await db.dueTransition.updateMany({ where: { kind: "REFUND_REQUEST_AUTO_APPROVE", refId: id }, data: { doneAt: null } });
    expect(await refusalCode(run(at(DAY + 3 * MINUTE), (ctx) => rejectRefundRequest(ctx, { staffId }, id, "不支持")))).toBe("ALREADY_DECIDED");
    expect((await db.refundRequest.findUniqueOrThrow({ where: { id } })).status).toBe("PENDING");
    await runDueTransitions(db, at(4 * DAY), { config });
    const r = await db.refundRequest.findUniqueOrThrow({ where: { id } });
    expect([r.status, r.resolution, r.openOrderId]).toEqual(["APPROVED", "already_refunded", null]);
    expect(await db.notification.count({ where: { memberId: buyer, title: "退款申请未通过" } })).toBe(0);
  });

  it("past its automatic approval time a request can no longer be rejected: the late sweep approves it as promised", async () => {
    const orderId = await paidOrder("SHIPPED");
    const db = database.prisma;
    const asked = at(DAY);
    const { id } = await shopperRequestRefund(db, asked, buyer, orderId, { reason: "wrong_item" });
    const due = new Date(asked.getTime() + 48 * 60 * MINUTE);
    // Exactly at the promised time (and after it) the rejection is refused; the request stays open for the approval.
    expect(await refusalCode(run(due, (ctx) => rejectRefundRequest(ctx, { staffId }, id, "不支持")))).toBe("AUTO_APPROVE_DUE");
    expect(await refusalCode(run(new Date(due.getTime() + 5 * MINUTE), (ctx) => rejectRefundRequest(ctx, { staffId }, id, "不支持")))).toBe("AUTO_APPROVE_DUE");
    expect((await state(orderId)).requests.map((q) => [q.status, q.openOrderId])).toEqual([["PENDING", orderId]]);
    expect(await db.notification.count({ where: { memberId: buyer, title: "退款申请未通过" } })).toBe(0);
    // The sweep, late, approves it.
    expect(await runDueTransitions(db, new Date(due.getTime() + 6 * MINUTE), { config })).toBe(1);
    const s = await state(orderId);
    expect(s.order).toBe("REFUNDED");
    expect(s.requests.map((q) => [q.status, q.resolution])).toEqual([["APPROVED", "auto"]]);
  });

  it("a request can be rejected until just before its automatic approval time", async () => {
    const orderId = await paidOrder("SHIPPED");
    const db = database.prisma;
    const asked = at(DAY);
    const { id } = await shopperRequestRefund(db, asked, buyer, orderId, { reason: "wrong_item" });
    const justBefore = new Date(asked.getTime() + 48 * 60 * MINUTE - 1);
    expect((await run(justBefore, (ctx) => rejectRefundRequest(ctx, { staffId }, id, "不支持"))).status).toBe("REJECTED");
  });

  it("refuses a bad reason, 'other' without details, someone else's order, and a completed order", async () => {
    const orderId = await paidOrder("SHIPPED");
    const db = database.prisma;
    expect(await refusalCode(shopperRequestRefund(db, at(DAY), buyer, orderId, { reason: "because" }))).toBe("INVALID_REASON");
    expect(await refusalCode(shopperRequestRefund(db, at(DAY), buyer, orderId, { reason: "other", detail: "  " }))).toBe("DETAIL_REQUIRED");
    expect(await refusalCode(shopperRequestRefund(db, at(DAY), upline, orderId, { reason: "quality" }))).toBe("ORDER_NOT_FOUND");
    expect(await refusalCode(shopperRequestRefund(db, at(DAY), buyer, orderId, { reason: "quality", photos: ["https://evil.example/x.png"] }))).toBe("INVALID_PHOTO");
    await db.order.update({ where: { id: orderId }, data: { status: "COMPLETED", completedAt: at(DAY) } });
    expect(await refusalCode(shopperRequestRefund(db, at(DAY), buyer, orderId, { reason: "quality" }))).toBe("NOT_REFUNDABLE");
    expect(await db.refundRequest.count()).toBe(0);
  });

  it("attaches only pictures the shopper uploaded: another member's upload is refused, the own one kept", async () => {
    const orderId = await paidOrder("SHIPPED");
    const db = database.prisma;
    const storage = new LocalDiskStorage(mkdtempSync(path.join(tmpdir(), "fm-uploads-")));
    const picture = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#c00" } }).png().toBuffer();
    const mine = await storeImage(storage, picture);
    await recordShopperUpload(db, await reserveUpload(db, buyer, at(DAY)), mine);
    const theirs = await storeImage(storage, await sharp({ create: { width: 40, height: 30, channels: 3, background: "#0c0" } }).png().toBuffer());
    await recordShopperUpload(db, await reserveUpload(db, upline, at(DAY)), theirs);
    expect(await refusalCode(shopperRequestRefund(db, at(DAY), buyer, orderId, { reason: "damaged", photos: [mine.url, theirs.url] }))).toBe("INVALID_PHOTO");
    expect(await db.refundRequest.count()).toBe(0);
    await shopperRequestRefund(db, at(DAY), buyer, orderId, { reason: "damaged", photos: [mine.url, mine.url] });
    const [request] = (await afterSalesOfOrder({ tx: db, config, now: at(DAY) }, buyer, orderId))!.requests;
    expect(request.photos).toEqual([mine.url]);
    expect(request.status).toBe("PENDING");
  });

  it("a member may upload at most MAX_UPLOADS_PER_HOUR pictures per hour; the next hour the budget is back", async () => {
    const db = database.prisma;
    for (let i = 0; i < MAX_UPLOADS_PER_HOUR; i++) {
      const slot = await reserveUpload(db, buyer, at(DAY + i));
      await recordShopperUpload(db, slot, { url: `/media/p/aa/${String(i).padStart(32, "0")}.webp`, thumbUrl: "-", width: 1, height: 1, bytes: 1 });
    }
    expect(await refusalCode(reserveUpload(db, buyer, at(DAY + MINUTE)))).toBe("TOO_MANY_UPLOADS");
    await reserveUpload(db, upline, at(DAY + MINUTE)); // another member's budget is their own
    await reserveUpload(db, buyer, at(DAY + 61 * MINUTE));
  });
});

describe("after-sales under concurrency", () => {
  it("five simultaneous requests on a shipped order open exactly one", async () => {
    const orderId = await paidOrder("SHIPPED");
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => shopperRequestRefund(database.prisma, at(DAY), buyer, orderId, { reason: "quality" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as DomainError).code).toBe("REQUEST_OPEN");
    expect(await database.prisma.refundRequest.count({ where: { orderId } })).toBe(1);
    expect(await database.prisma.dueTransition.count({ where: { kind: "REFUND_REQUEST_AUTO_APPROVE" } })).toBe(1);
  });

  it("simultaneous requests on an unshipped order refund it once", async () => {
    const orderId = await paidOrder("PAID");
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => shopperRequestRefund(database.prisma, at(MINUTE), buyer, orderId, { reason: "no_longer_needed" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const s = await state(orderId);
    expect([s.order, s.stock, s.requests.length]).toEqual(["REFUNDED", 10, 1]);
    expect(await database.prisma.ledgerTxn.count({ where: { kind: "commission_void" } })).toBe(1);
  });

  it("the merchant's approval racing the automatic one refunds once", async () => {
    const orderId = await paidOrder("SHIPPED");
    const db = database.prisma;
    const { id } = await shopperRequestRefund(db, at(DAY), buyer, orderId, { reason: "quality" });
    const due = new Date(at(DAY).getTime() + AUTO_APPROVE_MS);
    const results = await Promise.allSettled([
      merchantApproveRefund(db, due, { staffId }, id),
      runDueTransitions(db, due, { config }),
      merchantApproveRefund(db, due, { staffId }, id),
    ]);
    const s = await state(orderId);
    expect(s.order).toBe("REFUNDED");
    expect(s.requests.map((q) => q.status)).toEqual(["APPROVED"]);
    expect(await db.ledgerTxn.count({ where: { kind: "commission_void" } })).toBe(1);
    const decided = (await db.auditLog.count({ where: { action: { in: ["aftersales.approved", "aftersales.auto_approved"] } } }));
    expect(decided).toBe(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as DomainError).code).toBe("ALREADY_DECIDED");
  });
});
