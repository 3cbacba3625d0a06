// 批量审核 with a slow payout provider: the batch approves in the database and answers without waiting for the
// provider; the payouts go out afterwards (in the background, or by the scheduler's sweep), each exactly once.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { registerMember } from "../server/referral";
import { fromMerchant, walletOf } from "../server/wallet/ledger";
import { verifyIdentity } from "../server/wallet/identity";
import { approveWithdrawals, approveWithdrawalsNow, payApprovedWithdrawals, requestWithdrawal, sendQueuedPayouts } from "../server/wallet/withdrawals";
import { performDueProviderCalls } from "../server/payments/calls";
import { registerProvider } from "../server/payments/registry";
import type { PaymentProvider, PayoutRequest } from "../server/payments/provider";
import { freshDatabase } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";

/** A payout provider that counts its calls per payout number and answers only once `open()` was called. */
class CountingProvider implements PaymentProvider {
  readonly name = "batch-counting";
  calls = new Map<string, number>();
  private gate: Promise<void> = Promise.resolve();
  private release: () => void = () => {};
  hold() {
    this.gate = new Promise((r) => (this.release = r));
  }
  open() {
    this.release();
  }
  get total() {
    return [...this.calls.values()].reduce((a, b) => a + b, 0);
  }
  createPayment(): never {
    throw new Error("payouts only");
  }
  verifyNotification(): never {
    throw new Error("payouts only");
  }
  refund(): never {
    throw new Error("payouts only");
  }
  async payout(req: PayoutRequest) {
    this.calls.set(req.payoutNo, (this.calls.get(req.payoutNo) ?? 0) + 1);
    await this.gate;
    return { status: "SUCCESS" as const };
  }
}

const provider = new CountingProvider();
registerProvider(provider);

let database: Database;
let member: number;
const N = 6;
// 3 000 元 each: the day's total stays above 2 000 元 and below 50 000 元 (six of them: 18 000 元), one approver each (SPEC §6).
const AMOUNT_FEN = 300_000;

beforeEach(async () => {
  database = await freshDatabase();
  provider.calls.clear();
  provider.open();
  const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, {}, fn);
  member = (await run((ctx) => registerMember(ctx, { username: "batch-shopper", ip: "1.1.1.1", device: "d1" }))).id;
  await run((ctx) => fromMerchant(ctx, `fund:${member}`, "test", "merchant:commission", member, "available", 20_000_000));
  await run((ctx) => verifyIdentity(ctx, member, { realName: "张三丰", idNumber: "11010519491231002X" }));
});
afterEach(async () => {
  provider.open();
  vi.unstubAllEnvs();
  await database.close();
});

async function pendingWithdrawals(): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < N; i++) {
    const w = await inTx(database.prisma, {}, (ctx) => requestWithdrawal(ctx, member, AMOUNT_FEN));
    expect(w.status).toBe("PENDING_REVIEW");
    ids.push(w.id);
  }
  return ids;
}

const payoutNos = (ids: number[]) => ids.map((id) => `WD${id}`).sort();

