// Back-office procedures for risk review and withdrawals: staff accounts of the right role only (a
// shopper session is UNAUTHORIZED, another role FORBIDDEN), the reviewer sees the evidence and the
// tree around the member, and decisions go through the same domain functions as everywhere else.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { fromMerchant, walletOf } from "../server/wallet/ledger";
import { verifyIdentity } from "../server/wallet/identity";
import { requestWithdrawal } from "../server/wallet/withdrawals";
import { freshPglite } from "./helpers/db";
import { callerFor, refusal, signedInStaff } from "./helpers/caller";

const config = parseConfig({});
let database: Database;
let sponsor: number;
let flagged: number;
let risk: Awaited<ReturnType<typeof signedInStaff>>;
let financeA: Awaited<ReturnType<typeof signedInStaff>>;
let financeB: Awaited<ReturnType<typeof signedInStaff>>;

const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { config }, fn);

beforeAll(async () => {
  database = await freshPglite();
  sponsor = (await run((ctx) => registerMember(ctx, { username: "sponsor", ip: "9.9.9.9", device: "d1" }))).id;
  // Same sign-up IP as the sponsor: shared_ip flags the new member (SPEC §8).
  flagged = (await run((ctx) => registerMember(ctx, { username: "flagged", sponsorId: sponsor, ip: "9.9.9.9", device: "d2" }))).id;
  risk = await signedInStaff(database.prisma, "risk");
  financeA = await signedInStaff(database.prisma, "finance");
  financeB = await signedInStaff(database.prisma, "finance");
});
afterAll(() => database.close());

describe("merchant risk review", () => {
  it("is refused to shoppers and to staff of other roles", async () => {
    expect((await refusal(callerFor(database.prisma, sponsor).merchantRisk.queue())).code).toBe("UNAUTHORIZED");
    expect((await refusal(callerFor(database.prisma, null).merchantRisk.queue())).code).toBe("UNAUTHORIZED");
    expect((await refusal(financeA.caller.merchantRisk.queue())).code).toBe("FORBIDDEN");
  });

  it("shows the evidence and the tree around the member, then approves all open flags at once", async () => {
    const staff = risk.caller;
    const queue = await staff.merchantRisk.queue();
    expect(queue.items.map((q) => q.id)).toEqual([flagged]);
    expect(queue.items[0]!.flags.map((f) => f.rule)).toEqual(["shared_ip"]);
    expect((await staff.merchantRisk.queue({ rule: "ip_burst" })).total).toBe(0);
    expect((await staff.merchantRisk.queue({ member: `#${flagged}` })).total).toBe(1);
    expect((await staff.merchantRisk.queue({ member: "no-such-name" })).total).toBe(0);
    const c = await staff.merchantRisk.case({ memberId: flagged });
    expect(c.flags.map((f) => [f.rule, f.status])).toEqual([["shared_ip", "OPEN"]]);
    expect(c.events[0].evidence).toEqual({ ip: "9.9.9.9" });
    expect(c.upline).toEqual([{ depth: 1, id: sponsor, name: "sponsor" }]);
    expect(c.sameIp.map((m) => m.id)).toEqual([sponsor]);
    await staff.merchantRisk.review({ memberId: flagged, decision: "approve" });
    expect(await staff.merchantRisk.queue()).toEqual({ items: [], total: 0 });
    const again = await refusal(staff.merchantRisk.review({ memberId: flagged, decision: "reject", note: "再次审核同一案件" }));
    expect(again).toMatchObject({ code: "BAD_REQUEST" });
    const audit = await database.prisma.auditLog.findMany({ where: { action: "risk.approve" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "staff", actorId: risk.id, requestId: "test-request" });
    expect((await database.prisma.riskFlag.findFirstOrThrow({ where: { memberId: flagged } })).decidedBy).toBe(risk.id);
  });
});

describe("merchant withdrawal review", () => {
  it("needs two different staff accounts from 50 000 元 and pays out after the second", async () => {
    await run((ctx) => fromMerchant(ctx, "fund", "test", "merchant:commission", sponsor, "available", 6_000_000));
    await run((ctx) => verifyIdentity(ctx, sponsor, { realName: "王店长", idNumber: "11010519491231002X" }));
    const w = await run((ctx) => requestWithdrawal(ctx, sponsor, 5_000_000));
    expect((await refusal(callerFor(database.prisma, sponsor).merchantWithdrawal.approve({ id: w.id }))).code).toBe("UNAUTHORIZED");
    expect((await refusal(risk.caller.merchantWithdrawal.approve({ id: w.id }))).code).toBe("FORBIDDEN");
    const a = financeA.caller;
    const b = financeB.caller;
    expect((await a.merchantWithdrawal.approve({ id: w.id })).status).toBe("PENDING_REVIEW");
    expect((await refusal(a.merchantWithdrawal.approve({ id: w.id }))).message).toContain("另一位审核人");
    expect((await b.merchantWithdrawal.approve({ id: w.id })).status).toBe("PAID");
    expect(await walletOf({ tx: database.prisma }, sponsor)).toMatchObject({ available: 1_000_000, withdrawing: 0, withdrawn: 5_000_000 });
    expect((await refusal(a.merchantWithdrawal.reject({ id: w.id, reason: " " }))).code).toBe("BAD_REQUEST");
  });
});
