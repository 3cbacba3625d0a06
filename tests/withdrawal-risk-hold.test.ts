// SPEC §8 with §6: a member under risk review (an open flag) can still withdraw — the money is theirs — but never
// automatically: even the smallest withdrawal (100 元, SPEC §6's minimum, under the 2 000 元 auto-approval limit) waits
// for one person, with the reason 风控待审 recorded for staff (the shopper sees only 待审核). A flag decided (approved
// or rejected) no longer holds. The back office's queue marks the rows of members under review and can show only them.
// A flag raised while the request runs, by a transaction that updates the member's row first as a payment or refund
// does, is either seen or waited for: the request locks the member row before reading the flags.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { registerMember } from "../server/referral";
import { fromMerchant, walletOf } from "../server/wallet/ledger";
import { verifyIdentity } from "../server/wallet/identity";
import { approveWithdrawalNow, requestWithdrawal } from "../server/wallet/withdrawals";
import { withdrawalQueue } from "../server/wallet/review";
import { withdrawalView } from "../server/wallet/view";
import { withdrawalExport, withdrawalFilterFromSearch } from "../server/exports/withdrawals";
import { recordRiskEvent } from "../server/risk/flags";
import { reviewMember } from "../server/risk/review";
import { freshDatabase, usingPostgres } from "./helpers/db";
import { nextTestIdNumber } from "./helpers/id-numbers";

let database: Database;
let staffA: number;
// 10:00 on 1 December 2026, merchant time (Asia/Shanghai).
const NOW = new Date("2026-12-01T02:00:00Z");
const HUNDRED = 10_000;

const at = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { now: NOW }, fn);
const audits = (id: number) => database.prisma.auditLog.findMany({ where: { target: `withdrawal:${id}` }, orderBy: { id: "asc" } });

let seq = 0;
/** A verified member with 1 000 元 available (no withdrawal fee: the default settings), no sponsor. */
async function shopper(name: string): Promise<number> {
  seq += 1;
  const id = (await at((ctx) => registerMember(ctx, { username: name, ip: `10.0.0.${seq}`, device: `dev-${seq}` }))).id;
  await at((ctx) => fromMerchant(ctx, `fund:${name}`, "test", "merchant:commission", id, "available", 100_000));
  await at((ctx) => verifyIdentity(ctx, id, { realName: "张三丰", idNumber: nextTestIdNumber() }));
  return id;
}

const flag = (memberId: number) => at((ctx) => recordRiskEvent(ctx, "refund_abuse", [memberId], [memberId], { refundsIn30Days: 3 }));

beforeEach(async () => {
  database = await freshDatabase();
  staffA = (await database.prisma.staffAccount.create({ data: { username: "fa", displayName: "fa", role: "finance", passwordHash: "x", createdAt: NOW } })).id;
});
afterEach(() => database.close());

describe("a withdrawal of a member under risk review", () => {
  it("goes to one person with the reason 风控待审, whatever its amount; the money is held, not refused", async () => {
    const m = await shopper("flagged");
    const event = await flag(m);
    const w = await at((ctx) => requestWithdrawal(ctx, m, HUNDRED));
    // 100 元 alone would be approved automatically (≤ 2 000 元); the open flag makes it one approver.
    expect(w).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 1, failReason: "风控待审" });
    expect(await walletOf({ tx: database.prisma }, m)).toMatchObject({ available: 90_000, withdrawing: HUNDRED });
    const trail = await audits(w.id);
    expect(trail.map((a) => a.action)).toEqual(["withdrawal.requested", "withdrawal.risk_held"]);
    const [flagRow] = await database.prisma.riskFlag.findMany({ where: { eventId: event.id } });
    expect(trail[1]!.data).toEqual({ reason: "风控待审", flags: [flagRow!.id] });
    // The shopper is told it is under review, and nothing of the rule.
    expect(withdrawalView(w)).toMatchObject({ status: "PENDING_REVIEW", reason: null });
    expect(JSON.stringify(withdrawalView(w))).not.toMatch(/风控|refund_abuse/);
    // Once the risk review decided, a person approves it and it is paid as any other (before: tests/withdrawal-risk-approval.test.ts).
    await at((ctx) => reviewMember(ctx, m, "approve"));
    expect((await approveWithdrawalNow(database.prisma, w.id, { staffId: staffA }, NOW)).status).toBe("PAID");
  });

  it("an unflagged member's 100 元 is approved automatically, as before; another member's flag does not hold it", async () => {
    const m = await shopper("clean");
    await flag(await shopper("other"));
    const w = await at((ctx) => requestWithdrawal(ctx, m, HUNDRED));
    expect(w).toMatchObject({ status: "APPROVED", approvalsNeeded: 0, failReason: null });
    expect((await audits(w.id)).map((a) => a.action)).toEqual(["withdrawal.requested", "withdrawal.auto_approved"]);
  });

  it("a decided flag no longer holds: approved, or rejected (one rejection does not freeze)", async () => {
    for (const decision of ["approve", "reject"] as const) {
      const m = await shopper(`decided-${decision}`);
      await flag(m);
      await at((ctx) => reviewMember(ctx, m, decision));
      const w = await at((ctx) => requestWithdrawal(ctx, m, HUNDRED));
      expect(w, decision).toMatchObject({ status: "APPROVED", approvalsNeeded: 0, failReason: null });
    }
  });

  it("above 2 000 元 it needs one approver either way; from 50 000 元 still two", async () => {
    const m = await shopper("big");
    await at((ctx) => fromMerchant(ctx, "fund:big:more", "test", "merchant:commission", m, "available", 10_000_000));
    await flag(m);
    expect(await at((ctx) => requestWithdrawal(ctx, m, 300_000))).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 1, failReason: "风控待审" });
    // 3 000 + 50 000 元 today: two approvers (SPEC §6), not lowered to one by the hold.
    expect(await at((ctx) => requestWithdrawal(ctx, m, 5_000_000))).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 2, failReason: "风控待审" });
  });
});

