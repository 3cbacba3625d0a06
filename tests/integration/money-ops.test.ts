// Money operations of the back office (issue 9): the withdrawal fee to the fen, batch approval with a
// mixed set (no row half-applied, a second click changes nothing), payout retry, the reconciler's
// status, and background exports — through the same domain functions the routers call.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, DomainError, loadConfig } from "../../server/context";
import { registerMember } from "../../server/referral";
import { fromMerchant, walletOf, walletFromLedger } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { approveWithdrawals, requestWithdrawal, retryFailedPayoutNow, executePayout } from "../../server/wallet/withdrawals";
import { quoteWithdrawal, updateMoneySettings, withdrawalFeeFor } from "../../server/wallet/fee";
import { payingStatus, withdrawalQueue } from "../../server/wallet/review";
import { performDueProviderCalls, reconcilePayingWithdrawals } from "../../server/payments/calls";
import { queueExport, runQueuedExports, openExportFile, myExports } from "../../server/exports/jobs";
import { exportFileText } from "../helpers/export-file";
import { withdrawalFilterFromSearch } from "../../server/exports/withdrawals";
import { LocalDiskStorage } from "../../server/storage";
import { freshDatabase } from "../helpers/db";
import { nextTestIdNumber } from "../helpers/id-numbers";

let database: Database;
let member: number;
let other: number;
let staffA: number;
let staffB: number;
let owner: number;
const VALID_ID = "11010519491231002X";

const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, {}, fn);
const code = async (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof DomainError ? e.code : String(e)));