describe("batch approval with a slow payout provider", () => {
  it("approves every row without asking the provider; the scheduler's sweep pays each exactly once", async () => {
    const ids = await pendingWithdrawals();
    const staff = await database.prisma.staffAccount.create({ data: { username: "fa", displayName: "fa", role: "finance", passwordHash: "x", createdAt: new Date() } });
    const now = new Date();

    const results = await approveWithdrawals(database.prisma, ids, { staffId: staff.id }, now, provider.name);
    expect(provider.total).toBe(0);
    expect(results.map((r) => [r.outcome, r.status])).toEqual(ids.map(() => ["approved", "PAYING"]));
    // The approval rules and their audit are unchanged: one approval and one audit entry per row.
    expect(await database.prisma.withdrawalApproval.count({ where: { staffId: staff.id, decision: "approve" } })).toBe(N);
    expect(await database.prisma.auditLog.count({ where: { action: "withdrawal.approved" } })).toBe(N);
    expect(await database.prisma.withdrawal.count({ where: { id: { in: ids }, status: "PAYING" } })).toBe(N);

    // The scheduler's duties: approved payouts, then the due provider calls.
    expect(await payApprovedWithdrawals(database.prisma, now)).toBe(0);
    expect(await performDueProviderCalls(database.prisma, now)).toBe(N);
    expect(await performDueProviderCalls(database.prisma, now)).toBe(0);
    expect([...provider.calls.keys()].sort()).toEqual(payoutNos(ids));
    expect([...provider.calls.values()]).toEqual(ids.map(() => 1));
    expect(await database.prisma.withdrawal.count({ where: { id: { in: ids }, status: "PAID" } })).toBe(N);
    // No fee by default: 6 × 3 000 元 paid out.
    expect(await walletOf({ tx: database.prisma }, member)).toMatchObject({ available: 20_000_000 - 1_800_000, withdrawing: 0, withdrawn: 1_800_000 });
  });

  it("a sweep running beside the background send never pays one twice", async () => {
    const ids = await pendingWithdrawals();
    const staff = await database.prisma.staffAccount.create({ data: { username: "fb", displayName: "fb", role: "finance", passwordHash: "x", createdAt: new Date() } });
    const now = new Date();
    await approveWithdrawals(database.prisma, ids, { staffId: staff.id }, now, provider.name);
    await Promise.all([sendQueuedPayouts(database.prisma, ids, now), performDueProviderCalls(database.prisma, now), sendQueuedPayouts(database.prisma, ids, now)]);
    expect([...provider.calls.keys()].sort()).toEqual(payoutNos(ids));
    expect([...provider.calls.values()]).toEqual(ids.map(() => 1));
    expect(await database.prisma.withdrawal.count({ where: { id: { in: ids }, status: "PAID" } })).toBe(N);
  });

  it("approveWithdrawalsNow (the wallet rule the procedure calls) answers before the provider, then sends each payout once", async () => {
    const ids = await pendingWithdrawals();
    const staff = await database.prisma.staffAccount.create({ data: { username: "fc", displayName: "fc", role: "finance", passwordHash: "x", createdAt: new Date() } });
    const now = new Date();
    provider.hold();
    const answered = approveWithdrawalsNow(database.prisma, ids, { staffId: staff.id }, now, provider.name);
    const outcome = await Promise.race([answered, new Promise<"timed out">((r) => setTimeout(() => r("timed out"), 3_000))]);
    expect(outcome === "timed out" ? [] : outcome.map((r) => [r.outcome, r.status])).toEqual(ids.map(() => ["approved", "PAYING"]));
    // The send started in the background, one payout after another: the first is waiting for the provider.
    await vi.waitFor(() => expect(provider.total).toBe(1));
    provider.open();
    await vi.waitFor(async () => expect(await database.prisma.withdrawal.count({ where: { id: { in: ids }, status: "PAID" } })).toBe(N), { timeout: 5_000 });
    expect(await performDueProviderCalls(database.prisma, new Date())).toBe(0);
    expect([...provider.calls.keys()].sort()).toEqual(payoutNos(ids));
    expect([...provider.calls.values()]).toEqual(ids.map(() => 1));
  });

  it("the approve-many procedure answers while the provider has not answered a single payout", async () => {
    vi.stubEnv("PAYOUT_PROVIDER", provider.name);
    const ids = await pendingWithdrawals();
    const finance = await signedInStaff(database.prisma, "finance");
    provider.hold();
    const answered = finance.caller.merchantWithdrawal.approveMany({ ids });
    const outcome = await Promise.race([answered, new Promise<"timed out">((r) => setTimeout(() => r("timed out"), 3_000))]);
    expect(outcome).not.toBe("timed out");
    // Sent in the background: at most the first payout is under way, none answered.
    expect(provider.total).toBeLessThanOrEqual(1);
    expect(outcome === "timed out" ? [] : outcome.map((r) => [r.outcome, r.status])).toEqual(ids.map(() => ["approved", "PAYING"]));
    provider.open();
    await vi.waitFor(async () => expect(await database.prisma.withdrawal.count({ where: { id: { in: ids }, status: "PAID" } })).toBe(N), { timeout: 5_000 });
    // The sweep after it finds nothing left to send.
    expect(await performDueProviderCalls(database.prisma, new Date())).toBe(0);
    expect([...provider.calls.values()]).toEqual(ids.map(() => 1));
  });
});
