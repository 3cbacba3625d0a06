// Finance cannot credit or debit a deleted (注销) account (SPEC §6: deletion closed its wallet out; the account earns
// and withdraws nothing): refused when asked for, and when approved after the member deleted their account meanwhile —
// also while the deletion is under way (PostgreSQL: the approval waits for it and then sees it). Rejecting stays possible.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { DomainError, inTx, type Ctx } from "../server/context";
import { registerMember } from "../server/referral";
import { walletOf } from "../server/wallet/ledger";
import { approveAdjustment, rejectAdjustment, requestAdjustment } from "../server/wallet/adjustments";
import { newAdjustmentRequestKey } from "../server/wallet/schemas";
import { updateMoneySettings } from "../server/wallet/fee";
import { freshDatabase, usingPostgres } from "./helpers/db";
import { deleteAsShown } from "./helpers/deletion";
import { overlapping } from "./helpers/races";

let database: Database;
let member: number;
let fa: number;
let fb: number;

const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, {}, fn);
const refusal = (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof DomainError ? [e.code, e.message] : String(e)));
const DELETED = ["ADJUSTMENT_MEMBER_DELETED", "该会员已注销，不能调账"];
const wallet = () => walletOf({ tx: database.prisma }, member);

beforeEach(async () => {
  database = await freshDatabase();
  const staff = (username: string, role: "finance" | "owner") => database.prisma.staffAccount.create({ data: { username, displayName: username, role, passwordHash: "x", createdAt: new Date() } });
  fa = (await staff("fa", "finance")).id;
  fb = (await staff("fb", "finance")).id;
  const owner = (await staff("boss", "owner")).id;
  member = (await run((ctx) => registerMember(ctx, { username: "shopper", ip: "1.1.1.1", device: "d1" }))).id;
  // Above 500 元 a second person approves.
  await run((ctx) => updateMoneySettings(ctx, { staffId: owner }, { feeBps: 0, feeMinFen: 0, adjustmentApprovalAboveFen: 50_000 }));
});
afterEach(() => database.close());

/** A 600 元 credit to the member's available balance, waiting for a second person. */
const pendingCredit = () => run((ctx) => requestAdjustment(ctx, { staffId: fa }, { member: `#${member}`, bucket: "available", amountFen: 60_000, reason: "大额补偿", requestKey: newAdjustmentRequestKey() }));

describe("an adjustment of a deleted account", () => {
  it("is refused when asked for, credit or debit, applied at once or not: nothing is recorded", async () => {
    await run((ctx) => deleteAsShown(ctx, member, true));
    const before = await wallet();
    expect(await refusal(run((ctx) => requestAdjustment(ctx, { staffId: fa }, { member: `#${member}`, bucket: "credit", amountFen: 100, reason: "补发", requestKey: newAdjustmentRequestKey() })))).toEqual(DELETED);
    expect(await refusal(run((ctx) => requestAdjustment(ctx, { staffId: fa }, { member: `${member}`, bucket: "available", amountFen: -100, reason: "收回", requestKey: newAdjustmentRequestKey() })))).toEqual(DELETED);
    expect(await refusal(pendingCredit())).toEqual(DELETED);
    expect(await database.prisma.ledgerAdjustment.count()).toBe(0);
    expect(await database.prisma.ledgerTxn.count({ where: { kind: "manual_adjustment" } })).toBe(0);
    expect(await wallet()).toEqual(before);
  });

  it("asked for before the deletion, is refused at approval and stays pending; it can still be rejected", async () => {
    const pending = await pendingCredit();
    expect(pending.status).toBe("PENDING_APPROVAL");
    await run((ctx) => deleteAsShown(ctx, member, true));
    expect(await refusal(run((ctx) => approveAdjustment(ctx, { staffId: fb }, pending.id)))).toEqual(DELETED);
    expect(await database.prisma.ledgerAdjustment.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({ status: "PENDING_APPROVAL", decidedById: null });
    expect(await wallet()).toMatchObject({ available: 0 });
    expect(await run((ctx) => rejectAdjustment(ctx, { staffId: fb }, pending.id, "会员已注销"))).toMatchObject({ status: "REJECTED" });
  });

  it.runIf(usingPostgres())("approved while the deletion holds its transaction: waits for it, then is refused", async () => {
    const pending = await pendingCredit();
    const approval = refusal(overlapping((fn) => run(fn), (ctx) => deleteAsShown(ctx, member, true), (ctx) => approveAdjustment(ctx, { staffId: fb }, pending.id)));
    expect(await approval).toEqual(DELETED);
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id: member } })).deletedAt).not.toBeNull();
    expect(await wallet()).toMatchObject({ available: 0 });
  });
});
