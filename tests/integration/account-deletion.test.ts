// 注销账号 (server/members/deletion.ts, PIPL 第四十七条): refused while money or goods are moving, one code per
// reason; otherwise one transaction erases the personal data, forfeits what was not yet earned through the ledger,
// ends every session and keeps the member's orders, ledger and place in the tree; the account places no order after
// it, and the page says what goes and what stays. The network around it:
// g → u → d → c, d deleting. Amounts (defaults, SPEC §4/§5): a 100 元 tea pays L1 1 000, L2 500, L3 200 fen;
// 推三返一 n = 3, 100 %.
import { createElement } from "react";
import { renderToReadableStream } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { QueryClientProvider } from "@tanstack/react-query";
import { AppRouterContext } from "next/dist/shared/lib/app-router-context.shared-runtime";
import type { Database, Db } from "../../server/db";
import { DomainError, inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { advanceCommissionsOfOrder } from "../../server/commission";
import { completeOrder, confirmDelivery, confirmPayment, createOrder, shipOrder } from "../../server/orders";
import { requestRefund } from "../../server/aftersales";
import { fromMerchant, walletFromLedger, walletOf } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { requestWithdrawal } from "../../server/wallet/withdrawals";
import { setFrozen } from "../../server/members/status-history";
import { addAddress } from "../../server/members/addresses";
import { DELETION_BLOCKER_MESSAGE, FORFEIT_CHANGED, FORFEIT_NOT_ACCEPTED, confirmAccountDeletion, deleteMemberAccount, type ForfeitTotals } from "../../server/members/deletion";
import { deleteAsShown } from "../helpers/deletion";
import { setMemberFrozen } from "../../server/members/admin";
import { checkDisplayName } from "../../server/members/profile";
import { accountZhCN } from "../../lib/i18n/messages/account.zh-CN";
import { accountEn } from "../../lib/i18n/messages/account.en";
import { lookupHash, phoneFields } from "../../server/auth/crypto";
import { sessionIsCurrent } from "../../server/auth/session";
import { DAY } from "../../server/clock/time";
import { createSimpleProduct } from "../../server/catalog/admin";
import { sendDueChannelMessages, type MessageChannel } from "../../server/notifications/channels";
import { createT, type Locale } from "../../lib/i18n/core";
import { MESSAGES } from "../../lib/i18n/messages";
import { I18nProvider } from "../../lib/i18n/client";
import { TRPCProvider, makeTrpcClient } from "../../trpc/react";
import { createQueryClient } from "../../trpc/query-client";
import { callerFor, domainRefusal, session } from "../helpers/caller";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { behind, heldOpen, queued, recordingAborts } from "../helpers/races";
import { nextTestIdNumber } from "../helpers/id-numbers";

// The 注销账号 page renders as the server would: its session, its database and its language from here.
vi.mock("server-only", () => ({}));
const page = vi.hoisted(() => ({ db: null as unknown, memberId: 0, locale: "zh-CN" as Locale }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => page.db }));
vi.mock("@/server/auth", async (importOriginal) => ({ ...(await importOriginal<object>()), getServerAuthSession: async () => session(page.memberId) }));
vi.mock("@/lib/i18n/server", () => ({ getT: async () => createT(page.locale, MESSAGES[page.locale]) }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ host: "127.0.0.1:3100", cookie: "next-auth.session-token=x" }), cookies: async () => ({ get: () => undefined }) }));

const config = parseConfig({});
const t0 = new Date("2026-03-10T02:00:00Z");
let database: Database;
let db: Db;

beforeAll(async () => {
  database = await freshDatabase();
  db = database.prisma;
  page.db = db;
  await db.mallConfig.create({ data: { data: config as object } });
  await db.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 1_000 });
});
afterAll(() => database.close());

const run = <T,>(fn: (ctx: Ctx) => Promise<T>, now = t0) => inTx(db, { config, now }, fn);
let seq = 0;
let phoneSeq = 0;
/** A member signed up by phone as sign-in does (its username from the phone's lookup hash); `sponsorId` binds them. */
async function member(sponsorId: number | null = null) {
  const n = ++seq;
  const phone = `1390000${String(++phoneSeq).padStart(4, "0")}`;
  const m = await run((c) => registerMember(c, { username: `m_${lookupHash(phone).slice(0, 16)}`, sponsorId, phone: phoneFields(phone), ip: `10.0.${n >> 8}.${n & 255}`, device: `dev-${n}` }));
  return { id: m.id, phone };
}
const order = (memberId: number, now = t0) => run((c) => createOrder(c, { memberId, lines: [{ sku: "tea", qty: 1 }], address: `addr-${memberId}` }), now);
async function paid(memberId: number, now = t0) {
  const o = await order(memberId, now);
  expect(await run((c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }), now)).toEqual({ outcome: "paid" });
  return o.id;
}
/** Paid, shipped, delivered an hour later and completed as its 7-day return window closes (its T+1 still ahead). */
async function completed(memberId: number) {
  const id = await paid(memberId);
  await run((c) => shipOrder(c, id));
  await run((c) => confirmDelivery(c, id), new Date(t0.getTime() + 3600_000));
  expect(await run((c) => completeOrder(c, id), new Date(t0.getTime() + 3600_000 + 7 * DAY))).toBe(true);
  return id;
}
/** Sends the deletion code through the router and reads it from the development SMS outbox. */
async function code(m: { id: number; phone: string }) {
  await callerFor(db, m.id).account.sendDeletionCode();
  const sms = await db.smsMessage.findFirstOrThrow({ where: { phoneHash: lookupHash(m.phone) }, orderBy: { id: "desc" } });
  return /(\d{6})/.exec(sms.body)![1]!;
}
/** Deletes through the router with the forfeit the deletion page shows now, unless the test says what it showed. */
const deleteVia = async (m: { id: number }, input: { code: string; acceptForfeit: boolean; shown?: ForfeitTotals }) =>
  callerFor(db, m.id).account.delete({ ...input, shown: input.shown ?? (await callerFor(db, m.id).account.deletion()).forfeit });

