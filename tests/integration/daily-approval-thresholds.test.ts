// Approval thresholds per member and merchant-calendar day (SPEC §6): a withdrawal is auto-approved only
// while the member's withdrawals of that local day, this one included and rejected or failed ones aside,
// stay within 2 000 元; one approver beyond; two from 50 000 元. Staff balance adjustments: the same per-day
// rule against their configured threshold. Splitting a sum never slips under a threshold, also when two
// requests arrive at once (they race for real with FM_TEST_DB=postgres).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { fromMerchant } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { executePayout, rejectWithdrawal, requestWithdrawal } from "../../server/wallet/withdrawals";
import { rejectAdjustment, requestAdjustment } from "../../server/wallet/adjustments";
import { newAdjustmentRequestKey } from "../../server/wallet/schemas";
import { freshDatabase } from "../helpers/db";
import { nextTestIdNumber } from "../helpers/id-numbers";

const config = parseConfig({}); // timeZone Asia/Shanghai, adjustment.approvalAboveFen 1 000 元
const VALID_ID = "11010519491231002X";
let database: Database;
let member: number;
let staff: number;
let other: number;

const at = (iso: string) => new Date(iso);
const runAt = <T,>(now: Date, fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { config, now }, fn);

beforeEach(async () => {
  database = await freshDatabase();
  const joined = at("2026-05-01T09:00:00+08:00");
  member = (await runAt(joined, (ctx) => registerMember(ctx, { username: "shopper" }))).id;
  await runAt(joined, (ctx) => verifyIdentity(ctx, member, { realName: "张三丰", idNumber: VALID_ID }));
  await runAt(joined, (ctx) => fromMerchant(ctx, "fund", "test", "merchant:commission", member, "available", 10_000_000));
  const account = (username: string) => database.prisma.staffAccount.create({ data: { username, displayName: username, role: "finance", passwordHash: "x", createdAt: joined } });
  staff = (await account("fa")).id;
  other = (await account("fb")).id;
});
afterEach(() => database.close());

const withdraw = (now: string, amountFen: number, who = member) => runAt(at(now), (ctx) => requestWithdrawal(ctx, who, amountFen));

describe("withdrawal thresholds per day", () => {
  it("the second 1 500 元 of a day makes 3 000 元: it needs an approver", async () => {
    const first = await withdraw("2026-05-10T10:00:00+08:00", 150_000);
    expect(first).toMatchObject({ status: "APPROVED", approvalsNeeded: 0 });
    const second = await withdraw("2026-05-10T15:00:00+08:00", 150_000);
    expect(second).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 1 });
    // Up to the threshold in total is still automatic: 1 000 + 1 000 = 2 000 元 on another day.
    expect(await withdraw("2026-05-12T10:00:00+08:00", 100_000)).toMatchObject({ status: "APPROVED" });
    expect(await withdraw("2026-05-12T10:05:00+08:00", 100_000)).toMatchObject({ status: "APPROVED" });
    expect(await withdraw("2026-05-12T10:10:00+08:00", 10_000)).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 1 });
  });

  it("two approvers once the day's total reaches 50 000 元", async () => {
    expect(await withdraw("2026-05-10T10:00:00+08:00", 4_000_000)).toMatchObject({ approvalsNeeded: 1 });
    // 40 000 + 10 000 = 50 000 元.
    expect(await withdraw("2026-05-10T11:00:00+08:00", 1_000_000)).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 2 });
  });

  it("the next merchant-calendar day starts afresh (Asia/Shanghai, not UTC)", async () => {
    // 23:30 and 00:10 Shanghai are both on 2026-05-10 in UTC (15:30Z, 16:10Z), but on two local days.
    expect(await withdraw("2026-05-10T23:30:00+08:00", 150_000)).toMatchObject({ status: "APPROVED" });
    expect(await withdraw("2026-05-11T00:10:00+08:00", 150_000)).toMatchObject({ status: "APPROVED", approvalsNeeded: 0 });
  });

  it("a rejected withdrawal, and a failed payout, do not count", async () => {
    const big = await withdraw("2026-05-10T09:00:00+08:00", 300_000);
    expect(big).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 1 });
    await runAt(at("2026-05-10T09:30:00+08:00"), (ctx) => rejectWithdrawal(ctx, big.id, { staffId: staff }, "资料不符"));
    expect(await withdraw("2026-05-10T10:00:00+08:00", 150_000)).toMatchObject({ status: "APPROVED" });

    // A payee the sandbox refuses: the failed 1 500 元 went back to `available` and is not counted.
    const payee = (await runAt(at("2026-05-01T09:00:00+08:00"), (ctx) => registerMember(ctx, { username: "payee" }))).id;
    await runAt(at("2026-05-01T09:00:00+08:00"), (ctx) => verifyIdentity(ctx, payee, { realName: "测试失败", idNumber: nextTestIdNumber() }));
    await runAt(at("2026-05-01T09:00:00+08:00"), (ctx) => fromMerchant(ctx, "fund-payee", "test", "merchant:commission", payee, "available", 1_000_000));
    const failed = await withdraw("2026-05-10T10:00:00+08:00", 150_000, payee);
    expect(await executePayout(database.prisma, failed.id, undefined, at("2026-05-10T10:01:00+08:00"))).toBe("FAILED");
    expect(await withdraw("2026-05-10T11:00:00+08:00", 150_000, payee)).toMatchObject({ status: "APPROVED" });
  });

  it("two requests at once: at most one is approved automatically", async () => {
    const now = "2026-05-10T10:00:00+08:00";
    const made = await Promise.all([withdraw(now, 150_000), withdraw(now, 150_000)]);
    expect(made.map((w) => w.status).sort()).toEqual(["APPROVED", "PENDING_REVIEW"]);
  });
});