async function ledgerBalances() {
  // Every transaction sums to zero, and every member wallet equals its ledger.
  const unbalanced = await database.prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (SELECT "txnId" FROM "LedgerEntry" GROUP BY "txnId" HAVING sum("amountFen") <> 0) t`;
  expect(Number(unbalanced[0]!.n)).toBe(0);
  for (const m of [member, other]) expect(await walletFromLedger({ tx: database.prisma }, m)).toEqual(await walletOf({ tx: database.prisma }, m));
}

async function accountSum(account: string): Promise<number> {
  const r = await database.prisma.ledgerEntry.aggregate({ where: { account }, _sum: { amountFen: true } });
  return r._sum.amountFen ?? 0;
}

beforeEach(async () => {
  database = await freshDatabase();
  const staff = (username: string, role: "finance" | "owner") => database.prisma.staffAccount.create({ data: { username, displayName: username, role, passwordHash: "x", createdAt: new Date() } });
  staffA = (await staff("fa", "finance")).id;
  staffB = (await staff("fb", "finance")).id;
  owner = (await staff("boss", "owner")).id;
  member = (await run((ctx) => registerMember(ctx, { username: "shopper", ip: "1.1.1.1", device: "d1" }))).id;
  other = (await run((ctx) => registerMember(ctx, { username: "payee-fails", ip: "2.2.2.2", device: "d2" }))).id;
  for (const m of [member, other]) await run((ctx) => fromMerchant(ctx, `fund:${m}`, "test", "merchant:commission", m, "available", 20_000_000));
  await run((ctx) => verifyIdentity(ctx, member, { realName: "张三丰", idNumber: VALID_ID }));
  // The sandbox provider refuses payouts to this name: the failed-payout path.
  await run((ctx) => verifyIdentity(ctx, other, { realName: "测试失败", idNumber: nextTestIdNumber() }));
});
afterEach(() => database.close());

const setFee = (feeBps: number, feeMinFen: number, adjustmentApprovalAboveFen = 100_000) =>
  run((ctx) => updateMoneySettings(ctx, { staffId: owner }, { feeBps, feeMinFen, adjustmentApprovalAboveFen }));

describe("withdrawal fee", () => {
  it("is floor(amount × bps / 10000) with the minimum, and nothing when both are 0", () => {
    expect(withdrawalFeeFor(10_000, { feeBps: 0, feeMinFen: 0 })).toBe(0);
    expect(withdrawalFeeFor(12_345, { feeBps: 60, feeMinFen: 0 })).toBe(74); // 74.07 → 74
    expect(withdrawalFeeFor(10_000, { feeBps: 60, feeMinFen: 100 })).toBe(100); // 60 < minimum 100
    expect(withdrawalFeeFor(1_000_000, { feeBps: 60, feeMinFen: 100 })).toBe(6_000);
    expect(withdrawalFeeFor(16_666, { feeBps: 60, feeMinFen: 100 })).toBe(100); // 99.99 → 99 → minimum
    expect(withdrawalFeeFor(16_667, { feeBps: 60, feeMinFen: 100 })).toBe(100); // exactly 100.002 → 100
    expect(withdrawalFeeFor(16_834, { feeBps: 60, feeMinFen: 100 })).toBe(101);
    expect(withdrawalFeeFor(50_000, { feeBps: 0, feeMinFen: 200 })).toBe(200); // flat fee
    expect(quoteWithdrawal({ withdrawal: { feeBps: 60, feeMinFen: 100 } }, 250_000)).toEqual({ amountFen: 250_000, feeFen: 1_500, netFen: 248_500 });
  });

  it("is charged at request as its own ledger entry, paid out net, refunded in full on rejection", async () => {
    await setFee(60, 100);
    const w = await run((ctx) => requestWithdrawal(ctx, member, 150_000, { expectedFeeFen: 900 }));
    expect(w).toMatchObject({ status: "APPROVED", feeFen: 900 });
    expect(await walletOf({ tx: database.prisma }, member)).toMatchObject({ available: 20_000_000 - 150_000, withdrawing: 149_100 });
    const feeTxn = await database.prisma.ledgerTxn.findUniqueOrThrow({ where: { key: `withdrawal:${w.id}:fee` }, include: { entries: true } });
    expect(feeTxn.kind).toBe("withdrawal_fee");
    expect(feeTxn.entries.map((e) => [e.account, e.amountFen]).sort()).toEqual([[`member:${member}:available`, -900], ["merchant:withdrawal_fee", 900]]);
    expect(await executePayout(database.prisma, w.id)).toBe("PAID");
    expect((await database.prisma.providerCall.findUniqueOrThrow({ where: { idempotencyNo: `WD${w.id}` } })).amountFen).toBe(149_100);
    expect(await walletOf({ tx: database.prisma }, member)).toMatchObject({ withdrawing: 0, withdrawn: 149_100 });

    // A fee the shopper did not see is refused, nothing taken.
    expect(await code(run((ctx) => requestWithdrawal(ctx, member, 300_000, { expectedFeeFen: 900 })))).toBe("FEE_CHANGED");
    const big = await run((ctx) => requestWithdrawal(ctx, member, 300_000, { expectedFeeFen: 1_800 }));
    expect(big.status).toBe("PENDING_REVIEW");
    const before = await walletOf({ tx: database.prisma }, member);
    await run(async (ctx) => (await import("../../server/wallet/withdrawals")).rejectWithdrawal(ctx, big.id, { staffId: staffA }, "资料不符"));
    const after = await walletOf({ tx: database.prisma }, member);
    expect(after.available - before.available).toBe(300_000);
    expect(after.withdrawing).toBe(0);
    expect(await accountSum("merchant:withdrawal_fee")).toBe(900); // only the paid withdrawal's fee stays
    await ledgerBalances();
  });

  it("settings are owner-validated and audited with before and after", async () => {
    expect(await code(setFee(10_001, 0))).toBe("INVALID_SETTINGS");
    await setFee(50, 200, 500_000);
    expect((await loadConfig(database.prisma)).withdrawal).toEqual({ feeBps: 50, feeMinFen: 200 });
    const entry = await database.prisma.auditLog.findFirstOrThrow({ where: { action: "settings.money_changed" } });
    expect(entry.before).toMatchObject({ feeBps: 0, feeMinFen: 0, adjustmentApprovalAboveFen: 100_000 });
    expect(entry.after).toMatchObject({ feeBps: 50, feeMinFen: 200, adjustmentApprovalAboveFen: 500_000 });
  });
});

describe("batch approval", () => {
  it("approves each row on its own: refused rows change nothing, a second click changes nothing", async () => {
    // The day's first, within 2 000 元: auto-approved, not pending (the later ones count it in their day total).
    const auto = await run((ctx) => requestWithdrawal(ctx, member, 100_000));
    const ok1 = await run((ctx) => requestWithdrawal(ctx, member, 300_000));
    const ok2 = await run((ctx) => requestWithdrawal(ctx, member, 400_000));
    const already = await run((ctx) => requestWithdrawal(ctx, member, 250_000));
    await approveWithdrawals(database.prisma, [already.id], { staffId: staffB }, new Date());
    await performDueProviderCalls(database.prisma, new Date());
    const twoNeeded = await run((ctx) => requestWithdrawal(ctx, member, 5_000_000));
    const failing = await run((ctx) => requestWithdrawal(ctx, other, 300_000));
    const ids = [ok1.id, ok2.id, twoNeeded.id, already.id, failing.id, auto.id, 999_999];
    const before = await walletOf({ tx: database.prisma }, member);

    const results = await approveWithdrawals(database.prisma, ids, { staffId: staffA }, new Date());
    const by = new Map(results.map((r) => [r.id, r]));
    // Approved ones are queued for payout (打款中); the provider is asked after the batch answered.
    expect(by.get(ok1.id)).toMatchObject({ outcome: "approved", status: "PAYING" });
    expect(by.get(ok2.id)).toMatchObject({ outcome: "approved", status: "PAYING" });
    expect(by.get(twoNeeded.id)).toMatchObject({ outcome: "recorded", status: "PENDING_REVIEW" });
    expect(by.get(already.id)).toMatchObject({ outcome: "refused", code: "NOT_PENDING" });
    expect(by.get(failing.id)).toMatchObject({ outcome: "approved", status: "PAYING" });
    expect(by.get(auto.id)).toMatchObject({ outcome: "refused", code: "NOT_PENDING" });
    expect(by.get(999_999)).toMatchObject({ outcome: "refused", code: "NOT_FOUND" });
    expect(await performDueProviderCalls(database.prisma, new Date())).toBe(3);
    const statusOf = async (id: number) => (await database.prisma.withdrawal.findUniqueOrThrow({ where: { id } })).status;
    expect([await statusOf(ok1.id), await statusOf(ok2.id)]).toEqual(["PAID", "PAID"]);
    expect(await statusOf(failing.id)).toBe("FAILED"); // the provider refused: money back

    // Refused rows: no approval row, no ledger movement, no audit entry from this batch.
    expect(await database.prisma.withdrawalApproval.count({ where: { staffId: staffA, withdrawalId: { in: [already.id, auto.id] } } })).toBe(0);
    const after = await walletOf({ tx: database.prisma }, member);
    expect(after.withdrawn - before.withdrawn).toBe(700_000);
    expect(after.withdrawing).toBe(before.withdrawing - 700_000);
    expect(await walletOf({ tx: database.prisma }, other)).toMatchObject({ available: 20_000_000, withdrawing: 0 });

    // Clicked again: every row refused, nothing changes.
    const counts = async () => [await database.prisma.withdrawalApproval.count(), await database.prisma.ledgerTxn.count(), await database.prisma.auditLog.count()];
    const snapshot = await counts();
    const again = await approveWithdrawals(database.prisma, ids, { staffId: staffA }, new Date());
    expect(again.every((r) => r.outcome === "refused")).toBe(true);
    expect(again.find((r) => r.id === twoNeeded.id)?.code).toBe("ALREADY_APPROVED");
    expect(await counts()).toEqual(snapshot);

    // The second, different approver completes the 50 000 元 one.
    expect((await approveWithdrawals(database.prisma, [twoNeeded.id], { staffId: staffB }, new Date()))[0]).toMatchObject({ outcome: "approved", status: "PAYING" });
    await performDueProviderCalls(database.prisma, new Date());
    expect(await statusOf(twoNeeded.id)).toBe("PAID");
    const audits = await database.prisma.auditLog.findMany({ where: { action: "withdrawal.approved", target: `withdrawal:${twoNeeded.id}` } });
    expect(audits.map((a) => a.actorId).sort()).toEqual([staffA, staffB].sort());
    await ledgerBalances();
  });
});

describe("payout retry and the reconciler", () => {
  it("retries a failed payout as a new attempt with its own payout number and ledger keys", async () => {
    await setFee(60, 100);
    const w = await run((ctx) => requestWithdrawal(ctx, other, 150_000));
    expect(await executePayout(database.prisma, w.id)).toBe("FAILED");
    expect(await walletOf({ tx: database.prisma }, other)).toMatchObject({ available: 20_000_000, withdrawing: 0 });
    expect(await code(retryFailedPayoutNow(database.prisma, 999_999, { staffId: staffA }, new Date()))).toBe("NOT_FOUND");
    // Still refused by the provider: fails again, money back again, no key reused.
    expect(await retryFailedPayoutNow(database.prisma, w.id, { staffId: staffA }, new Date())).toEqual({ id: w.id, status: "FAILED" });
    const row = await database.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } });
    expect(row).toMatchObject({ payoutAttempt: 2, payoutNo: `WD${w.id}-2`, status: "FAILED" });
    expect(await database.prisma.ledgerTxn.count({ where: { key: { startsWith: `withdrawal:${w.id}:a2:` } } })).toBe(4); // fee, hold, release, fee_refund
    expect(await walletOf({ tx: database.prisma }, other)).toMatchObject({ available: 20_000_000, withdrawing: 0 });
    // The payee's account is fixed: the next retry pays.
    await database.prisma.member.update({ where: { id: other }, data: { realNameEnc: (await database.prisma.member.findUniqueOrThrow({ where: { id: member } })).realNameEnc } });
    expect(await retryFailedPayoutNow(database.prisma, w.id, { staffId: staffA }, new Date())).toEqual({ id: w.id, status: "PAID" });
    expect(await walletOf({ tx: database.prisma }, other)).toMatchObject({ available: 20_000_000 - 150_000, withdrawn: 149_100 });
    expect(await code(retryFailedPayoutNow(database.prisma, w.id, { staffId: staffA }, new Date()))).toBe("NOT_FAILED");
    expect(await database.prisma.auditLog.count({ where: { action: "withdrawal.payout_retried", target: `withdrawal:${w.id}` } })).toBe(2);
    await ledgerBalances();
  });

  it("refuses a retry when the member has spent the money meanwhile", async () => {
    const w = await run((ctx) => requestWithdrawal(ctx, other, 19_000_000));
    await approveWithdrawals(database.prisma, [w.id], { staffId: staffA }, new Date());
    await approveWithdrawals(database.prisma, [w.id], { staffId: staffB }, new Date());
    await performDueProviderCalls(database.prisma, new Date());
    expect((await database.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).status).toBe("FAILED");
    await run((ctx) => fromMerchant(ctx, "spend", "test", "merchant:credit_redeemed", other, "available", -10_000_000));
    expect(await code(retryFailedPayoutNow(database.prisma, w.id, { staffId: staffA }, new Date()))).toBe("INSUFFICIENT_BALANCE");
    expect((await database.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).status).toBe("FAILED");
  });

  it("shows the last run and each PAYING withdrawal's last provider answer", async () => {
    const w = await run((ctx) => requestWithdrawal(ctx, member, 150_000));
    // PAYING with a call the provider has not answered yet (as after a crash).
    await database.prisma.withdrawal.update({ where: { id: w.id }, data: { status: "PAYING" } });
    let s = await payingStatus(database.prisma);
    expect(s.lastRunAt).toBeNull();
    expect(s.paying).toMatchObject([{ id: w.id, payoutNo: `WD${w.id}`, call: null }]);
    const at = new Date("2026-12-01T02:00:00Z");
    expect(await reconcilePayingWithdrawals(database.prisma, at)).toBe(1);
    s = await payingStatus(database.prisma);
    expect(s).toMatchObject({ lastRunAt: at, lastOkAt: at, lastError: null, lastClosed: 1, payingCount: 0 });
  });
});

describe("queue filters", () => {
  it("filters by status, member, amount and date, and marks rows this account approved", async () => {
    const a = await run((ctx) => requestWithdrawal(ctx, member, 300_000));
    await run((ctx) => requestWithdrawal(ctx, member, 600_000));
    await run((ctx) => requestWithdrawal(ctx, other, 300_000));
    await approveWithdrawals(database.prisma, [a.id], { staffId: staffA }, new Date());
    const q = (f: Parameters<typeof withdrawalQueue>[1]) => withdrawalQueue(database.prisma, f, staffA);
    expect((await q({ status: "PENDING_REVIEW" })).total).toBe(2);
    expect((await q({ member: "payee" })).items.map((r) => r.memberId)).toEqual([other]);
    expect((await q({ member: `#${member}` })).total).toBe(2);
    expect((await q({ minFen: 300_001, maxFen: 600_000 })).items.map((r) => r.amountFen)).toEqual([600_000]);
    expect((await q({ from: "2000-01-01", to: "2000-01-02" })).total).toBe(0);
    expect((await q({ sort: "amountFen.desc" })).items[0]!.amountFen).toBe(600_000);
    const mine = (await q({})).items.find((r) => r.id === a.id)!;
    expect(mine.approvedByMe).toBe(true);
    expect(await code(q({ minFen: 2, maxFen: 1 }))).toBe("INVALID_RANGE");
    expect(withdrawalFilterFromSearch(new URLSearchParams("min=100&max=2000.5&status=PAID"))).toEqual({ minFen: 10_000, maxFen: 200_050, status: "PAID" });
    expect(withdrawalFilterFromSearch(new URLSearchParams("min=abc"))).toBeNull();
  });
});