describe("注销账号 is refused while something is still moving", () => {
  it("an unpaid order", async () => {
    const d = await member();
    await order(d.id);
    expect((await callerFor(db, d.id).account.deletion()).blockers).toEqual(["UNPAID_ORDER"]);
    expect(await domainRefusal(deleteVia(d, { code: "123456", acceptForfeit: true }))).toBe("UNPAID_ORDER");
    expect((await db.member.findUniqueOrThrow({ where: { id: d.id } })).deletedAt).toBeNull();
  });

  it("a paid order not yet completed (shipping, or within its return window)", async () => {
    const d = await member();
    const id = await paid(d.id);
    await run((c) => shipOrder(c, id));
    expect(await domainRefusal(deleteVia(d, { code: "123456", acceptForfeit: true }))).toBe("OPEN_ORDER");
  });

  it("an open after-sales request", async () => {
    const d = await member();
    const id = await paid(d.id);
    await run((c) => shipOrder(c, id));
    await run((c) => requestRefund(c, d.id, id, { reason: "damaged" }));
    // The request holds the order's completion too; the more specific reason is given first.
    expect((await callerFor(db, d.id).account.deletion()).blockers).toEqual(["OPEN_AFTERSALE", "OPEN_ORDER"]);
    expect(await domainRefusal(deleteVia(d, { code: "123456", acceptForfeit: true }))).toBe("OPEN_AFTERSALE");
  });

  it("a withdrawal in review or being paid out", async () => {
    const d = await member();
    await run((c) => fromMerchant(c, `fund:${d.id}`, "manual_adjustment", "merchant:adjustment", d.id, "available", 300_000));
    await run((c) => verifyIdentity(c, d.id, { realName: "王店长", idNumber: nextTestIdNumber() }));
    // All of it (3 000 元, above the automatic limit: in review): nothing is left available.
    await run((c) => requestWithdrawal(c, d.id, 300_000));
    expect((await callerFor(db, d.id).account.deletion()).blockers).toEqual(["WITHDRAWAL_IN_PROGRESS"]);
    expect(await domainRefusal(deleteVia(d, { code: "123456", acceptForfeit: true }))).toBe("WITHDRAWAL_IN_PROGRESS");
  });

  it("an available balance: withdraw it first", async () => {
    const d = await member();
    await run((c) => fromMerchant(c, `fund:${d.id}`, "manual_adjustment", "merchant:adjustment", d.id, "available", 1));
    const view = await callerFor(db, d.id).account.deletion();
    expect(view.blockers).toEqual(["BALANCE_AVAILABLE"]);
    expect(view.availableFen).toBe(1);
    expect(await domainRefusal(deleteVia(d, { code: "123456", acceptForfeit: true }))).toBe("BALANCE_AVAILABLE");
  });

  it("an account frozen for risk review", async () => {
    const d = await member();
    await run((c) => setFrozen(c, d.id, true));
    expect(await domainRefusal(deleteVia(d, { code: "123456", acceptForfeit: true }))).toBe("ACCOUNT_FROZEN");
  });

  it("a wrong or missing SMS code, and money to forfeit without the tick", async () => {
    const d = await member();
    expect(await domainRefusal(deleteVia(d, { code: "123456", acceptForfeit: false }))).toBe("CODE_EXPIRED");
    const right = await code(d);
    const wrong = right === "000000" ? "000001" : "000000";
    expect(await domainRefusal(deleteVia(d, { code: wrong, acceptForfeit: false }))).toBe("INVALID_CODE");
    await run((c) => fromMerchant(c, `credit:${d.id}`, "credit_return", "merchant:credit_redeemed", d.id, "credit", 300));
    expect(await domainRefusal(deleteVia(d, { code: right, acceptForfeit: false }))).toBe("FORFEIT_NOT_ACCEPTED");
    expect((await db.member.findUniqueOrThrow({ where: { id: d.id } })).deletedAt).toBeNull();
  });
});