describe("staff balance adjustments: threshold per member and day", () => {
  const adjust = (now: string, amountFen: number, bucket: "available" | "credit" = "available") =>
    runAt(at(now), (ctx) => requestAdjustment(ctx, { staffId: staff }, { member: `${member}`, bucket, amountFen, reason: "补发", requestKey: newAdjustmentRequestKey() }));

  it("a second 600 元 the same day makes 1 200 元: it waits for a second person", async () => {
    expect(await adjust("2026-05-10T10:00:00+08:00", 60_000)).toMatchObject({ status: "APPLIED" });
    expect(await adjust("2026-05-10T10:05:00+08:00", 60_000)).toMatchObject({ status: "PENDING_APPROVAL" });
  });

  it("credits and debits count alike, in any bucket (the threshold is on the size of what staff move)", async () => {
    expect(await adjust("2026-05-10T10:00:00+08:00", -60_000)).toMatchObject({ status: "APPLIED" });
    expect(await adjust("2026-05-10T10:05:00+08:00", 60_000, "credit")).toMatchObject({ status: "PENDING_APPROVAL" });
  });

  it("the next merchant-calendar day starts afresh, and a rejected adjustment does not count", async () => {
    expect(await adjust("2026-05-10T23:30:00+08:00", 60_000)).toMatchObject({ status: "APPLIED" });
    expect(await adjust("2026-05-11T00:10:00+08:00", 60_000)).toMatchObject({ status: "APPLIED" });
    const big = await adjust("2026-05-12T09:00:00+08:00", 150_000);
    expect(big.status).toBe("PENDING_APPROVAL");
    await runAt(at("2026-05-12T09:30:00+08:00"), (ctx) => rejectAdjustment(ctx, { staffId: other }, big.id, "依据不足"));
    expect(await adjust("2026-05-12T10:00:00+08:00", 60_000)).toMatchObject({ status: "APPLIED" });
  });

  it("two at once: at most one is applied without a second person", async () => {
    const made = await Promise.all([adjust("2026-05-10T10:00:00+08:00", 60_000), adjust("2026-05-10T10:00:00+08:00", 60_000)]);
    expect(made.map((a) => a.status).sort()).toEqual(["APPLIED", "PENDING_APPROVAL"]);
  });
});
