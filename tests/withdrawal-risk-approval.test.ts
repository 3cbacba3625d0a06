// SPEC §8 with §6: while a member has an open risk flag, staff can reject their withdrawal (the money goes back to
// `available`) but neither approve it (alone or in 批量通过, where the row is refused with the reason and the others go
// on) nor pay it out (a payout or 重新打款): the risk review decides first. Once it decided (approved or rejected; one
// rejection does not freeze), approving works as before. A flag raised on a member whose withdrawal was approved
// automatically and is not yet being paid sends it to one person with the reason 风控待审. A withdrawal held for risk
// and since paid is not shown as 风控待审 any more (queue, export); its audit trail still says it was held.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { DomainError, inTx, type Ctx } from "../server/context";
import { registerMember } from "../server/referral";
import { fromMerchant, walletOf } from "../server/wallet/ledger";
import { verifyIdentity } from "../server/wallet/identity";
import {
  approveWithdrawal, approveWithdrawalNow, approveWithdrawals, executePayout, payApprovedWithdrawals, rejectWithdrawal, requestWithdrawal, retryFailedPayout,
} from "../server/wallet/withdrawals";
import { withdrawalQueue } from "../server/wallet/review";
import { withdrawalCsvColumns, withdrawalExportRows } from "../server/exports/withdrawals";
import { exportTranslator } from "../server/exports/csv";
import { recordRiskEvent } from "../server/risk/flags";
import { reviewMember } from "../server/risk/review";
import { freshDatabase } from "./helpers/db";
import { nextTestIdNumber } from "./helpers/id-numbers";

let database: Database;
let staffA: number;
let staffB: number;
// 10:00 on 1 December 2026, merchant time (Asia/Shanghai).
const NOW = new Date("2026-12-01T02:00:00Z");
const HUNDRED = 10_000;
const THREE_THOUSAND = 300_000;
const REFUSAL = { code: "RISK_FLAG_OPEN", message: "该会员有未处理的风控标记，请先在风控中心处理后再审核" };

const at = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { now: NOW }, fn);
const row = (id: number) => database.prisma.withdrawal.findUniqueOrThrow({ where: { id } });
const actions = async (id: number) => (await database.prisma.auditLog.findMany({ where: { target: `withdrawal:${id}` }, orderBy: { id: "asc" } })).map((a) => a.action);

let seq = 0;
/** A verified member with 5 000 元 available (no withdrawal fee: the default settings), no sponsor. The sandbox refuses payouts to 测试失败. */
async function shopper(name: string, realName = "张三丰"): Promise<number> {
  seq += 1;
  const id = (await at((ctx) => registerMember(ctx, { username: name, ip: `10.0.1.${seq}`, device: `dev-a-${seq}` }))).id;
  await at((ctx) => fromMerchant(ctx, `fund:${name}`, "test", "merchant:commission", id, "available", 500_000));
  await at((ctx) => verifyIdentity(ctx, id, { realName, idNumber: nextTestIdNumber() }));
  return id;
}

const flag = (memberId: number) => at((ctx) => recordRiskEvent(ctx, "refund_abuse", [memberId], [memberId], { refundsIn30Days: 3 }));

/** What an approval (or payout) refused while the member is under review throws. */
async function refusedUnderReview(p: Promise<unknown>) {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(DomainError);
  expect(e).toMatchObject(REFUSAL);
}

beforeEach(async () => {
  database = await freshDatabase();
  const staff = (username: string) => database.prisma.staffAccount.create({ data: { username, displayName: username, role: "finance", passwordHash: "x", createdAt: NOW } });
  staffA = (await staff("fa")).id;
  staffB = (await staff("fb")).id;
});
afterEach(() => database.close());