describe("注销账号 in a referral network", () => {
  it("erases d's personal data, forfeits what d had not earned yet, keeps what the uplines earned and d's place", async () => {
    const g = await member();
    const u = await member(g.id);
    // u's own tea opens u's 推三返一 task; d's first paid order counts for it.
    const uOrder = await paid(u.id);
    const d = await member(u.id);
    const c = await member(d.id);
    // d's tea, completed and settled: u earned 1 000 (L1), g 500 (L2), in their wallets.
    const dOrder = await completed(d.id);
    await run((ctx) => advanceCommissionsOfOrder(ctx, dOrder), new Date(t0.getTime() + 10 * DAY));
    const earned = async (orderId: number) =>
      (await db.commission.findMany({ where: { orderId }, orderBy: { level: "asc" } })).map((r) => [r.beneficiaryId, r.amountFen, r.status]);
    expect(await earned(dOrder)).toEqual([[u.id, 1000, "SETTLED"], [g.id, 500, "SETTLED"]]);
    // c's tea, paid: d 1 000, u 500, g 200 pending; it is c's first order, so it counts for d's task (OPEN, 1 of 3).
    const cOrder = await paid(c.id);
    expect(await earned(cOrder)).toEqual([[d.id, 1000, "PENDING"], [u.id, 500, "PENDING"], [g.id, 200, "PENDING"]]);
    const dTask = await db.rebateTask.findUniqueOrThrow({ where: { anchorOrderId: dOrder } });
    expect(dTask.status).toBe("OPEN");
    const uWalletBefore = await run((ctx) => walletOf(ctx, u.id));
    expect(uWalletBefore).toMatchObject({ available: 1000, pending: 500 });

    await run((ctx) => addAddress(ctx, d.id, { name: "李四", phone: "13912345678", region: "上海市 浦东新区", detail: "世纪大道 1 号" }));
    await db.externalAccount.create({ data: { memberId: d.id, platform: "wechat", appId: "wxapp", subject: "openid-d", createdAt: t0 } });
    await db.member.update({ where: { id: d.id }, data: { nickname: "李小龙", avatarUrl: "https://thirdwx.qlogo.cn/d.png" } });
    await run((ctx) => verifyIdentity(ctx, d.id, { realName: "李小龙", idNumber: "11010519491231002X" }));
    expect(await sessionIsCurrent(db, d.id, 0, t0)).toBe(true);
    const dCode = (await db.member.findUniqueOrThrow({ where: { id: d.id } })).referralCode;
    const uOrderNo = (await db.order.findUniqueOrThrow({ where: { id: uOrder } })).orderNo;

    const view = await callerFor(db, d.id).account.deletion();
    expect(view).toMatchObject({ deleted: false, blockers: [], forfeit: { commissionFen: 1000, cashbackFen: 0, creditFen: 0 } });
    // Refused before the code is checked: the same code still confirms.
    const sms = await code(d);
    expect(await domainRefusal(deleteVia(d, { code: sms, acceptForfeit: false }))).toBe("FORFEIT_NOT_ACCEPTED");
    expect(await deleteVia(d, { code: sms, acceptForfeit: true })).toEqual({ deleted: true });

    // Personal data erased; the row, its tree and matrix place kept.
    const row = await db.member.findUniqueOrThrow({ where: { id: d.id }, include: { seat: true } });
    expect(row).toMatchObject({
      nickname: "已注销用户", avatarUrl: null, phoneHash: null, phoneEnc: null, phoneMasked: null,
      realNameEnc: null, realNameMasked: null, idNumberEnc: null, idNumberMasked: null, signupIp: null, signupIpKey: null, signupDevice: null,
      sponsorId: u.id, frozen: true, sessionVersion: 1,
    });
    expect(row.deletedAt).not.toBeNull();
    expect(row.seat).not.toBeNull();
    expect((await db.member.findUniqueOrThrow({ where: { id: c.id } })).sponsorId).toBe(d.id);
    const cAncestors = await db.sponsorClosure.findMany({ where: { descendantId: c.id, depth: { gt: 0 } }, orderBy: { depth: "asc" }, select: { ancestorId: true } });
    expect(cAncestors.map((a) => a.ancestorId)).toEqual([d.id, u.id, g.id]);
    expect(await db.address.count({ where: { memberId: d.id } })).toBe(0);
    expect(await db.externalAccount.count({ where: { memberId: d.id } })).toBe(0);
    expect(await db.order.count({ where: { memberId: d.id } })).toBe(1);
    // Every session ends: the old token's version is refused.
    expect(await sessionIsCurrent(db, d.id, 0, t0)).toBe(false);
    // Audited, without the phone, the name or the ID number.
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "member.deleted", target: `member:${d.id}` } });
    expect(entry).toMatchObject({ actorType: "member", actorId: d.id });
    const text = JSON.stringify(entry);
    for (const personal of [d.phone, d.phone.slice(-4), "李小龙", "李四", "11010519491231002X", "openid-d"]) expect(text).not.toContain(personal);

    // d's pending 1 000 went back to the merchant by a void posting; d's task is closed; the ledger balances.
    expect(await earned(cOrder)).toEqual([[d.id, 1000, "VOID"], [u.id, 500, "PENDING"], [g.id, 200, "PENDING"]]);
    const voids = await db.ledgerEntry.findMany({ where: { txn: { kind: "commission_void" } }, orderBy: { id: "asc" }, select: { account: true, amountFen: true } });
    expect(voids).toEqual([{ account: "merchant:commission", amountFen: 1000 }, { account: `member:${d.id}:pending`, amountFen: -1000 }]);
    expect((await db.rebateTask.findUniqueOrThrow({ where: { id: dTask.id } })).status).toBe("VOID");
    expect(await run((ctx) => walletOf(ctx, d.id))).toEqual({ pending: 0, available: 0, withdrawing: 0, withdrawn: 0, credit: 0 });
    const total = await db.ledgerEntry.aggregate({ _sum: { amountFen: true } });
    expect(total._sum.amountFen).toBe(0);
    expect(await db.$queryRawUnsafe<unknown[]>(`SELECT "txnId" FROM "LedgerEntry" GROUP BY "txnId" HAVING sum("amountFen") <> 0`)).toEqual([]);
    await run(async (ctx) => {
      for (const w of await ctx.tx.wallet.findMany({ select: { memberId: true } })) expect(await walletOf(ctx, w.memberId)).toEqual(await walletFromLedger(ctx, w.memberId));
    });

    // The uplines keep what they earned, settled and pending alike.
    expect(await earned(dOrder)).toEqual([[u.id, 1000, "SETTLED"], [g.id, 500, "SETTLED"]]);
    expect(await run((ctx) => walletOf(ctx, u.id))).toEqual(uWalletBefore);

    // Others see 已注销用户: c's inviter, u's 推三返一 invitee and u's commission's buyer.
    expect((await callerFor(db, c.id).member.me()).sponsor?.name).toBe("已注销用户");
    const uTasks = await callerFor(db, u.id).promotion.tasks();
    expect(uTasks.map((t) => [t.anchorOrderNo, t.invitees.map((i) => i.name)])).toEqual([[uOrderNo, ["已注销用户"]]]);
    const dOrderNo = (await db.order.findUniqueOrThrow({ where: { id: dOrder } })).orderNo;
    expect((await callerFor(db, u.id).promotion.commissions()).filter((x) => x.orderNo === dOrderNo).map((x) => x.buyer)).toEqual(["已注销用户"]);

    // A second request changes nothing.
    const before = await db.member.findUniqueOrThrow({ where: { id: d.id } });
    const ledgerCount = await db.ledgerEntry.count();
    const audits = await db.auditLog.count({ where: { action: "member.deleted" } });
    expect(await run((ctx) => deleteAsShown(ctx, d.id, true), new Date(t0.getTime() + 11 * DAY))).toEqual({ deleted: false });
    expect(await db.member.findUniqueOrThrow({ where: { id: d.id } })).toEqual(before);
    expect(await db.ledgerEntry.count()).toBe(ledgerCount);
    expect(await db.auditLog.count({ where: { action: "member.deleted" } })).toBe(audits);

    // The same phone signs up again, as sign-in does (server/auth/options memberForPhone): no member has its hash
    // any more, and the new member takes the username sign-up derives from it, bound to nobody.
    const hash = lookupHash(d.phone);
    expect(await db.member.findUnique({ where: { phoneHash: hash } })).toBeNull();
    const again = await run((ctx) => registerMember(ctx, { username: `m_${hash.slice(0, 16)}`, phone: phoneFields(d.phone), ip: "10.9.9.9", device: "dev-new" }));
    expect(again.id).not.toBe(d.id);
    expect(again.sponsorId).toBeNull();
    // d's old share link binds nobody either.
    const viaOldLink = await run((ctx) => registerMember(ctx, { username: "via-old-link", sponsorCode: dCode, ip: "10.9.9.10", device: "dev-x" }));
    expect(viaOldLink.sponsorId).toBeNull();

    // The back office cannot unfreeze it (it would earn into a wallet nobody reaches); nobody may take its name.
    expect(await run((ctx) => setMemberFrozen(ctx, d.id, false, "误操作", { staffId: 1 })).catch((e: DomainError) => e.code)).toBe("MEMBER_DELETED");
    expect(checkDisplayName("已注销用户").ok).toBe(false);
  });

  it("forfeits a met 推三返一 task's cashback through the task's void, with the commissions", async () => {
    const m = await member();
    const anchor = await paid(m.id);
    // Three friends' first teas fill m's task (MET: 10 000 fen, 100 % of 100 元, pending) and pay m 3 × 1 000 (L1).
    for (let i = 0; i < 3; i++) await paid((await member(m.id)).id);
    expect((await db.rebateTask.findUniqueOrThrow({ where: { anchorOrderId: anchor } })).status).toBe("MET");
    await run((c) => shipOrder(c, anchor));
    await run((c) => confirmDelivery(c, anchor), new Date(t0.getTime() + 3600_000));
    expect(await run((c) => completeOrder(c, anchor), new Date(t0.getTime() + 8 * DAY))).toBe(true);
    expect(await run((c) => walletOf(c, m.id))).toMatchObject({ pending: 13_000, available: 0 });
    const view = await callerFor(db, m.id).account.deletion();
    expect(view.forfeit).toEqual({ commissionFen: 3000, cashbackFen: 10_000, creditFen: 0 });
    // m's own task, and each friend's first order anchors a task of its own: only m's is m's.
    expect(view.openTasks).toBe(1);

    const sms = await code(m);
    expect(await deleteVia(m, { code: sms, acceptForfeit: true })).toEqual({ deleted: true });
    expect((await db.rebateTask.findUniqueOrThrow({ where: { anchorOrderId: anchor } })).status).toBe("VOID");
    const voided = await db.ledgerEntry.findMany({ where: { memberId: m.id, txn: { kind: { in: ["rebate_void", "commission_void"] } } }, select: { amountFen: true, txn: { select: { kind: true } } }, orderBy: { id: "asc" } });
    expect(voided.map((e) => [e.txn.kind, e.amountFen])).toEqual([["commission_void", -1000], ["commission_void", -1000], ["commission_void", -1000], ["rebate_void", -10_000]]);
    expect(await run((c) => walletOf(c, m.id))).toEqual({ pending: 0, available: 0, withdrawing: 0, withdrawn: 0, credit: 0 });
    expect(await run((c) => walletFromLedger(c, m.id))).toEqual({ pending: 0, available: 0, withdrawing: 0, withdrawn: 0, credit: 0 });
  });
});

