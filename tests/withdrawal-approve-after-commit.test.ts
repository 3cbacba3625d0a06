// SPEC §6: a withdrawal approved (or 重新打款) by staff stands once committed. When the payout that follows at once
// fails in the app (the database lost while queuing or claiming it), staff get the withdrawal as committed — APPROVED,
// or PAYING once queued — not a 500 that invites a second click refused as 不在待审核状态; the scheduler pays it later.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { registerMember } from "../server/referral";
import { fromMerchant } from "../server/wallet/ledger";
import { verifyIdentity } from "../server/wallet/identity";
import { encryptField } from "../server/auth/crypto";
import { approveWithdrawalNow, payApprovedWithdrawals, requestWithdrawal, retryFailedPayoutNow } from "../server/wallet/withdrawals";
import { freshPglite } from "./helpers/db";

let database: Database;
let member: number;
let staff: number;
const NOW = new Date("2026-12-01T02:00:00Z");
const VALID_ID = "11010519491231002X";

const at = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { now: NOW }, fn);

/** The database as the call sees it: its first `ok` transactions run, every later one fails as a lost connection would. */
function transactionsFailAfter(db: Db, ok: number): Db {
  let calls = 0;
  return new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      if (prop !== "$transaction") return fn;
      return (...args: unknown[]) => (++calls > ok ? Promise.reject(new Error("Connection terminated unexpectedly")) : fn(...args));
    },
  });
}

beforeEach(async () => {
  database = await freshPglite();
  staff = (await database.prisma.staffAccount.create({ data: { username: "fa", displayName: "fa", role: "finance", passwordHash: "x", createdAt: NOW } })).id;
  member = (await at((ctx) => registerMember(ctx, { username: "shopper", ip: "1.1.1.1", device: "d1" }))).id;
  // 10 000 元 available, no withdrawal fee (the default settings).
  await at((ctx) => fromMerchant(ctx, "fund", "test", "merchant:commission", member, "available", 1_000_000));
  await at((ctx) => verifyIdentity(ctx, member, { realName: "张三", idNumber: VALID_ID }));
});
afterEach(() => {
  vi.restoreAllMocks();
  return database.close();
});

describe("the payout after an approval fails in the app", () => {
  // 3 000 元: above the 2 000 元 of automatic approval, one approver.
  const request = () => at((ctx) => requestWithdrawal(ctx, member, 300_000));

  it("queuing it fails: the approval is answered APPROVED, logged by id only, and the scheduler pays it", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const w = await request();
    expect(w.status).toBe("PENDING_REVIEW");
    // Transaction 1 is the approval; the payout's first (APPROVED → PAYING and its request) fails.
    const answer = await approveWithdrawalNow(transactionsFailAfter(database.prisma, 1), w.id, { staffId: staff }, NOW, "sandbox");
    expect(answer).toMatchObject({ id: w.id, status: "APPROVED", decidedAt: NOW });
    expect(await database.prisma.withdrawalApproval.count({ where: { withdrawalId: w.id, decision: "approve" } })).toBe(1);
    expect(await database.prisma.providerCall.count()).toBe(0);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(String(logged.mock.calls[0]?.[0])).toContain(`withdrawal ${w.id}`);
    expect(String(logged.mock.calls[0]?.[0])).not.toContain("张三");
    expect(await payApprovedWithdrawals(database.prisma, NOW)).toBe(1);
    expect((await database.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).status).toBe("PAID");
  });

  it("claiming the queued request fails: the approval is answered PAYING, its request still pending for the outbox", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const w = await request();
    // Transactions 1 and 2: the approval, then APPROVED → PAYING with its request; the claim to send it fails.
    const answer = await approveWithdrawalNow(transactionsFailAfter(database.prisma, 2), w.id, { staffId: staff }, NOW, "sandbox");
    expect(answer).toMatchObject({ id: w.id, status: "PAYING" });
    expect(await database.prisma.providerCall.findMany({ select: { kind: true, status: true, idempotencyNo: true, withdrawalId: true } })).toEqual([
      { kind: "PAYOUT", status: "PENDING", idempotencyNo: `WD${w.id}`, withdrawalId: w.id },
    ]);
  });

  it("重新打款: the retry is answered APPROVED when its payout cannot be queued, and paid by the scheduler", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    // The sandbox refuses a payee named 测试失败: the first payout fails and the money goes back.
    await database.prisma.member.update({ where: { id: member }, data: { realNameEnc: encryptField("测试失败") } });
    const w = await request();
    expect((await approveWithdrawalNow(database.prisma, w.id, { staffId: staff }, NOW, "sandbox")).status).toBe("FAILED");
    await database.prisma.member.update({ where: { id: member }, data: { realNameEnc: encryptField("张三") } });
    const answer = await retryFailedPayoutNow(transactionsFailAfter(database.prisma, 1), w.id, { staffId: staff }, NOW, "sandbox");
    expect(answer).toEqual({ id: w.id, status: "APPROVED" });
    expect(await database.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).toMatchObject({ status: "APPROVED", payoutAttempt: 2, payoutNo: `WD${w.id}-2` });
    expect(await payApprovedWithdrawals(database.prisma, NOW)).toBe(1);
    expect((await database.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).status).toBe("PAID");
  });
});
