// SPEC §2: a sign-up with no valid code binds to nobody. A frozen or deleted member's share link is invalid (the
// landing page and the visit counter say so); found in review: the sign-up still bound to that member. Now it binds
// nobody, as an unknown code, and the member is told (Member.bindingRefusal "sponsor_inactive"); nobody is flagged.
// A sponsor named by id (the scenario replay) is refused only when deleted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { recordReferralVisit, registerMember } from "../server/referral";
import { setMemberFrozen } from "../server/members/admin";
import { deleteAsShown } from "./helpers/deletion";
import { freshDatabase } from "./helpers/db";

const config = parseConfig({});
const t0 = new Date("2026-03-10T02:00:00Z");
let database: Database;
let db: Db;
beforeAll(async () => {
  database = await freshDatabase();
  db = database.prisma;
});
afterAll(() => database.close());

const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(db, { config, now: t0 }, fn);
let seq = 0;
const join = (sponsor: { sponsorCode?: string; sponsorId?: number } = {}) =>
  run((ctx) => registerMember(ctx, { username: `u${++seq}`, ip: `198.51.100.${seq}`, device: `dev-${seq}`, ...sponsor }));
const staff = { staffId: 1 };

/** What the sign-up left: its sponsor, the refusal shown to it, the would-be sponsor's team and team notices, risk events. */
async function outcome(memberId: number, sponsorId: number) {
  const [m, s, notes, events] = await Promise.all([
    db.member.findUniqueOrThrow({ where: { id: memberId } }),
    db.member.findUniqueOrThrow({ where: { id: sponsorId } }),
    db.notification.count({ where: { memberId: sponsorId, kind: "team" } }),
    db.riskEvent.count({ where: { memberIds: { has: memberId } } }),
  ]);
  const closure = await db.sponsorClosure.count({ where: { descendantId: memberId } });
  return { sponsorId: m.sponsorId, bindingRefusal: m.bindingRefusal, teamSize: s.teamSize, notes, events, closure };
}

describe("a sign-up through a frozen or deleted member's link", () => {
  it("a frozen member's code binds nobody; unfrozen, it binds again", async () => {
    const a = await join();
    await run((ctx) => setMemberFrozen(ctx, a.id, true, "fraud review", staff));
    expect(await run((ctx) => recordReferralVisit(ctx, a.referralCode, "v1"))).toBeNull();

    const byCode = await join({ sponsorCode: a.referralCode });
    expect(await outcome(byCode.id, a.id)).toEqual({ sponsorId: null, bindingRefusal: "sponsor_inactive", teamSize: 0, notes: 0, events: 0, closure: 0 });

    await run((ctx) => setMemberFrozen(ctx, a.id, false, "cleared", staff));
    const later = await join({ sponsorCode: a.referralCode });
    expect(await outcome(later.id, a.id)).toMatchObject({ sponsorId: a.id, bindingRefusal: null, teamSize: 1, closure: 1 });
  });

  it("a frozen sponsor named by id (scenario replay) still binds: SPEC §2 refuses only self and shared device", async () => {
    const a = await join();
    await run((ctx) => setMemberFrozen(ctx, a.id, true, "three rejections", staff));
    const byId = await join({ sponsorId: a.id });
    expect(await outcome(byId.id, a.id)).toMatchObject({ sponsorId: a.id, bindingRefusal: null, teamSize: 1, closure: 1 });
  });

  it("a deleted member's old code is unknown, and its id binds nobody", async () => {
    const a = await join();
    await run((ctx) => deleteAsShown(ctx, a.id, true));
    const byCode = await join({ sponsorCode: a.referralCode });
    expect(await outcome(byCode.id, a.id)).toEqual({ sponsorId: null, bindingRefusal: null, teamSize: 0, notes: 0, events: 0, closure: 0 });
    const byId = await join({ sponsorId: a.id });
    expect(await outcome(byId.id, a.id)).toEqual({ sponsorId: null, bindingRefusal: "sponsor_inactive", teamSize: 0, notes: 0, events: 0, closure: 0 });
  });

  it("an unknown code binds nobody and records no refusal, as before", async () => {
    const b = await join({ sponsorCode: "ZZZZZZ" });
    const m = await db.member.findUniqueOrThrow({ where: { id: b.id } });
    expect([m.sponsorId, m.bindingRefusal]).toEqual([null, null]);
  });
});