describe("approving a withdrawal of a member with an open risk flag", () => {
  it("is refused, recording nothing; rejecting it is allowed and returns the money", async () => {
    const m = await shopper("flagged");
    await flag(m);
    const w = await at((ctx) => requestWithdrawal(ctx, m, HUNDRED));
    expect(w).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 1 });

    await refusedUnderReview(at((ctx) => approveWithdrawal(ctx, w.id, { staffId: staffA })));
    await refusedUnderReview(approveWithdrawalNow(database.prisma, w.id, { staffId: staffA }, NOW));
    expect(await row(w.id)).toMatchObject({ status: "PENDING_REVIEW", decidedAt: null });
    expect(await database.prisma.withdrawalApproval.count()).toBe(0);
    expect(await actions(w.id)).toEqual(["withdrawal.requested", "withdrawal.risk_held"]);

    await at((ctx) => rejectWithdrawal(ctx, w.id, { staffId: staffA }, "风控核查中，请稍后再申请"));
    expect(await row(w.id)).toMatchObject({ status: "REJECTED" });
    // 5 000 元 funded; the 100 元 taken at the request is back.
    expect(await walletOf({ tx: database.prisma }, m)).toMatchObject({ available: 500_000, withdrawing: 0 });
  });

  it("works once the risk review decided: approved, or rejected once (not frozen)", async () => {
    for (const decision of ["approve", "reject"] as const) {
      const m = await shopper(`decided-${decision}`);
      await flag(m);
      const w = await at((ctx) => requestWithdrawal(ctx, m, HUNDRED));
      await refusedUnderReview(approveWithdrawalNow(database.prisma, w.id, { staffId: staffA }, NOW));
      await at((ctx) => reviewMember(ctx, m, decision));
      expect((await approveWithdrawalNow(database.prisma, w.id, { staffId: staffA }, NOW)).status, decision).toBe("PAID");
    }
  });

  it("also for a withdrawal above 2 000 元 that needs two approvers: neither counts while the flag is open", async () => {
    const m = await shopper("two");
    await at((ctx) => fromMerchant(ctx, "fund:two:more", "test", "merchant:commission", m, "available", 5_000_000));
    await flag(m);
    const w = await at((ctx) => requestWithdrawal(ctx, m, 5_000_000));
    expect(w).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 2 });
    await refusedUnderReview(at((ctx) => approveWithdrawal(ctx, w.id, { staffId: staffA })));
    await refusedUnderReview(at((ctx) => approveWithdrawal(ctx, w.id, { staffId: staffB })));
    expect(await database.prisma.withdrawalApproval.count()).toBe(0);
  });

  it("批量通过 refuses that row with the reason and approves the others", async () => {
    const flagged = await shopper("batch-flagged");
    const clean = await shopper("batch-clean");
    await flag(flagged);
    const held = await at((ctx) => requestWithdrawal(ctx, flagged, HUNDRED));
    // 3 000 元: above the automatic limit, one approver.
    const other = await at((ctx) => requestWithdrawal(ctx, clean, THREE_THOUSAND));
    expect(other).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 1 });

    const results = await approveWithdrawals(database.prisma, [held.id, other.id], { staffId: staffA }, NOW);
    expect(results).toEqual([
      { id: held.id, payoutNo: `WD${held.id}`, outcome: "refused", status: "PENDING_REVIEW", ...REFUSAL },
      { id: other.id, payoutNo: `WD${other.id}`, outcome: "approved", status: "PAYING" },
    ]);
    expect(await row(held.id)).toMatchObject({ status: "PENDING_REVIEW" });
    expect(await database.prisma.withdrawalApproval.findMany({ select: { withdrawalId: true } })).toEqual([{ withdrawalId: other.id }]);
  });
});

describe("paying out a withdrawal of a member with an open risk flag", () => {
  it("a withdrawal a person approved before the flag waits, APPROVED, and is paid once the review decided", async () => {
    const m = await shopper("approved-then-flagged");
    const w = await at((ctx) => requestWithdrawal(ctx, m, THREE_THOUSAND));
    expect((await at((ctx) => approveWithdrawal(ctx, w.id, { staffId: staffA }))).status).toBe("APPROVED");
    await flag(m);
    // A person approved it: it is not sent back for approval, but no payout is queued while the flag is open.
    expect(await executePayout(database.prisma, w.id)).toBe("SKIPPED");
    expect(await payApprovedWithdrawals(database.prisma, NOW)).toBe(1);
    expect(await row(w.id)).toMatchObject({ status: "APPROVED", approvalsNeeded: 1, failReason: null });
    expect(await database.prisma.providerCall.count()).toBe(0);
    expect(await walletOf({ tx: database.prisma }, m)).toMatchObject({ available: 200_000, withdrawing: THREE_THOUSAND });

    await at((ctx) => reviewMember(ctx, m, "approve"));
    await payApprovedWithdrawals(database.prisma, NOW);
    expect(await row(w.id)).toMatchObject({ status: "PAID" });
  });

  it("重新打款 of a failed payout is refused while the flag is open, and works once decided", async () => {
    const m = await shopper("retry", "测试失败");
    const w = await at((ctx) => requestWithdrawal(ctx, m, HUNDRED));
    expect(await executePayout(database.prisma, w.id, "sandbox", NOW)).toBe("FAILED");
    await flag(m);
    await refusedUnderReview(at((ctx) => retryFailedPayout(ctx, w.id, { staffId: staffA })));
    expect(await row(w.id)).toMatchObject({ status: "FAILED", payoutAttempt: 1 });
    expect(await walletOf({ tx: database.prisma }, m)).toMatchObject({ available: 500_000, withdrawing: 0 });
    await at((ctx) => reviewMember(ctx, m, "approve"));
    expect(await at((ctx) => retryFailedPayout(ctx, w.id, { staffId: staffA }))).toMatchObject({ status: "APPROVED", payoutAttempt: 2 });
  });
});

