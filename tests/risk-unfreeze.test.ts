// A risk reviewer lifts (or imposes) a freeze from the risk case page (SPEC §8). Found in review: only a role that
// reviews risk may lift the freeze three rejections make (server/members/admin.ts), yet the risk role cannot reach
// /merchant/members nor merchantMember.setFrozen, so only the owner could. merchantRisk.setMemberFrozen is open to the
// risk area's roles and calls the same domain function; the operator stays out of it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { recordRiskEvent } from "../server/risk/flags";
import { reviewMember } from "../server/risk/review";
import { freshDatabase } from "./helpers/db";
import { domainRefusal, refusal, signedInStaff } from "./helpers/caller";

const config = parseConfig({});
let database: Database;
let db: Db;
let staff: Record<"risk" | "operator", Awaited<ReturnType<typeof signedInStaff>>>;

beforeAll(async () => {
  database = await freshDatabase();
  db = database.prisma;
  staff = { risk: await signedInStaff(db, "risk"), operator: await signedInStaff(db, "operator") };
});
afterAll(() => database.close());

const HOUR = 3600_000;
const run = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(db, { config, now }, fn);
let seq = 0;
const join = () => run(new Date(Date.now() - 48 * HOUR), (ctx) => registerMember(ctx, { username: `ru${++seq}`, ip: `198.51.100.${seq}`, device: `ru-dev-${seq}` })).then((m) => m.id);

/** Three flags, each rejected an hour apart: the third rejection freezes the member (FREEZE_AFTER_REJECTIONS). */
async function frozenByReview(memberId: number) {
  const t0 = Date.now() - 10 * HOUR;
  for (const h of [0, 1, 2]) {
    const now = new Date(t0 + h * HOUR);
    await run(now, (ctx) => recordRiskEvent(ctx, "refund_abuse", [memberId], [memberId], { test: h }));
    await run(now, (ctx) => reviewMember(ctx, memberId, "reject"));
  }
}

const frozen = async (memberId: number) => (await db.member.findUniqueOrThrow({ where: { id: memberId } })).frozen;
const audits = (memberId: number, action: string) =>
  db.auditLog.findMany({ where: { action, target: `member:${memberId}` }, select: { actorType: true, actorId: true, data: true, before: true, after: true } });
const lastNotice = async (memberId: number) => (await db.notification.findFirst({ where: { memberId }, orderBy: { id: "desc" }, select: { kind: true, key: true } }));

describe("merchantRisk.setMemberFrozen", () => {
  it("a risk reviewer lifts the review's freeze: unfrozen, audited under the reviewer with the reason, the shopper told", async () => {
    const m = await join();
    await frozenByReview(m);
    expect(await frozen(m)).toBe(true);
    // The reviewer's way in before: refused by authorization (the members area is not the risk role's).
    expect((await refusal(staff.risk.caller.merchantMember.setFrozen({ id: m, frozen: false, reason: "申诉核实" }))).code).toBe("FORBIDDEN");

    expect(await staff.risk.caller.merchantRisk.setMemberFrozen({ memberId: m, frozen: false, reason: "申诉核实，解除冻结" })).toEqual({ id: m, frozen: false });
    expect(await frozen(m)).toBe(false);
    expect(await audits(m, "member.unfrozen")).toEqual([
      { actorType: "staff", actorId: staff.risk.id, data: { reason: "申诉核实，解除冻结" }, before: expect.objectContaining({ frozen: true }), after: { frozen: false, frozenAt: null } },
    ]);
    expect(await lastNotice(m)).toEqual({ kind: "account", key: "account.unfrozen" });
  });

  it("the operator is refused by authorization, whatever the freeze: nothing changes, nobody is told", async () => {
    const m = await join();
    await frozenByReview(m);
    const notices = await db.notification.count({ where: { memberId: m } });
    expect((await refusal(staff.operator.caller.merchantRisk.setMemberFrozen({ memberId: m, frozen: false, reason: "客户申诉" }))).code).toBe("FORBIDDEN");
    const other = await join();
    expect((await refusal(staff.operator.caller.merchantRisk.setMemberFrozen({ memberId: other, frozen: true, reason: "地址异常" }))).code).toBe("FORBIDDEN");
    expect([await frozen(m), await frozen(other)]).toEqual([true, false]);
    expect(await db.auditLog.count({ where: { target: { in: [`member:${m}`, `member:${other}`] }, action: { startsWith: "member." } } })).toBe(0);
    expect(await db.notification.count({ where: { memberId: m } })).toBe(notices);
  });

  it("a risk reviewer imposes a freeze with a reason; the same rules refuse a repeat and a missing reason", async () => {
    const m = await join();
    expect(await staff.risk.caller.merchantRisk.setMemberFrozen({ memberId: m, frozen: true, reason: "同设备批量注册，先行冻结" })).toEqual({ id: m, frozen: true });
    expect(await frozen(m)).toBe(true);
    expect((await audits(m, "member.frozen")).map((a) => [a.actorId, a.data])).toEqual([[staff.risk.id, { reason: "同设备批量注册，先行冻结" }]]);
    expect(await lastNotice(m)).toEqual({ kind: "account", key: "account.frozenByMerchant" });
    expect(await domainRefusal(staff.risk.caller.merchantRisk.setMemberFrozen({ memberId: m, frozen: true, reason: "再次冻结" }))).toBe("ALREADY_FROZEN");
    expect((await refusal(staff.risk.caller.merchantRisk.setMemberFrozen({ memberId: m, frozen: false, reason: " " }))).code).toBe("BAD_REQUEST");
    expect(await frozen(m)).toBe(true);
  });
});
