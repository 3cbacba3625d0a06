// The staff account that approved a withdrawal can still reject it (SPEC §8: a member frozen after the approval is
// not paid, staff reject and the money returns to `available`, SPEC §6), while one account still never approves twice
// (SPEC §6: two *different* staff from 50 000 元). PGlite, or PostgreSQL with FM_TEST_DB=postgres.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { fromMerchant, walletOf } from "../server/wallet/ledger";
import { verifyIdentity } from "../server/wallet/identity";
import { approveWithdrawal, executePayout, rejectWithdrawal, requestWithdrawal } from "../server/wallet/withdrawals";
import { freshDatabase } from "./helpers/db";

const config = parseConfig({});

describe("a withdrawal rejected by the staff account that approved it", () => {
  let database: Database;
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config }, fn);
  let memberId: number;
  let staffA: number;
  let staffB: number;
  const staff = async (username: string) =>
    (await database.prisma.staffAccount.create({ data: { username, displayName: username, role: "finance", passwordHash: "-", createdAt: new Date() } })).id;

  beforeEach(async () => {
    database = await freshDatabase();
    memberId = (await run((ctx) => registerMember(ctx, { username: "shopper" }))).id;
    staffA = await staff("fina");
    staffB = await staff("finb");
    // 100 000 元 available: room for a 50 000 元 withdrawal and its fee.
    await run((ctx) => fromMerchant(ctx, "fund", "test", "merchant:commission", memberId, "available", 10_000_000));
    await run((ctx) => verifyIdentity(ctx, memberId, { realName: "张三丰", idNumber: "11010519491231002X" }));
  });
  afterEach(() => database.close());

  const status = async (id: number) => (await database.prisma.withdrawal.findUniqueOrThrow({ where: { id } })).status;

  it("approved, the member frozen, the approver rejects it: REJECTED and the amount back in available", async () => {
    // 3 000 元: one approver.
    const w = await run((ctx) => requestWithdrawal(ctx, memberId, 300_000));
    await run((ctx) => approveWithdrawal(ctx, w.id, { staffId: staffA }));
    expect(await status(w.id)).toBe("APPROVED");
    await database.prisma.member.update({ where: { id: memberId }, data: { frozen: true, frozenAt: new Date() } });
    expect(await executePayout(database.prisma, w.id)).toBe("SKIPPED");

    await run((ctx) => rejectWithdrawal(ctx, w.id, { staffId: staffA }, "账户已冻结"));
    expect(await status(w.id)).toBe("REJECTED");
    const wallet = await run((ctx) => walletOf(ctx, memberId));
    expect(wallet).toMatchObject({ available: 10_000_000, withdrawing: 0, withdrawn: 0 });
    expect(await database.prisma.withdrawalApproval.findMany({ where: { withdrawalId: w.id }, orderBy: { id: "asc" }, select: { staffId: true, decision: true } }))
      .toEqual([{ staffId: staffA, decision: "approve" }, { staffId: staffA, decision: "reject" }]);
  });

  it("from 50 000 元: the first approver may reject it while it waits for the second", async () => {
    const w = await run((ctx) => requestWithdrawal(ctx, memberId, 5_000_000));
    expect(w.approvalsNeeded).toBe(2);
    await run((ctx) => approveWithdrawal(ctx, w.id, { staffId: staffA }));
    expect(await status(w.id)).toBe("PENDING_REVIEW");
    await run((ctx) => rejectWithdrawal(ctx, w.id, { staffId: staffA }, "信息有误"));
    expect(await status(w.id)).toBe("REJECTED");
    expect(await run((ctx) => walletOf(ctx, memberId))).toMatchObject({ available: 10_000_000, withdrawing: 0 });
  });

  it("one staff account still cannot approve twice: a second, different approver is needed", async () => {
    const w = await run((ctx) => requestWithdrawal(ctx, memberId, 5_000_000));
    await run((ctx) => approveWithdrawal(ctx, w.id, { staffId: staffA }));
    await expect(run((ctx) => approveWithdrawal(ctx, w.id, { staffId: staffA }))).rejects.toMatchObject({ code: "ALREADY_APPROVED" });
    expect(await status(w.id)).toBe("PENDING_REVIEW");
    // The database refuses it too, whatever the code checks.
    await expect(database.prisma.withdrawalApproval.create({ data: { withdrawalId: w.id, staffId: staffA, decision: "approve", createdAt: new Date() } }))
      .rejects.toMatchObject({ code: "P2002" });
    await run((ctx) => approveWithdrawal(ctx, w.id, { staffId: staffB }));
    expect(await status(w.id)).toBe("APPROVED");
  });

  it("a decision is approve or reject", async () => {
    const w = await run((ctx) => requestWithdrawal(ctx, memberId, 300_000));
    await expect(database.prisma.withdrawalApproval.create({ data: { withdrawalId: w.id, staffId: staffA, decision: "approved", createdAt: new Date() } }))
      .rejects.toThrow(/WithdrawalApproval_decision_check/);
  });
});
