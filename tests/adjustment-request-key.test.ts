// A manual adjustment resent with its dialog's key (the answer lost to a timeout, 提交 clicked twice) returns the
// adjustment it made: the member is paid (or debited) once, with one ledger transaction, one audit trail and
// one request for approval. The key with other facts is refused (409 through the procedure), never a second row.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { DomainError, inTx, type Ctx } from "../server/context";
import { registerMember } from "../server/referral";
import { walletOf } from "../server/wallet/ledger";
import { approveAdjustment, requestAdjustment } from "../server/wallet/adjustments";
import type { AdjustmentRequest } from "../server/wallet/schemas";
import { freshDatabase } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";
import { TRPCError } from "@trpc/server";

const KEY = "0123456789abcdef0123456789abcdef";
const REUSED = ["ADJUSTMENT_KEY_REUSED", "这笔调账此前已按其他内容提交，请在调账列表中核对后再提交"];
let database: Database;
let member: number;
let fa: number;
let fb: number;

const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, {}, fn);
const refusal = (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof DomainError ? [e.code, e.message] : String(e)));
const request = (staffId: number, input: AdjustmentRequest) => run((ctx) => requestAdjustment(ctx, { staffId }, input));
const wallet = () => walletOf({ tx: database.prisma }, member);

async function trail() {
  const [adjustments, txns, audits, notices] = await Promise.all([
    database.prisma.ledgerAdjustment.count(),
    database.prisma.ledgerTxn.count({ where: { kind: "manual_adjustment" } }),
    database.prisma.auditLog.count({ where: { action: { startsWith: "adjustment." } } }),
    database.prisma.notification.count({ where: { memberId: member, kind: "wallet" } }),
  ]);
  return { adjustments, txns, audits, notices };
}

beforeEach(async () => {
  database = await freshDatabase();
  const staff = (username: string) => database.prisma.staffAccount.create({ data: { username, displayName: username, role: "finance", passwordHash: "x", createdAt: new Date() } });
  fa = (await staff("fa")).id;
  fb = (await staff("fb")).id;
  member = (await run((ctx) => registerMember(ctx, { username: "shopper", ip: "1.1.1.1", device: "d1" }))).id;
});
afterEach(() => database.close());

describe("an adjustment request key", () => {
  it("a resent credit or debit returns the adjustment made: the same id and status, the member's balance moved once", async () => {
    const credit = { member: `#${member}`, bucket: "available", amountFen: 30_000, reason: "活动补发", requestKey: KEY } as const;
    const first = await request(fa, credit);
    // 300 元 is under the default 1 000 元 two-person threshold: applied at once, requested + applied audited.
    expect(first.status).toBe("APPLIED");
    expect(await wallet()).toMatchObject({ available: 30_000, credit: 0 });
    const after = await trail();
    expect(after).toEqual({ adjustments: 1, txns: 1, audits: 2, notices: 1 });

    const again = await request(fa, credit);
    const third = await request(fa, { ...credit, member: `${member}`, reason: "活动补发" });
    expect([again.id, again.status, third.id, third.status]).toEqual([first.id, "APPLIED", first.id, "APPLIED"]);
    expect(await wallet()).toMatchObject({ available: 30_000, credit: 0 });
    expect(await trail()).toEqual(after);

    // A 100 元 debit resent: 30 000 − 10 000 = 20 000, once.
    const debit = { member: `#${member}`, bucket: "available", amountFen: -10_000, reason: "误发收回", requestKey: "fedcba9876543210fedcba9876543210" } as const;
    const d1 = await request(fa, debit);
    const d2 = await request(fa, debit);
    expect(d2.id).toBe(d1.id);
    expect(await wallet()).toMatchObject({ available: 20_000 });
    expect(await trail()).toEqual({ adjustments: 2, txns: 2, audits: 4, notices: 2 });
  });

  it("a resent request above the threshold is one pending request; resent after its approval it is that applied adjustment", async () => {
    // 1 200 元 > 1 000 元: a second person approves, nothing moves until then.
    const big = { member: `#${member}`, bucket: "credit", amountFen: 120_000, reason: "大额补偿", requestKey: KEY } as const;
    const first = await request(fa, big);
    const again = await request(fa, big);
    expect([first.status, again.id, again.status]).toEqual(["PENDING_APPROVAL", first.id, "PENDING_APPROVAL"]);
    expect(await trail()).toEqual({ adjustments: 1, txns: 0, audits: 1, notices: 0 });

    await run((ctx) => approveAdjustment(ctx, { staffId: fb }, first.id));
    const late = await request(fa, big);
    expect([late.id, late.status]).toEqual([first.id, "APPLIED"]);
    expect(await wallet()).toMatchObject({ credit: 120_000, available: 0 });
    expect(await trail()).toEqual({ adjustments: 1, txns: 1, audits: 2, notices: 1 });
  });

  it("the key with another amount, bucket, member or reason is refused and nothing moves; another requester's key is theirs", async () => {
    const other = (await run((ctx) => registerMember(ctx, { username: "other", ip: "2.2.2.2", device: "d2" }))).id;
    const credit = { member: `#${member}`, bucket: "available", amountFen: 30_000, reason: "活动补发", requestKey: KEY } as const;
    const first = await request(fa, credit);
    const before = await trail();
    for (const changed of [{ amountFen: 30_001 }, { amountFen: -30_000 }, { bucket: "credit" }, { member: `#${other}` }, { reason: "另一原因" }] as const) {
      expect(await refusal(request(fa, { ...credit, ...changed }))).toEqual(REUSED);
    }
    expect(await trail()).toEqual(before);
    expect(await wallet()).toMatchObject({ available: 30_000, credit: 0 });
    expect(await walletOf({ tx: database.prisma }, other)).toMatchObject({ available: 0, credit: 0 });

    // The key names fa's submission: fb's with the same key is fb's own adjustment (30 000 + 5 000).
    const theirs = await request(fb, { ...credit, amountFen: 5_000 });
    expect(theirs.id).not.toBe(first.id);
    expect(await wallet()).toMatchObject({ available: 35_000 });
  });

  it("through the procedure: a resend returns the same adjustment, a reuse is a 409 with its code, a key is required", async () => {
    const finance = await signedInStaff(database.prisma, "finance");
    const credit = { member: `#${member}`, bucket: "available", amountFen: 30_000, reason: "活动补发", requestKey: KEY } as const;
    const first = await finance.caller.merchantAdjustment.request(credit);
    expect((await finance.caller.merchantAdjustment.request(credit)).id).toBe(first.id);
    expect(await wallet()).toMatchObject({ available: 30_000 });

    const reused = await finance.caller.merchantAdjustment.request({ ...credit, amountFen: 60_000 }).then(() => null, (e: unknown) => e);
    expect(reused).toBeInstanceOf(TRPCError);
    const e = reused as TRPCError;
    expect([e.code, e.message, (e.cause as DomainError).code]).toEqual(["CONFLICT", REUSED[1], REUSED[0]]);

    const { requestKey: _, ...keyless } = credit;
    await expect(finance.caller.merchantAdjustment.request(keyless as AdjustmentRequest)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(finance.caller.merchantAdjustment.request({ ...credit, requestKey: "not-a-key" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await wallet()).toMatchObject({ available: 30_000 });
    expect(await database.prisma.ledgerAdjustment.count()).toBe(1);
  });
});
