// SPEC §6: from 50 000 元 a member's withdrawals need two different approvers, reckoned per merchant-calendar day —
// a 重新打款 of a failed payout takes the money again on the day of the retry, so it counts with that day's others and
// cannot pay a day's 60 000 元 on one approver. SPEC §8: an approved withdrawal of a member frozen since is never paid,
// so the review queue and the payout panel show it to staff (who reject it, or wait for the freeze to be lifted).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, DomainError } from "../../server/context";
import { registerMember } from "../../server/referral";
import { fromMerchant, walletOf, walletFromLedger } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { approveWithdrawalNow, rejectWithdrawal, requestWithdrawal, retryFailedPayoutNow } from "../../server/wallet/withdrawals";
import { payingStatus, withdrawalQueue } from "../../server/wallet/review";
import { backOfficeHome } from "../../server/kpi/home";
import { freshDatabase } from "../helpers/db";
import { nextTestIdNumber } from "../helpers/id-numbers";

let database: Database;
let member: number;
let staffA: number;
let staffB: number;
const VALID_ID = "11010519491231002X";
// Merchant calendar (Asia/Shanghai): 10:00 on 1 and 2 December 2026.
const DAY1 = new Date("2026-12-01T02:00:00Z");
const DAY2 = new Date("2026-12-02T02:00:00Z");

const at = <T,>(now: Date, fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { now }, fn);
const code = async (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof DomainError ? e.code : String(e)));
const row = (id: number) => database.prisma.withdrawal.findUniqueOrThrow({ where: { id } });
const wallet = () => walletOf({ tx: database.prisma }, member);

/** The sandbox refuses payouts to 测试失败; this gives the member a payable name (as when their account is fixed). */
async function fixPayee() {
  const donor = (await at(DAY1, (ctx) => registerMember(ctx, { username: "donor", ip: "9.9.9.9", device: "d9" }))).id;
  await at(DAY1, (ctx) => verifyIdentity(ctx, donor, { realName: "张三丰", idNumber: nextTestIdNumber() }));
  const { realNameEnc } = await database.prisma.member.findUniqueOrThrow({ where: { id: donor } });
  await database.prisma.member.update({ where: { id: member }, data: { realNameEnc } });
}

beforeEach(async () => {
  database = await freshDatabase();
  const staff = (username: string) => database.prisma.staffAccount.create({ data: { username, displayName: username, role: "finance", passwordHash: "x", createdAt: DAY1 } });
  staffA = (await staff("fa")).id;
  staffB = (await staff("fb")).id;
  member = (await at(DAY1, (ctx) => registerMember(ctx, { username: "shopper", ip: "1.1.1.1", device: "d1" }))).id;
  // 200 000 元 available, no withdrawal fee (the default settings).
  await at(DAY1, (ctx) => fromMerchant(ctx, "fund", "test", "merchant:commission", member, "available", 20_000_000));
  await at(DAY1, (ctx) => verifyIdentity(ctx, member, { realName: "测试失败", idNumber: VALID_ID }));
});
afterEach(() => database.close());