describe("the review queue", () => {
  it("marks the rows of members under risk review and filters them; the recorded hold outlives the flag", async () => {
    const flagged = await shopper("flagged");
    const clean = await shopper("clean");
    await flag(flagged);
    const held = await at((ctx) => requestWithdrawal(ctx, flagged, HUNDRED));
    const auto = await at((ctx) => requestWithdrawal(ctx, clean, HUNDRED));

    const all = (await withdrawalQueue(database.prisma, {}, staffA)).items;
    expect(all.find((r) => r.id === held.id)).toMatchObject({ memberId: flagged, riskFlagged: true, riskHeld: true });
    expect(all.find((r) => r.id === auto.id)).toMatchObject({ memberId: clean, riskFlagged: false, riskHeld: false });
    const only = await withdrawalQueue(database.prisma, { flagged: true }, staffA);
    expect(only.total).toBe(1);
    expect(only.items.map((r) => r.id)).toEqual([held.id]);
    // The page's 导出 reads the same filter from its URL (?risk=flagged): the file holds the flagged rows only.
    const fromUrl = withdrawalFilterFromSearch(new URLSearchParams("risk=flagged"));
    expect(fromUrl).toEqual({ flagged: true });
    const exported = [];
    for await (const r of withdrawalExport.rows(database.prisma, fromUrl!, "Asia/Shanghai")) exported.push(r.id);
    expect(exported).toEqual([held.id]);

    // Approved by the reviewer: the member is no longer under review; the withdrawal still says why a person decides.
    await at((ctx) => reviewMember(ctx, flagged, "approve"));
    expect((await withdrawalQueue(database.prisma, {}, staffA)).items.find((r) => r.id === held.id)).toMatchObject({ riskFlagged: false, riskHeld: true, status: "PENDING_REVIEW" });
    expect((await withdrawalQueue(database.prisma, { flagged: true }, staffA)).total).toBe(0);
  });
});

describe("a flag raised while the request runs", () => {
  // Needs PostgreSQL (PGlite runs one transaction at a time).
  it.runIf(usingPostgres())("by a transaction that updates the member row first (a payment, a refund) is waited for and seen", async () => {
    const m = await shopper("racing");
    let commit!: () => void;
    let raised!: () => void;
    const gate = new Promise<void>((r) => (commit = r));
    const raisedP = new Promise<void>((r) => (raised = r));
    // As refundOrder: the buyer's row updated, then refund_abuse recorded; not yet committed.
    const flagging = at(async (ctx) => {
      await ctx.tx.member.update({ where: { id: m }, data: { paidUnrefundedCount: { increment: 0 } } });
      await recordRiskEvent(ctx, "refund_abuse", [m], [m], { refundsIn30Days: 3 });
      raised();
      await gate;
    });
    await raisedP;
    const request = at((ctx) => requestWithdrawal(ctx, m, HUNDRED));
    // Until the request waits on the flagging transaction's row lock (it never does without the member lock: then it
    // reads no flag, approves itself and commits before the flag does).
    for (let i = 0; i < 200; i++) {
      const [w] = await database.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      if (w!.n > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    commit();
    await flagging;
    expect(await request).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 1, failReason: "风控待审" });
  });
});