/**
 * `first` in a transaction held open until `second`, started meanwhile, waits on a lock (or the two did not overlap:
 * the test fails); then both end. Returns what `second` gave, or the code it was refused with.
 */
async function interleave(first: (ctx: Ctx) => Promise<unknown>, second: (ctx: Ctx) => Promise<unknown>, at?: Date): Promise<{ out: unknown } | { refused: string }> {
  const a = heldOpen((fn) => run(fn, at), first);
  await a.reached;
  let settled = false;
  const b = run(second, at)
    .then((out) => ({ out }), (e: unknown) => (e instanceof DomainError ? { refused: e.code } : Promise.reject(e)))
    .finally(() => (settled = true));
  await queued(db, 1, b);
  expect(settled).toBe(false);
  a.release();
  await a.done;
  return b;
}

// Real concurrency needs PostgreSQL (PGlite runs one transaction at a time). Found in review: a payment read its
// commission ancestors before the upline's deletion committed and inserted its level after, PENDING on the deleted
// account (and into its pending bucket) that nothing would void any more.
describe.runIf(usingPostgres())("注销账号 racing a downline's payment", () => {
  // After the 7-day return window of a tea completed from t0 (d may delete), within a task's 30 days from t0 (still open).
  const T = new Date(t0.getTime() + 9 * DAY);
  const ORDERS = ["the deletion first", "the payment first"] as const;
  /**
   * d's deletion and `buyer`'s payment of a new tea, in `which` order, d accepting the forfeit its page shows then
   * (`shown[which]`: before the payment, or after it); returns the tea's id.
   */
  async function race(which: (typeof ORDERS)[number], d: number, buyer: number, shown: Record<(typeof ORDERS)[number], ForfeitTotals>) {
    const o = await order(buyer, T);
    const pay = (ctx: Ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" });
    const del = (ctx: Ctx) => deleteMemberAccount(ctx, d, { acceptForfeit: true, shown: shown[which] });
    const second = await (which === "the deletion first" ? interleave(del, pay, T) : interleave(pay, del, T));
    expect(second).toHaveProperty("out");
    expect((await db.order.findUniqueOrThrow({ where: { id: o.id } })).status).toBe("PAID");
    expect((await db.member.findUniqueOrThrow({ where: { id: d } })).deletedAt).not.toBeNull();
    return o.id;
  }
  const earned = async (orderId: number) =>
    (await db.commission.findMany({ where: { orderId }, orderBy: { level: "asc" } })).map((r) => [r.beneficiaryId, r.amountFen, r.status]);
  const forfeit = (commissionFen: number, cashbackFen = 0): ForfeitTotals => ({ commissionFen, cashbackFen, creditFen: 0 });
  /** d keeps nothing unsettled: no PENDING/CONFIRMED commission, no task that may still pay, an empty wallet; every ledger transaction balances. */
  async function nothingLeftWith(d: number, others: number[]) {
    expect(await db.commission.count({ where: { beneficiaryId: d, status: { in: ["PENDING", "CONFIRMED"] } } })).toBe(0);
    expect(await db.rebateTask.count({ where: { memberId: d, status: { in: ["OPEN", "MET", "CONFIRMED"] } } })).toBe(0);
    const empty = { pending: 0, available: 0, withdrawing: 0, withdrawn: 0, credit: 0 };
    expect(await run((ctx) => walletOf(ctx, d))).toEqual(empty);
    expect(await run((ctx) => walletFromLedger(ctx, d))).toEqual(empty);
    expect(await db.$queryRawUnsafe<unknown[]>(`SELECT "txnId" FROM "LedgerEntry" GROUP BY "txnId" HAVING sum("amountFen") <> 0`)).toEqual([]);
    for (const m of others) expect(await run((ctx) => walletOf(ctx, m))).toEqual(await run((ctx) => walletFromLedger(ctx, m)));
  }

  it.each(ORDERS)("d's direct pays again, %s: d's level is forfeited or voided, u and g earn theirs", async (which) => {
    const g = await member();
    const u = await member(g.id);
    const d = await member(u.id);
    const c = await member(d.id);
    // c's first tea (before): d 1 000, u 500, g 200 pending.
    const before = await paid(c.id);
    // d's forfeit: c's first tea's 1 000, and with the second paid first 1 000 more.
    const again = await race(which, d.id, c.id, { "the deletion first": forfeit(1000), "the payment first": forfeit(2000) });
    // The deletion first: d is frozen when the payment reads it, its level FORFEITED; the payment first: voided by the deletion.
    const dLevel = which === "the deletion first" ? "FORFEITED" : "VOID";
    expect(await earned(again)).toEqual([[d.id, 1000, dLevel], [u.id, 500, "PENDING"], [g.id, 200, "PENDING"]]);
    expect(await earned(before)).toEqual([[d.id, 1000, "VOID"], [u.id, 500, "PENDING"], [g.id, 200, "PENDING"]]);
    // Two teas each: u 2 × 500, g 2 × 200, pending.
    expect(await run((ctx) => walletOf(ctx, u.id))).toMatchObject({ pending: 1000, available: 0 });
    expect(await run((ctx) => walletOf(ctx, g.id))).toMatchObject({ pending: 400, available: 0 });
    await nothingLeftWith(d.id, [u.id, g.id, c.id]);
  });

  it.each(ORDERS)("a first payment two below d, %s: d's level 2 is forfeited or voided, x and u earn theirs", async (which) => {
    const u = await member();
    const d = await member(u.id);
    const x = await member(d.id);
    const c = await member(x.id);
    // d's forfeit: nothing, or with the payment first its level 2 of c's tea, 500.
    const first = await race(which, d.id, c.id, { "the deletion first": forfeit(0), "the payment first": forfeit(500) });
    const dLevel = which === "the deletion first" ? "FORFEITED" : "VOID";
    expect(await earned(first)).toEqual([[x.id, 1000, "PENDING"], [d.id, 500, dLevel], [u.id, 200, "PENDING"]]);
    expect(await run((ctx) => walletOf(ctx, x.id))).toMatchObject({ pending: 1000 });
    expect(await run((ctx) => walletOf(ctx, u.id))).toMatchObject({ pending: 200 });
    await nothingLeftWith(d.id, [x.id, u.id, c.id]);
  });

  it.each(ORDERS)("the third invitee of d's open 推三返一 task pays, %s: no cashback is left with d", async (which) => {
    const g = await member();
    const u = await member(g.id);
    const d = await member(u.id);
    const anchor = await completed(d.id);
    const friends = [await member(d.id), await member(d.id), await member(d.id)];
    for (const f of friends.slice(0, 2)) await paid(f.id);
    const task = await db.rebateTask.findUniqueOrThrow({ where: { anchorOrderId: anchor }, include: { assignments: true } });
    expect([task.status, task.assignments.length]).toEqual(["OPEN", 2]);
    // d's forfeit: two friends' 1 000 each (the task OPEN holds no cashback); with the third paid first, 1 000 more and
    // the task MET: 10 000 cashback.
    const third = await race(which, d.id, friends[2]!.id, { "the deletion first": forfeit(2000), "the payment first": forfeit(3000, 10_000) });
    const after = await db.rebateTask.findUniqueOrThrow({ where: { id: task.id }, include: { assignments: true } });
    expect(after.status).toBe("VOID");
    // The deletion first: the task was void when the friend paid, and counts it for nothing; the payment first: it made
    // the task MET (10 000 pending), which the deletion voided and posted back.
    expect(after.assignments.length).toBe(which === "the deletion first" ? 2 : 3);
    const cashback = await db.ledgerEntry.findMany({ where: { memberId: d.id, txn: { kind: { in: ["rebate_accrue", "rebate_void"] } } }, select: { amountFen: true }, orderBy: { id: "asc" } });
    expect(cashback.map((e) => e.amountFen)).toEqual(which === "the deletion first" ? [] : [10_000, -10_000]);
    const dLevel = which === "the deletion first" ? "FORFEITED" : "VOID";
    expect(await earned(third)).toEqual([[d.id, 1000, dLevel], [u.id, 500, "PENDING"], [g.id, 200, "PENDING"]]);
    await nothingLeftWith(d.id, [u.id, g.id, ...friends.map((f) => f.id)]);
  });
});

describe("what deletion erases beyond the member row, and what it keeps", () => {
  it("the phone's SMS code records, the notifications and their WeChat messages go (a queued one is never sent); after-sales, consent and risk records stay", async () => {
    const d = await member();
    const other = await member();
    // d's tea, completed, with a rejected after-sales request and its photo; d's consent at sign-in; a risk event naming d.
    const dOrder = await completed(d.id);
    await db.refundRequest.create({ data: { orderId: dOrder, memberId: d.id, reason: "quality", photos: ["/media/p/d-tea.jpg"], status: "REJECTED", orderStatus: "DELIVERED", createdAt: t0, decidedAt: t0 } });
    await db.legalConsent.create({ data: { memberId: d.id, termsVersion: 1, privacyVersion: 1, channel: "sms", acceptedAt: t0 } });
    await db.riskEvent.create({ data: { rule: "shared_ip", memberIds: [d.id], evidence: { ip: "10.1.2.3" }, createdAt: t0 } });
    // One notification each with its WeChat message queued, and one of d's already sent.
    const notice = async (memberId: number, recipient: string, status: "PENDING" | "SENT") => {
      const n = await db.notification.create({ data: { memberId, kind: "commission", title: "佣金到账", body: "你有一笔佣金到账", createdAt: t0 } });
      await db.channelMessage.create({ data: { notificationId: n.id, memberId, channel: "wechat", kind: "commission", recipient, payload: {}, status, nextAttemptAt: t0, createdAt: t0 } });
    };
    await notice(d.id, "openid-d", "PENDING");
    await notice(d.id, "openid-d", "SENT");
    await notice(other.id, "openid-other", "PENDING");
    const othersNotices = await db.notification.count({ where: { memberId: other.id } });
    // A sign-in code of d's an hour ago, the deletion code now; and one of the other phone.
    await db.otpCode.create({ data: { phoneHash: lookupHash(d.phone), codeHash: "-", expiresAt: t0, usedAt: t0, createdAt: new Date(Date.now() - 3600_000) } });
    const sms = await code(d);
    await code(other);
    expect(await db.otpCode.count({ where: { phoneHash: lookupHash(d.phone) } })).toBe(2);
    expect(await db.notification.count({ where: { memberId: d.id } })).toBeGreaterThanOrEqual(2);

    expect(await deleteVia(d, { code: sms, acceptForfeit: true })).toEqual({ deleted: true });

    expect(await db.otpCode.count({ where: { phoneHash: lookupHash(d.phone) } })).toBe(0);
    expect(await db.otpCode.count({ where: { phoneHash: lookupHash(other.phone) } })).toBe(1);
    expect(await db.notification.count({ where: { memberId: d.id } })).toBe(0);
    expect(await db.channelMessage.count({ where: { memberId: d.id } })).toBe(0);
    expect(await db.notification.count({ where: { memberId: other.id } })).toBe(othersNotices);
    // The sender finds only the other member's message.
    const sent: string[] = [];
    const wechat: MessageChannel = { name: "wechat", send: async (m) => void sent.push(m.recipient) };
    expect(await sendDueChannelMessages(db, new Date(), [wechat])).toBe(1);
    expect(sent).toEqual(["openid-other"]);

    // Kept: the order, its after-sales request with the photo, the consent record, the risk evidence.
    expect(await db.order.count({ where: { memberId: d.id } })).toBe(1);
    expect((await db.refundRequest.findFirstOrThrow({ where: { orderId: dOrder } })).photos).toEqual(["/media/p/d-tea.jpg"]);
    expect(await db.legalConsent.count({ where: { memberId: d.id } })).toBe(1);
    expect(await db.riskEvent.count({ where: { memberIds: { has: d.id } } })).toBe(1);
  });

  it("a deleted account places no order (ACCOUNT_DELETED), and takes no stock", async () => {
    const d = await member();
    expect(await run((ctx) => deleteAsShown(ctx, d.id, false))).toEqual({ deleted: true });
    const stock = async () => (await db.sku.findUniqueOrThrow({ where: { code: "tea" } })).stock;
    const before = await stock();
    expect(await order(d.id).catch((e: DomainError) => e.code)).toBe("ACCOUNT_DELETED");
    expect(await stock()).toBe(before);
    expect(await db.order.count({ where: { memberId: d.id } })).toBe(0);
  });
});

// A checkout request that passed authentication before the deletion revoked its session still reaches createOrder.
describe.runIf(usingPostgres())("注销账号 racing a checkout already past sign-in", () => {
  const ORDERS = ["the deletion first", "the order first"] as const;
  it.each(ORDERS)("%s: the order is refused once the account is deleted, or the deletion while the order is unpaid", async (which) => {
    const d = await member();
    const stock = async () => (await db.sku.findUniqueOrThrow({ where: { code: "tea" } })).stock;
    const before = await stock();
    const del = (ctx: Ctx) => deleteAsShown(ctx, d.id, false);
    const buy = (ctx: Ctx) => createOrder(ctx, { memberId: d.id, lines: [{ sku: "tea", qty: 1 }], address: "addr" });
    // The second waits on d's Member row while the first is held open.
    const b = await (which === "the deletion first" ? interleave(del, buy) : interleave(buy, del));
    if (which === "the deletion first") {
      expect(b).toEqual({ refused: "ACCOUNT_DELETED" });
      expect(await db.order.count({ where: { memberId: d.id } })).toBe(0);
      expect(await stock()).toBe(before);
    } else {
      expect(b).toEqual({ refused: "UNPAID_ORDER" });
      expect((await db.member.findUniqueOrThrow({ where: { id: d.id } })).deletedAt).toBeNull();
      expect(await stock()).toBe(before - 1);
    }
  });
});

// Found in review: the deletion locked d's wallet, then voided d's commissions; the T+1 settlement locks the commission
// rows, then the wallets: a deadlock, which inTx retried. Both now take the commission rows first (bench/README.md "One
// lock order for Member rows"). With the deletion first, the settlement posted the settlement of a commission its update
// no longer matched (refused by the wallet's CHECK, or paying voided money out of other pending money): it now posts
// only the commissions its update settled.
describe.runIf(usingPostgres())("注销账号 racing the T+1 settlement of its commission", () => {
  // c's tea is completed as its window closes (t0 + 1 h + 7 days), confirming d's 1 000 and u's 500; they settle at 00:00 (Shanghai) after that day.
  const T = new Date(t0.getTime() + 9 * DAY);
  it("the settlement first, both waiting on d's commission row: no deadlock; the commission is paid and the balance refuses the deletion", async () => {
    const aborted: string[] = [];
    const racing = recordingAborts(db, aborted);
    const u = await member();
    const d = await member(u.id);
    const c = await member(d.id);
    const cOrder = await completed(c.id);
    const [dCommission] = await db.commission.findMany({ where: { orderId: cOrder, beneficiaryId: d.id } });
    expect([dCommission!.status, dCommission!.amountFen]).toEqual(["CONFIRMED", 1000]);
    const settle = () => inTx(racing, { config, now: T }, (ctx) => advanceCommissionsOfOrder(ctx, cOrder)).then(() => "settled", (e: Error) => e);
    const del = () => inTx(racing, { config, now: T }, (ctx) => deleteAsShown(ctx, d.id, true)).then((r) => r, (e: Error) => e);
    // A third transaction holds d's commission row until the settlement, then the deletion, wait on it.
    const [settled, deleted] = await behind(db, `SELECT id FROM "Commission" WHERE id = $1 FOR UPDATE`, dCommission!.id, settle, del);
    // No transaction was aborted (inTx would have retried a deadlock unseen), and nothing failed.
    expect(aborted).toEqual([]);
    expect(settled).toBe("settled");
    // Paid before the deletion: 10 元 available, which the deletion refuses to forfeit.
    expect(deleted).toBeInstanceOf(DomainError);
    expect((deleted as DomainError).code).toBe("BALANCE_AVAILABLE");
    expect((await db.member.findUniqueOrThrow({ where: { id: d.id } })).deletedAt).toBeNull();
    const earned = (await db.commission.findMany({ where: { orderId: cOrder }, orderBy: { level: "asc" } })).map((r) => [r.beneficiaryId, r.amountFen, r.status]);
    expect(earned).toEqual([[d.id, 1000, "SETTLED"], [u.id, 500, "SETTLED"]]);
    expect(await run((ctx) => walletOf(ctx, d.id))).toMatchObject({ pending: 0, available: 1000 });
    expect(await run((ctx) => walletOf(ctx, u.id))).toMatchObject({ pending: 0, available: 500 });
    for (const m of [u.id, d.id]) expect(await run((ctx) => walletOf(ctx, m))).toEqual(await run((ctx) => walletFromLedger(ctx, m)));
    expect(await db.$queryRawUnsafe<unknown[]>(`SELECT "txnId" FROM "LedgerEntry" GROUP BY "txnId" HAVING sum("amountFen") <> 0`)).toEqual([]);
  });

  it("the deletion first, the settlement having read d's commission as CONFIRMED: it settles u's only, posts nothing for d's, and fails nothing", async () => {
    const aborted: string[] = [];
    const racing = recordingAborts(db, aborted);
    const u = await member();
    const d = await member(u.id);
    const c = await member(d.id);
    const cOrder = await completed(c.id);
    const [dCommission] = await db.commission.findMany({ where: { orderId: cOrder, beneficiaryId: d.id } });
    const settle = () => inTx(racing, { config, now: T }, (ctx) => advanceCommissionsOfOrder(ctx, cOrder)).then(() => "settled", (e: Error) => e);
    const del = () => inTx(racing, { config, now: T }, (ctx) => deleteAsShown(ctx, d.id, true)).then((r) => r, (e: Error) => e);
    // The deletion queues on d's commission row first; the settlement reads the order's commissions, then queues behind it.
    const [deleted, settled] = await behind(db, `SELECT id FROM "Commission" WHERE id = $1 FOR UPDATE`, dCommission!.id, del, settle);
    expect(aborted).toEqual([]);
    expect(deleted).toEqual({ deleted: true });
    expect(settled).toBe("settled");
    // d's 1 000 forfeited by the deletion (never settled); u's 500 (L2) settled.
    const earned = (await db.commission.findMany({ where: { orderId: cOrder }, orderBy: { level: "asc" } })).map((r) => [r.beneficiaryId, r.amountFen, r.status]);
    expect(earned).toEqual([[d.id, 1000, "VOID"], [u.id, 500, "SETTLED"]]);
    expect(await db.ledgerTxn.count({ where: { key: `commission:${dCommission!.id}:settle` } })).toBe(0);
    expect(await run((ctx) => walletOf(ctx, d.id))).toMatchObject({ pending: 0, available: 0 });
    expect(await run((ctx) => walletOf(ctx, u.id))).toMatchObject({ pending: 0, available: 500 });
    for (const m of [u.id, d.id]) expect(await run((ctx) => walletOf(ctx, m))).toEqual(await run((ctx) => walletFromLedger(ctx, m)));
    expect(await db.$queryRawUnsafe<unknown[]>(`SELECT "txnId" FROM "LedgerEntry" GROUP BY "txnId" HAVING sum("amountFen") <> 0`)).toEqual([]);
  });
});

// Found in review: the tick accepted whatever deletion would forfeit when it ran: the page showed 10 元, a downline's
// order added more before the code was submitted, and deletion voided it all. The request now carries what it showed.
describe("注销账号 when what it forfeits changed after the page showed it", () => {
  it("is refused with FORFEIT_CHANGED before the code is spent; with the new figures the same code deletes", async () => {
    const d = await member();
    await paid((await member(d.id)).id); // a direct's 100 元 tea: d's level 1, 10 % = 1 000
    const shown = (await callerFor(db, d.id).account.deletion()).forfeit;
    expect(shown).toEqual({ commissionFen: 1000, cashbackFen: 0, creditFen: 0 });
    const sms = await code(d);
    await paid((await member(d.id)).id); // another direct pays meanwhile: 1 000 more
    expect(await domainRefusal(deleteVia(d, { code: sms, acceptForfeit: true, shown }))).toBe("FORFEIT_CHANGED");
    expect((await db.member.findUniqueOrThrow({ where: { id: d.id } })).deletedAt).toBeNull();
    expect(await db.commission.count({ where: { beneficiaryId: d.id, status: "PENDING" } })).toBe(2);
    expect(await deleteVia(d, { code: sms, acceptForfeit: true, shown: { commissionFen: 2000, cashbackFen: 0, creditFen: 0 } })).toEqual({ deleted: true });
    expect(await db.commission.count({ where: { beneficiaryId: d.id, status: "VOID" } })).toBe(2);
  });

  it("is checked again under the deletion's locks, also when the page showed nothing to forfeit", async () => {
    const d = await member();
    await run((c) => fromMerchant(c, `credit:${d.id}`, "credit_return", "merchant:credit_redeemed", d.id, "credit", 300));
    const refusal = (shown: ForfeitTotals, acceptForfeit: boolean) => run((ctx) => deleteMemberAccount(ctx, d.id, { acceptForfeit, shown })).catch((e: DomainError) => e.code);
    expect(await refusal({ commissionFen: 0, cashbackFen: 0, creditFen: 200 }, true)).toBe("FORFEIT_CHANGED");
    // A page that showed nothing had no tick to give: the figures changed, not a tick missing.
    expect(await refusal({ commissionFen: 0, cashbackFen: 0, creditFen: 0 }, false)).toBe("FORFEIT_CHANGED");
    expect(await refusal({ commissionFen: 0, cashbackFen: 0, creditFen: 300 }, false)).toBe("FORFEIT_NOT_ACCEPTED");
    expect((await db.member.findUniqueOrThrow({ where: { id: d.id } })).deletedAt).toBeNull();
    expect(await run((c) => walletOf(c, d.id))).toMatchObject({ credit: 300 });
    expect(await run((ctx) => deleteMemberAccount(ctx, d.id, { acceptForfeit: true, shown: { commissionFen: 0, cashbackFen: 0, creditFen: 300 } }))).toEqual({ deleted: true });
    expect(await run((c) => walletOf(c, d.id))).toMatchObject({ credit: 0 });
  });
});

describe("the confirmation code", () => {
  it("is checked on the real clock, as it was sent: a test clock moved a month ahead does not expire a code just sent", async () => {
    const m = await member();
    const sms = await code(m);
    expect(await confirmAccountDeletion(db, m.id, { code: sms, acceptForfeit: false, shown: { commissionFen: 0, cashbackFen: 0, creditFen: 0 } }, new Date(Date.now() + 30 * DAY))).toEqual({ deleted: true });
  });
});

describe("the refusals' words", () => {
  it("zh-CN says what the server refuses with; every refusal has an English key", () => {
    for (const [code, message] of Object.entries({ ...DELETION_BLOCKER_MESSAGE, FORFEIT_NOT_ACCEPTED, FORFEIT_CHANGED })) {
      expect(accountZhCN[`error.${code}` as keyof typeof accountZhCN]).toBe(message);
      expect(accountEn[`error.${code}` as keyof typeof accountEn]).toMatch(/^[^\u4e00-\u9fff]+$/);
    }
  });
});

describe("the 注销账号 page", () => {
  const fakeRouter = { back() {}, forward() {}, refresh() {}, push() {}, replace() {}, prefetch() {}, hmrRefresh() {} };
  /** The page as the server streams it to `memberId` in `locale`, inside the app's providers. */
  async function render(memberId: number, locale: Locale) {
    page.memberId = memberId;
    page.locale = locale;
    const { default: DeleteAccountPage } = await import("../../app/me/delete/page");
    const queryClient = createQueryClient();
    const trpcClient = makeTrpcClient();
    const providers = (children: React.ReactNode) =>
      createElement(
        AppRouterContext.Provider,
        { value: fakeRouter as never },
        createElement(I18nProvider, { locale, messages: MESSAGES[locale], children: null }, createElement(QueryClientProvider, { client: queryClient }, createElement(TRPCProvider, { trpcClient, queryClient, children: null }, children))),
      );
    const stream = await renderToReadableStream(providers(await DeleteAccountPage()));
    await stream.allReady;
    return new Response(stream).text();
  }
  /** The items of the page's list under the heading `id`. */
  const items = (html: string, id: string) => [...new RegExp(`<h2 id="${id}"[^>]*>.*?</ul>`).exec(html)![0].matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]);

  it("says the notifications and SMS codes are erased, and the after-sales, consent and risk records kept", async () => {
    const m = await member();
    const zh = await render(m.id, "zh-CN");
    expect(items(zh, "erased")).toContain("站内消息、微信通知和短信验证码记录");
    expect(items(zh, "kept").at(-1)).toMatch(/^售后申请（含上传的照片）、你同意用户协议和隐私政策的记录、风控记录/);
    const en = await render(m.id, "en");
    expect(items(en, "erased")).toContain("Your in-app messages, WeChat notifications and SMS code records");
    expect(items(en, "kept").at(-1)).toMatch(/^After-sales requests \(with the photos you uploaded\), your consent to the Terms and the Privacy Policy, and risk-control records/);
  });
});