describe("重新打款 and the two-approver threshold", () => {
  it("a same-day retry that brings the day to 60 000 元 waits for a second, different approver", async () => {
    // 30 000 元: above 2 000 元, below 50 000 元 — one approver. A approves; the payout fails.
    const first = await at(DAY1, (ctx) => requestWithdrawal(ctx, member, 3_000_000));
    expect(first).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 1 });
    expect((await approveWithdrawalNow(database.prisma, first.id, { staffId: staffA }, DAY1)).status).toBe("FAILED");
    await fixPayee();
    // Another 30 000 元 the same day: the failed one went back, so one approver again; A approves, it is paid.
    const second = await at(DAY1, (ctx) => requestWithdrawal(ctx, member, 3_000_000));
    expect(second).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 1 });
    expect((await approveWithdrawalNow(database.prisma, second.id, { staffId: staffA }, DAY1)).status).toBe("PAID");

    // A retries the first: 30 000 + 30 000 = 60 000 元 today, two different approvers; A is only one.
    expect(await retryFailedPayoutNow(database.prisma, first.id, { staffId: staffA }, DAY1)).toEqual({ id: first.id, status: "PENDING_REVIEW" });
    expect(await row(first.id)).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 2, payoutAttempt: 2, payoutNo: `WD${first.id}-2` });
    // Held again, not paid: 200 000 − 30 000 paid − 30 000 held.
    expect(await wallet()).toMatchObject({ available: 14_000_000, withdrawing: 3_000_000, withdrawn: 3_000_000 });
    expect(await database.prisma.providerCall.count({ where: { idempotencyNo: `WD${first.id}-2` } })).toBe(0);
    const queued = (await withdrawalQueue(database.prisma, {}, staffA)).items.find((w) => w.id === first.id)!;
    expect(queued).toMatchObject({ status: "PENDING_REVIEW", approvedCount: 1, approvalsNeeded: 2, approvedByMe: true });

    // A cannot approve it twice; B's approval completes it and it is paid.
    expect(await code(approveWithdrawalNow(database.prisma, first.id, { staffId: staffA }, DAY1))).toBe("ALREADY_APPROVED");
    expect((await approveWithdrawalNow(database.prisma, first.id, { staffId: staffB }, DAY1)).status).toBe("PAID");
    expect(await wallet()).toMatchObject({ available: 14_000_000, withdrawing: 0, withdrawn: 6_000_000 });
    expect(await walletFromLedger({ tx: database.prisma }, member)).toEqual(await wallet());
    const retried = await database.prisma.auditLog.findFirstOrThrow({ where: { action: "withdrawal.payout_retried", target: `withdrawal:${first.id}` } });
    expect(retried.after).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 2 });
  });

  it("a retry awaiting the second approver can be rejected, the money back in available", async () => {
    const first = await at(DAY1, (ctx) => requestWithdrawal(ctx, member, 3_000_000));
    await approveWithdrawalNow(database.prisma, first.id, { staffId: staffA }, DAY1);
    await fixPayee();
    const second = await at(DAY1, (ctx) => requestWithdrawal(ctx, member, 3_000_000));
    await approveWithdrawalNow(database.prisma, second.id, { staffId: staffA }, DAY1);
    expect((await retryFailedPayoutNow(database.prisma, first.id, { staffId: staffA }, DAY1)).status).toBe("PENDING_REVIEW");
    await at(DAY1, (ctx) => rejectWithdrawal(ctx, first.id, { staffId: staffB }, "当日累计超限"));
    // Only the second withdrawal's 30 000 元 left the wallet.
    expect(await wallet()).toMatchObject({ available: 17_000_000, withdrawing: 0, withdrawn: 3_000_000 });
  });

  it("a retry on a later day counts with that day's requests, also a request made after it", async () => {
    // Day 1: 30 000 元, A approves, the payout fails.
    const first = await at(DAY1, (ctx) => requestWithdrawal(ctx, member, 3_000_000));
    await approveWithdrawalNow(database.prisma, first.id, { staffId: staffA }, DAY1);
    await fixPayee();
    // Day 2: A retries it first. Day 2 holds 30 000 元 so far: one approver, which it has — paid.
    expect(await retryFailedPayoutNow(database.prisma, first.id, { staffId: staffA }, DAY2)).toEqual({ id: first.id, status: "PAID" });
    // Then 30 000 元 more on day 2: 60 000 元 taken that day — two approvers.
    const second = await at(DAY2, (ctx) => requestWithdrawal(ctx, member, 3_000_000));
    expect(second).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 2 });
    expect((await approveWithdrawalNow(database.prisma, second.id, { staffId: staffA }, DAY2)).status).toBe("PENDING_REVIEW");
    expect((await approveWithdrawalNow(database.prisma, second.id, { staffId: staffB }, DAY2)).status).toBe("PAID");
  });

  it("a later-day retry after that day's paid request also waits for a second approver", async () => {
    const first = await at(DAY1, (ctx) => requestWithdrawal(ctx, member, 3_000_000));
    await approveWithdrawalNow(database.prisma, first.id, { staffId: staffA }, DAY1);
    await fixPayee();
    const second = await at(DAY2, (ctx) => requestWithdrawal(ctx, member, 3_000_000));
    expect(second).toMatchObject({ approvalsNeeded: 1 });
    await approveWithdrawalNow(database.prisma, second.id, { staffId: staffA }, DAY2);
    // Day 2: 30 000 paid + 30 000 retried = 60 000 元.
    expect((await retryFailedPayoutNow(database.prisma, first.id, { staffId: staffA }, DAY2)).status).toBe("PENDING_REVIEW");
    expect(await row(first.id)).toMatchObject({ approvalsNeeded: 2 });
  });
});

describe("an approved withdrawal of a member frozen before its payout", () => {
  it("is marked in the queue and counted in the payout panel until it is rejected", async () => {
    const w = await at(DAY1, (ctx) => requestWithdrawal(ctx, member, 300_000));
    const pending = await at(DAY1, (ctx) => requestWithdrawal(ctx, member, 400_000));
    // Approved (the payout not run yet), then the member is frozen.
    await database.prisma.withdrawal.update({ where: { id: w.id }, data: { status: "APPROVED" } });
    let panel = await payingStatus(database.prisma);
    expect(panel).toMatchObject({ blockedCount: 0, blocked: [] });
    await database.prisma.member.update({ where: { id: member }, data: { frozen: true, frozenAt: DAY1 } });

    const items = (await withdrawalQueue(database.prisma, {}, staffA)).items;
    expect(items.find((r) => r.id === w.id)).toMatchObject({ status: "APPROVED", payoutBlocked: true });
    // Awaiting review is not blocked from paying: approving it is refused (FROZEN) and says so.
    expect(items.find((r) => r.id === pending.id)).toMatchObject({ status: "PENDING_REVIEW", payoutBlocked: false });
    panel = await payingStatus(database.prisma);
    expect(panel).toMatchObject({ blockedCount: 1, blocked: [{ id: w.id, payoutNo: `WD${w.id}`, memberId: member, netFen: 300_000 }] });
    // The back-office home tells finance (and only the roles of withdrawals) about it too.
    const home = (role: "finance" | "operator") => backOfficeHome(database.prisma, DAY1, "Asia/Shanghai", role).then((h) => h.todo.payoutsBlocked);
    expect([await home("finance"), await home("operator")]).toEqual([1, null]);

    await at(DAY1, (ctx) => rejectWithdrawal(ctx, w.id, { staffId: staffA }, "会员已冻结"));
    expect(await payingStatus(database.prisma)).toMatchObject({ blockedCount: 0, blocked: [] });
    expect(await home("finance")).toBe(0);
  });

  it("is no longer marked once the freeze is lifted", async () => {
    const w = await at(DAY1, (ctx) => requestWithdrawal(ctx, member, 300_000));
    await database.prisma.withdrawal.update({ where: { id: w.id }, data: { status: "APPROVED" } });
    await database.prisma.member.update({ where: { id: member }, data: { frozen: true, frozenAt: DAY1 } });
    expect((await payingStatus(database.prisma)).blockedCount).toBe(1);
    await database.prisma.member.update({ where: { id: member }, data: { frozen: false } });
    expect((await withdrawalQueue(database.prisma, {}, staffA)).items[0]).toMatchObject({ id: w.id, payoutBlocked: false });
    expect((await payingStatus(database.prisma)).blockedCount).toBe(0);
  });
});