describe("a flag raised on a member with a withdrawal approved automatically", () => {
  it("sends it, not yet being paid, to one person with the reason 风控待审; what is paid or a person approved stays", async () => {
    const m = await shopper("auto-then-flagged");
    const paid = await at((ctx) => requestWithdrawal(ctx, m, HUNDRED));
    expect(await executePayout(database.prisma, paid.id)).toBe("PAID");
    const byStaff = await at((ctx) => requestWithdrawal(ctx, m, THREE_THOUSAND));
    await at((ctx) => approveWithdrawal(ctx, byStaff.id, { staffId: staffA }));
    const other = await shopper("auto-other");
    const auto = await at((ctx) => requestWithdrawal(ctx, other, HUNDRED));
    expect(auto).toMatchObject({ status: "APPROVED", approvalsNeeded: 0 });

    const event = await flag(other);
    const [flagRow] = await database.prisma.riskFlag.findMany({ where: { eventId: event.id } });
    expect(await row(auto.id)).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 1, failReason: "风控待审", decidedAt: null });
    expect(await actions(auto.id)).toEqual(["withdrawal.requested", "withdrawal.auto_approved", "withdrawal.risk_held"]);
    const trail = await database.prisma.auditLog.findMany({ where: { target: `withdrawal:${auto.id}`, action: "withdrawal.risk_held" } });
    expect(trail[0]!.data).toEqual({ reason: "风控待审", flags: [flagRow!.id] });
    // Still held: the amount stays in `withdrawing` (5 000 − 100 元 available).
    expect(await walletOf({ tx: database.prisma }, other)).toMatchObject({ available: 490_000, withdrawing: HUNDRED });
    expect(await executePayout(database.prisma, auto.id)).toBe("SKIPPED");

    await flag(m);
    expect(await row(paid.id)).toMatchObject({ status: "PAID", approvalsNeeded: 0, failReason: null });
    expect(await row(byStaff.id)).toMatchObject({ status: "APPROVED", approvalsNeeded: 1, failReason: null });
  });
});

describe("a withdrawal held for risk and since decided", () => {
  it("is not shown as 风控待审 once paid or rejected; its audit trail still says it was held", async () => {
    const m = await shopper("held-then-paid");
    await flag(m);
    const paid = await at((ctx) => requestWithdrawal(ctx, m, HUNDRED));
    const rejected = await at((ctx) => requestWithdrawal(ctx, m, HUNDRED));
    const pending = await at((ctx) => requestWithdrawal(ctx, m, HUNDRED));
    await at((ctx) => reviewMember(ctx, m, "approve"));
    expect((await approveWithdrawalNow(database.prisma, paid.id, { staffId: staffA }, NOW)).status).toBe("PAID");
    await at((ctx) => rejectWithdrawal(ctx, rejected.id, { staffId: staffA }, "信息不符"));

    const items = (await withdrawalQueue(database.prisma, {}, staffA)).items;
    const byId = (id: number) => items.find((r) => r.id === id);
    // The page shows `reason` (riskHeld: translated as 风控待审); the recorded failReason stays as history.
    expect(byId(paid.id)).toMatchObject({ status: "PAID", riskHeld: false, reason: null, failReason: "风控待审" });
    expect(byId(rejected.id)).toMatchObject({ status: "REJECTED", riskHeld: false, reason: "信息不符" });
    // Still waiting for a person: still says why.
    expect(byId(pending.id)).toMatchObject({ status: "PENDING_REVIEW", riskHeld: true });

    const columns = withdrawalCsvColumns("Asia/Shanghai", exportTranslator());
    const reason = columns.find((c) => c.header === "失败/驳回原因")!;
    const cells = new Map<number, unknown>();
    for await (const r of withdrawalExportRows(database.prisma, {}, "Asia/Shanghai")) cells.set(r.id, reason.value(r));
    expect(cells).toEqual(new Map<number, unknown>([[pending.id, "风控待审：申请时会员有未处理的风控标记，转人工审核"], [rejected.id, "信息不符"], [paid.id, ""]]));
    // In English the hold is said in English (a staff-typed rejection reason stays as typed).
    const en = withdrawalCsvColumns("Asia/Shanghai", exportTranslator("en")).find((c) => c.header === "Failure / rejection reason")!;
    const enCells = new Map<number, unknown>();
    for await (const r of withdrawalExportRows(database.prisma, {}, "Asia/Shanghai")) enCells.set(r.id, en.value(r));
    expect(enCells.get(pending.id)).toBe("Risk hold: the member had an open risk flag when asking, so a person decides");

    expect(await actions(paid.id)).toContain("withdrawal.risk_held");
  });
});
