// Sponsor change 改绑上级 against the sign-up rules it overrides (SPEC §2, §8): a change may not bind a member to
// a sponsor on their own sign-up device (the self-referral the sign-up refused), nor under a deleted account.
// Runs on PGlite, and on PostgreSQL with FM_TEST_DB=postgres.
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { DomainError, inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { decideSponsorChange, previewSponsorChange, requestSponsorChange } from "../../server/members/sponsor-change";
import { freshDatabase } from "../helpers/db";

let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

const NOW = new Date("2026-03-10T02:00:00Z");
const config = parseConfig({});
const requester = { staffId: 101, requestId: "req-1" };
const approver = { staffId: 202, requestId: "req-2" };

const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database!.prisma, { config, now: NOW }, fn);
const reg = async (username: string, device: string, sponsorId: number | null = null) =>
  (await run((c) => registerMember(c, { username, sponsorId, ip: `10.0.${username.length}.${username.charCodeAt(0)}`, device }))).id;
const refusalCode = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return "accepted";
};

describe("sponsor change: the sign-up risk rules still hold", () => {
  it("refuses a new sponsor who signed up on the member's device; another device is fine", async () => {
    database = await freshDatabase();
    const alice = await reg("alice", "dev-x");
    // Same device: the sign-up refused the binding (bob binds nobody).
    const bob = await reg("bob", "dev-x", alice);
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id: bob } })).sponsorId).toBeNull();
    const carol = await reg("carol", "dev-c");
    const ask = (to: number) => run((c) => requestSponsorChange(c, { memberId: bob, to, reason: "客户申请改绑" }, requester));
    expect(await refusalCode(run((c) => previewSponsorChange(c, bob, alice)))).toBe("SPONSOR_SHARES_DEVICE");
    expect(await refusalCode(ask(alice))).toBe("SPONSOR_SHARES_DEVICE");
    expect(await database.prisma.sponsorChangeRequest.count()).toBe(0);
    expect(await refusalCode(ask(carol))).toBe("accepted");
  });

  it("refuses a deleted account as the new sponsor, at the request and again at the approval", async () => {
    database = await freshDatabase();
    const dave = await reg("dave", "dev-d");
    const erin = await reg("erin", "dev-e");
    const frank = await reg("frank", "dev-f");
    const { id } = await run((c) => requestSponsorChange(c, { memberId: dave, to: erin, reason: "客户申请改绑" }, requester));
    // Both accounts deleted after the request (deletion erases the device and sets deletedAt).
    await database.prisma.member.updateMany({ where: { id: { in: [erin, frank] } }, data: { deletedAt: NOW, frozen: true, signupDevice: null } });
    expect(await refusalCode(run((c) => decideSponsorChange(c, id, true, null, approver)))).toBe("SPONSOR_DELETED");
    // Nothing changed: the request still waits for a decision (a rejection), dave still binds nobody.
    expect((await database.prisma.sponsorChangeRequest.findUniqueOrThrow({ where: { id } })).status).toBe("PENDING");
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id: dave } })).sponsorId).toBeNull();
    await run((c) => decideSponsorChange(c, id, false, "推荐人已注销", approver));
    expect(await refusalCode(run((c) => requestSponsorChange(c, { memberId: dave, to: frank, reason: "客户申请改绑" }, requester)))).toBe("SPONSOR_DELETED");
  });
});