describe("background exports", () => {
  it("writes the file with progress, for its requester only, while their role allows the list", async () => {
    for (let i = 0; i < 3; i++) await run((ctx) => requestWithdrawal(ctx, member, 300_000 + i));
    const dir = mkdtempSync(path.join(tmpdir(), "fm-exports-"));
    try {
      const storage = new LocalDiskStorage(dir);
      const job = await run((ctx) => queueExport(ctx, { staffId: staffA }, { kind: "withdrawals", filter: { status: "PENDING_REVIEW" }, rowsTotal: 3, fileName: "提现记录.csv" }));
      expect((await myExports(database.prisma, { staffId: staffA, role: "finance" }))[0]).toMatchObject({ status: "QUEUED", canDownload: false });
      expect(await runQueuedExports(database.prisma, storage)).toBe(1);
      expect(await runQueuedExports(database.prisma, storage)).toBe(0);
      expect((await myExports(database.prisma, { staffId: staffA, role: "finance" }))[0]).toMatchObject({ id: job.id, status: "DONE", rowsDone: 3, canDownload: true });
      const text = await exportFileText(database.prisma, storage, { staffId: staffA, role: "finance" }, job.id);
      expect(text.charCodeAt(0)).toBe(0xfeff);
      const lines = text.slice(1).trim().split("\n");
      expect(lines[0]).toContain("申请金额(元)");
      expect(lines).toHaveLength(4);
      expect(text).toContain("3000.02");
      // Another staff member, or the same one after losing the role: refused.
      expect(await code(openExportFile(database.prisma, storage, { staffId: staffB, role: "finance" }, job.id))).toBe("NOT_FOUND");
      expect(await code(openExportFile(database.prisma, storage, { staffId: staffA, role: "operator" }, job.id))).toBe("FORBIDDEN");
      expect(await database.prisma.auditLog.count({ where: { action: "export.queued", target: `export:${job.id}` } })).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
