// Manual ledger adjustments (issue 9): double-entry against merchant:adjustment (the ledger balances,
// wallets equal the ledger), two-person approval above the threshold, the requester never approves
// their own (the domain refuses, and so does the database), every step audited.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, DomainError } from "../../server/context";
import { registerMember } from "../../server/referral";
import { walletOf, walletFromLedger } from "../../server/wallet/ledger";
import { approveAdjustment, listAdjustments, rejectAdjustment, requestAdjustment } from "../../server/wallet/adjustments";
import { newAdjustmentRequestKey } from "../../server/wallet/schemas";
import { updateMoneySettings } from "../../server/wallet/fee";
import { freshDatabase } from "../helpers/db";

let database: Database;
let member: number;
let fa: number;
let fb: number;
let owner: number;

const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, {}, fn);
const code = async (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof DomainError ? e.code : String(e)));

async function ledgerBalances() {
  const unbalanced = await database.prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (SELECT "txnId" FROM "LedgerEntry" GROUP BY "txnId" HAVING sum("amountFen") <> 0) t`;
  expect(Number(unbalanced[0]!.n)).toBe(0);
  expect(await walletFromLedger({ tx: database.prisma }, member)).toEqual(await walletOf({ tx: database.prisma }, member));
}

beforeEach(async () => {
  database = await freshDatabase();
  const staff = (username: string, role: "finance" | "owner") => database.prisma.staffAccount.create({ data: { username, displayName: username, role, passwordHash: "x", createdAt: new Date() } });
  fa = (await staff("fa", "finance")).id;
  fb = (await staff("fb", "finance")).id;
  owner = (await staff("boss", "owner")).id;
  member = (await run((ctx) => registerMember(ctx, { username: "shopper", ip: "1.1.1.1", device: "d1" }))).id;
});
afterEach(() => database.close());

describe("manual ledger adjustments", () => {
  it("applies a small one at once, double-entry against merchant:adjustment, audited and notified", async () => {
    const a = await run((ctx) => requestAdjustment(ctx, { staffId: fa }, { member: `#${member}`, bucket: "available", amountFen: 12_345, reason: "活动补发", requestKey: newAdjustmentRequestKey() }));
    expect(a.status).toBe("APPLIED");
    expect(await walletOf({ tx: database.prisma }, member)).toMatchObject({ available: 12_345 });
    const txn = await database.prisma.ledgerTxn.findUniqueOrThrow({ where: { key: `adjustment:${a.id}` }, include: { entries: true } });
    expect(txn).toMatchObject({ kind: "manual_adjustment", memo: "活动补发" });
    expect(txn.entries.map((e) => [e.account, e.amountFen]).sort()).toEqual([[`member:${member}:available`, 12_345], ["merchant:adjustment", -12_345]]);
    const actions = (await database.prisma.auditLog.findMany({ where: { target: `adjustment:${a.id}` }, orderBy: { id: "asc" } })).map((x) => [x.action, x.actorId]);
    expect(actions).toEqual([["adjustment.requested", fa], ["adjustment.applied", fa]]);
    expect(await database.prisma.notification.count({ where: { memberId: member, title: "账户调整" } })).toBe(1);
    // A debit of what is there is fine; more than there is is refused and nothing moves.
    expect(await code(run((ctx) => requestAdjustment(ctx, { staffId: fa }, { member: `${member}`, bucket: "available", amountFen: -12_346, reason: "误发收回", requestKey: newAdjustmentRequestKey() })))).toBe("INSUFFICIENT_BALANCE");
    expect(await database.prisma.ledgerAdjustment.count()).toBe(1);
    await run((ctx) => requestAdjustment(ctx, { staffId: fa }, { member: `${member}`, bucket: "available", amountFen: -12_345, reason: "误发收回", requestKey: newAdjustmentRequestKey() }));
    expect(await walletOf({ tx: database.prisma }, member)).toMatchObject({ available: 0 });
    expect(await code(run((ctx) => requestAdjustment(ctx, { staffId: fa }, { member: "13900000000", bucket: "credit", amountFen: 100, reason: "没有这个人", requestKey: newAdjustmentRequestKey() })))).toBe("NO_SUCH_MEMBER");
    await ledgerBalances();
  });

  it("above the threshold needs a second person: the requester cannot approve their own", async () => {
    await run((ctx) => updateMoneySettings(ctx, { staffId: owner }, { feeBps: 0, feeMinFen: 0, adjustmentApprovalAboveFen: 50_000 }));
    // Exactly at the threshold: applied at once; above it: waits.
    expect((await run((ctx) => requestAdjustment(ctx, { staffId: fa }, { member: `${member}`, bucket: "credit", amountFen: 50_000, reason: "门槛内", requestKey: newAdjustmentRequestKey() }))).status).toBe("APPLIED");
    const big = await run((ctx) => requestAdjustment(ctx, { staffId: fa }, { member: `${member}`, bucket: "available", amountFen: 50_001, reason: "大额补偿", requestKey: newAdjustmentRequestKey() }));
    expect(big.status).toBe("PENDING_APPROVAL");
    expect(await walletOf({ tx: database.prisma }, member)).toMatchObject({ available: 0, credit: 50_000 });

    expect(await code(run((ctx) => approveAdjustment(ctx, { staffId: fa }, big.id)))).toBe("SAME_PERSON");
    expect((await listAdjustments(database.prisma, {}, fa)).items.find((r) => r.id === big.id)).toMatchObject({ mine: true, canDecide: false });
    expect((await listAdjustments(database.prisma, {}, fb)).items.find((r) => r.id === big.id)).toMatchObject({ mine: false, canDecide: true });
    // The database refuses it too, whatever code would try.
    await expect(database.prisma.ledgerAdjustment.update({ where: { id: big.id }, data: { status: "APPLIED", decidedById: fa } })).rejects.toThrow();

    const approved = await run((ctx) => approveAdjustment(ctx, { staffId: fb }, big.id));
    expect(approved).toMatchObject({ status: "APPLIED", decidedById: fb });
    expect(await walletOf({ tx: database.prisma }, member)).toMatchObject({ available: 50_001 });
    expect(await code(run((ctx) => approveAdjustment(ctx, { staffId: owner }, big.id)))).toBe("NOT_PENDING"); // never twice
    expect(await walletOf({ tx: database.prisma }, member)).toMatchObject({ available: 50_001 });
    const audits = await database.prisma.auditLog.findMany({ where: { target: `adjustment:${big.id}` }, orderBy: { id: "asc" } });
    expect(audits.map((x) => [x.action, x.actorId])).toEqual([["adjustment.requested", fa], ["adjustment.approved", fb]]);

    // A rejected one moves nothing.
    const other = await run((ctx) => requestAdjustment(ctx, { staffId: fb }, { member: `${member}`, bucket: "credit", amountFen: 80_000, reason: "待核实", requestKey: newAdjustmentRequestKey() }));
    await run((ctx) => rejectAdjustment(ctx, { staffId: fa }, other.id, "依据不足"));
    expect(await code(run((ctx) => approveAdjustment(ctx, { staffId: fa }, other.id)))).toBe("NOT_PENDING");
    expect(await walletOf({ tx: database.prisma }, member)).toMatchObject({ available: 50_001, credit: 50_000 });
    expect((await listAdjustments(database.prisma, { status: "REJECTED" }, fa)).total).toBe(1);
    const sum = await database.prisma.ledgerEntry.aggregate({ where: { account: "merchant:adjustment" }, _sum: { amountFen: true } });
    expect(sum._sum.amountFen).toBe(-(50_000 + 50_001));
    await ledgerBalances();
  });

  it("a debit approved later is re-checked against the balance at approval", async () => {
    // The credit on one merchant day, the debits on the next: each day's total is its own.
    const day1 = new Date("2026-05-10T10:00:00+08:00");
    const day2 = new Date("2026-05-11T10:00:00+08:00");
    await inTx(database.prisma, { now: day1 }, (ctx) => requestAdjustment(ctx, { staffId: fa }, { member: `${member}`, bucket: "available", amountFen: 100_000, reason: "补发", requestKey: newAdjustmentRequestKey() }));
    const debit = await inTx(database.prisma, { now: day2 }, (ctx) => requestAdjustment(ctx, { staffId: fa }, { member: `${member}`, bucket: "available", amountFen: -100_000, reason: "收回", requestKey: newAdjustmentRequestKey() }));
    expect(debit.status).toBe("APPLIED"); // at the threshold (1 000 元 default): applied at once
    const second = await inTx(database.prisma, { now: day2 }, (ctx) => requestAdjustment(ctx, { staffId: fa }, { member: `${member}`, bucket: "available", amountFen: -100_001, reason: "多扣", requestKey: newAdjustmentRequestKey() }));
    expect(second.status).toBe("PENDING_APPROVAL");
    expect(await code(run((ctx) => approveAdjustment(ctx, { staffId: fb }, second.id)))).toBe("INSUFFICIENT_BALANCE");
    expect((await database.prisma.ledgerAdjustment.findUniqueOrThrow({ where: { id: second.id } })).status).toBe("PENDING_APPROVAL");
    await ledgerBalances();
  });
});
