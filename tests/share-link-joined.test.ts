// The ?joined=1 banner after "接受邀请": only a member created by that sign-in is welcomed with their inviter (or told why
// there is none); a member from before signed in to their own account, and the invitation bound nothing (SPEC §2).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { registerMember } from "../server/referral";
import { joinedView } from "../server/members/profile-actions";
import { freshPglite } from "./helpers/db";

const SIGN_UP = new Date("2026-03-01T02:00:00Z");
const minutes = (n: number) => new Date(SIGN_UP.getTime() + n * 60_000);
let database: Database;
let invitee: number;
let loner: number;

beforeAll(async () => {
  database = await freshPglite();
  const db = database.prisma;
  const sharer = await inTx(db, { now: minutes(-60 * 24) }, (ctx) => registerMember(ctx, { username: "wang", nickname: "王店长" }));
  invitee = (await inTx(db, { now: SIGN_UP }, (ctx) => registerMember(ctx, { username: "li", nickname: "李姐", sponsorCode: sharer.referralCode }))).id;
  loner = (await inTx(db, { now: SIGN_UP }, (ctx) => registerMember(ctx, { username: "zhao", nickname: "赵同学" }))).id;
}, 180_000);
afterAll(() => database?.close());

describe("joinedView", () => {
  it("a member the sign-in just created: their inviter, masked", async () => {
    expect(await joinedView({ tx: database.prisma }, invitee, minutes(0.5))).toEqual({ existing: false, sponsor: { name: "王*长", avatar: expect.anything() }, bindingRefusal: null });
    // Still the sign-up's return up to ten minutes on.
    expect(await joinedView({ tx: database.prisma }, invitee, minutes(10))).toMatchObject({ existing: false, sponsor: { name: "王*长" } });
  });

  it("a new member bound to nobody is told so", async () => {
    expect(await joinedView({ tx: database.prisma }, loner, minutes(1))).toEqual({ existing: false, sponsor: null, bindingRefusal: null });
  });

  it("a member from before who signs in through a friend's invitation is not welcomed as new", async () => {
    expect(await joinedView({ tx: database.prisma }, invitee, minutes(11))).toEqual({ existing: true });
    expect(await joinedView({ tx: database.prisma }, loner, minutes(60 * 24 * 30))).toEqual({ existing: true });
  });

  it("an unknown member: nothing", async () => {
    expect(await joinedView({ tx: database.prisma }, 999_999, minutes(1))).toBeNull();
  });
});
