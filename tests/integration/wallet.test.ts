// Identity verification and withdrawals (SPEC §6), through the same functions the UI calls.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, DomainError } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { fromMerchant, walletOf, walletFromLedger } from "../../server/wallet/ledger";
import { verifyIdentity, isValidIdNumber } from "../../server/wallet/identity";
import { requestWithdrawal, approveWithdrawal, rejectWithdrawal, executePayout, approvalsNeededFor } from "../../server/wallet/withdrawals";
import { decryptField } from "../../server/auth/crypto";
import { freshDatabase } from "../helpers/db";

const config = parseConfig({});
let database: Database;
let member: number;
let staffA: number;
let staffB: number;
const VALID_ID = "11010519491231002X";

const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { config }, fn);

beforeEach(async () => {
  database = await freshDatabase();
  member = (await run((ctx) => registerMember(ctx, { username: "shopper" }))).id;
  staffA = (await database.prisma.staffAccount.create({ data: { username: "staffa", displayName: "A", role: "finance", passwordHash: "x", createdAt: new Date() } })).id;
  staffB = (await database.prisma.staffAccount.create({ data: { username: "staffb", displayName: "B", role: "finance", passwordHash: "x", createdAt: new Date() } })).id;
  await run((ctx) => fromMerchant(ctx, "fund", "test", "merchant:commission", member, "available", 10_000_000));
});
afterEach(() => database.close());

const code = async (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof DomainError ? e.code : String(e)));

describe("identity verification", () => {
  it("validates the ID checksum and stores name and number encrypted, shown masked", async () => {
    expect(isValidIdNumber(VALID_ID)).toBe(true);
    expect(isValidIdNumber("110105194912310021")).toBe(false);
    expect(await code(run((ctx) => verifyIdentity(ctx, member, { realName: "张三丰", idNumber: "110105194912310021" })))).toBe("INVALID_ID_NUMBER");
    const shown = await run((ctx) => verifyIdentity(ctx, member, { realName: "张三丰", idNumber: VALID_ID }));
    expect(shown).toEqual({ realNameMasked: "张*丰", idNumberMasked: "110***********002X" });
    const m = await database.prisma.member.findUniqueOrThrow({ where: { id: member } });
    expect(m.idNumberEnc).not.toContain(VALID_ID);
    expect(decryptField(m.idNumberEnc!)).toBe(VALID_ID);
  });
});

describe("withdrawals", () => {
  it("refuses before verification, below 100 元, above the balance, and for a frozen member", async () => {
    expect(await code(run((ctx) => requestWithdrawal(ctx, member, 10_000)))).toBe("NOT_VERIFIED");
    await run((ctx) => verifyIdentity(ctx, member, { realName: "张三丰", idNumber: VALID_ID }));
    expect(await code(run((ctx) => requestWithdrawal(ctx, member, 9_999)))).toBe("BELOW_MINIMUM");
    expect(await code(run((ctx) => requestWithdrawal(ctx, member, 10_000_001)))).toBe("INSUFFICIENT_BALANCE");
    await database.prisma.member.update({ where: { id: member }, data: { frozen: true } });
    expect(await code(run((ctx) => requestWithdrawal(ctx, member, 10_000)))).toBe("FROZEN");
    expect(await walletOf({ tx: database.prisma }, member)).toMatchObject({ available: 10_000_000, withdrawing: 0 });
  });

  it("needs 0 approvers up to 2000 元, 1 above, 2 different ones from 50000 元", async () => {
    expect([approvalsNeededFor(200_000), approvalsNeededFor(200_001), approvalsNeededFor(4_999_999), approvalsNeededFor(5_000_000)]).toEqual([0, 1, 1, 2]);
    await run((ctx) => verifyIdentity(ctx, member, { realName: "张三丰", idNumber: VALID_ID }));
    const small = await run((ctx) => requestWithdrawal(ctx, member, 200_000));
    expect(small.status).toBe("APPROVED");
    expect(await executePayout(database.prisma, small.id)).toBe("PAID");
    expect(await executePayout(database.prisma, small.id)).toBe("SKIPPED");

    const big = await run((ctx) => requestWithdrawal(ctx, member, 5_000_000));
    expect(big.status).toBe("PENDING_REVIEW");
    await run((ctx) => approveWithdrawal(ctx, big.id, { staffId: staffA }));
    expect(await code(run((ctx) => approveWithdrawal(ctx, big.id, { staffId: staffA })))).toBe("ALREADY_APPROVED");
    expect((await database.prisma.withdrawal.findUniqueOrThrow({ where: { id: big.id } })).status).toBe("PENDING_REVIEW");
    await run((ctx) => approveWithdrawal(ctx, big.id, { staffId: staffB }));
    expect(await executePayout(database.prisma, big.id)).toBe("PAID");

    const wallet = await walletOf({ tx: database.prisma }, member);
    expect(wallet).toEqual({ pending: 0, available: 10_000_000 - 5_200_000, withdrawing: 0, withdrawn: 5_200_000, credit: 0 });
    expect(await walletFromLedger({ tx: database.prisma }, member)).toEqual(wallet);
    const actions = (await database.prisma.auditLog.findMany({ where: { target: `withdrawal:${big.id}` } })).map((a) => a.action);
    expect(actions).toEqual(["withdrawal.requested", "withdrawal.approved", "withdrawal.approved", "withdrawal.paying", "withdrawal.paid"]);
  });

  it("returns the money to available when rejected or when the payout fails", async () => {
    await run((ctx) => verifyIdentity(ctx, member, { realName: "测试失败", idNumber: VALID_ID }));
    const a = await run((ctx) => requestWithdrawal(ctx, member, 300_000));
    await run((ctx) => rejectWithdrawal(ctx, a.id, { staffId: staffA }, "资料不符"));
    const b = await run((ctx) => requestWithdrawal(ctx, member, 100_000));
    expect(await executePayout(database.prisma, b.id)).toBe("FAILED");
    expect(await walletOf({ tx: database.prisma }, member)).toMatchObject({ available: 10_000_000, withdrawing: 0, withdrawn: 0 });
    expect((await database.prisma.withdrawal.findUniqueOrThrow({ where: { id: b.id } })).status).toBe("FAILED");
  });

  it("two concurrent withdrawals cannot overdraw", async () => {
    await run((ctx) => verifyIdentity(ctx, member, { realName: "张三丰", idNumber: VALID_ID }));
    const results = await Promise.allSettled([6_000_000, 6_000_000].map((amt) => run((ctx) => requestWithdrawal(ctx, member, amt))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await walletOf({ tx: database.prisma }, member)).toMatchObject({ available: 4_000_000, withdrawing: 6_000_000 });
  });
});
