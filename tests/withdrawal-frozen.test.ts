// SPEC §8: a frozen member cannot withdraw — also a withdrawal asked for before the freeze: staff cannot
// approve it, an approved one is not paid out (it waits for staff to reject it), and rejecting returns the money.
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

describe("withdrawals of a member frozen after asking", () => {
  let database: Database;
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config }, fn);
  let memberId: number;
  let staffId: number;

  beforeEach(async () => {
    database = await freshDatabase();
    memberId = (await run((ctx) => registerMember(ctx, { username: "shopper" }))).id;
    staffId = (await database.prisma.staffAccount.create({ data: { username: "fin", displayName: "财务", role: "finance", passwordHash: "-", createdAt: new Date() } })).id;
    await run((ctx) => fromMerchant(ctx, "fund", "test", "merchant:commission", memberId, "available", 1_000_000));
    await run((ctx) => verifyIdentity(ctx, memberId, { realName: "张三丰", idNumber: "11010519491231002X" }));
  });
  afterEach(() => database.close());

  const freeze = () => database.prisma.member.update({ where: { id: memberId }, data: { frozen: true, frozenAt: new Date() } });

  it("one awaiting review cannot be approved; rejecting it returns the money", async () => {
    // 3 000 元: above the automatic approval, one approver needed.
    const w = await run((ctx) => requestWithdrawal(ctx, memberId, 300_000));
    expect(w.status).toBe("PENDING_REVIEW");
    await freeze();
    await expect(run((ctx) => approveWithdrawal(ctx, w.id, { staffId }))).rejects.toMatchObject({ code: "FROZEN" });
    expect((await database.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).status).toBe("PENDING_REVIEW");
    await run((ctx) => rejectWithdrawal(ctx, w.id, { staffId }, "账户已冻结"));
    expect((await run((ctx) => walletOf(ctx, memberId))).available).toBe(1_000_000);
  });

  it("one approved before the freeze is not paid out", async () => {
    const w = await run((ctx) => requestWithdrawal(ctx, memberId, 300_000));
    await run((ctx) => approveWithdrawal(ctx, w.id, { staffId }));
    await freeze();
    expect(await executePayout(database.prisma, w.id)).toBe("SKIPPED");
    expect((await database.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).status).toBe("APPROVED");
    expect(await database.prisma.providerCall.count()).toBe(0);
  });
});
