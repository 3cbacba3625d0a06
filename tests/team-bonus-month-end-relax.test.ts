// SPEC §7: a member's tier is the highest whose thresholds all hold, and the team bonus of a month goes to each partner
// when it closes (1st 00:00, merchant time). A rules version in force on the month's last day that lowers the partner
// threshold makes a partner of a member with no event of theirs: the month's bonus pays them, whichever of the nightly
// review and the bonus runs first at the instant, and however little late (production's wall clock).
import { afterEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { defaultConfig, type MallConfig } from "../server/config/schema";
import { saveRules } from "../server/rules";
import { refundOrder } from "../server/orders";
import { payMonthlyTeamBonus, reviewTiers } from "../server/tiers";
import { decideSponsorChange, requestSponsorChange, runSponsorChanges } from "../server/members/sponsor-change";
import { ensureRecurringTransitions, runDueTransitions } from "../server/scheduler";
import { freshDatabase } from "./helpers/db";
import { membersAt, teaShop } from "./helpers/shop";

const rules = (partnerDirects: number): MallConfig => ({
  ...defaultConfig,
  rebate: { ...defaultConfig.rebate, enabled: false },
  tiers: [{ name: "member" }, { name: "promoter", minDirects: 2 }, { name: "partner", minDirects: partnerDirects }],
  teamBonusBps: 200,
});
const JOINED = "2026-01-05T10:00:00+08:00";
const BOUGHT = "2026-01-06T10:00:00+08:00";
// March closes at 1 April 00:00 (Asia/Shanghai); the partner threshold drops from 4 to 3 qualified directs on 31 March.
const RELAXED = new Date("2026-03-31T10:00:00+08:00");
const APRIL_1 = new Date("2026-04-01T00:00:00+08:00");
const after = (ms: number) => new Date(APRIL_1.getTime() + ms);

let database: Database;
afterEach(() => database.close());

/** x: 3 qualified directs, y: 4, z: 2; their depth-1 downline completed 100, 200 and 300 元 of goods in March. */
async function shop(db: Db) {
  await teaShop(db);
  await saveRules(db, null, { config: rules(4), reason: "合伙人门槛 4 人" }, new Date("2026-01-01T00:00:00+08:00"));
  const { reg, buy } = membersAt(db, new Date(JOINED), new Date(BOUGHT));
  const [x, y, z] = [await reg("x", null), await reg("y", null), await reg("z", null)];
  for (const [sponsor, n] of [[x, 3], [y, 4], [z, 2]]) {
    for (let i = 0; i < n; i++) await buy(await reg(`d${sponsor}-${i}`, sponsor));
  }
  const completedAt = new Date("2026-03-15T12:00:00+08:00");
  await db.gmvCredit.createMany({ data: [x, y, z].map((memberId, i) => ({ memberId, orderId: 9001 + i, depth: 1, amountFen: (i + 1) * 10_000, completedAt })) });
  expect(await tiersOf(db, [x, y, z])).toEqual(["promoter", "partner", "promoter"]);
  // On the month's last day (wall clock) a partner needs 3 qualified directs: x is one from then, with no event of x's.
  await saveRules(db, null, { config: rules(3), reason: "降低合伙人门槛" }, RELAXED);
  return { x, y, z };
}

const tiersOf = async (db: Db, ids: number[]) => (await db.member.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } })).map((m) => m.tier);
const paid = (db: Db) => db.teamBonus.findMany({ orderBy: { memberId: "asc" }, select: { memberId: true, month: true, baseFen: true, amountFen: true } });

describe("team bonus: a partner only by rules relaxed on the month's last day", () => {
  // x: 2% of 100 元 = 200 fen; y: 2% of 200 元 = 400 fen; z (2 directs < 3) is no partner under either version.
  const expected = (x: number, y: number) => [
    { memberId: x, month: "2026-03", baseFen: 10_000n, amountFen: 200 },
    { memberId: y, month: "2026-03", baseFen: 20_000n, amountFen: 400 },
  ];

  it("the in-process scheduler a few seconds after the instant, the bonus's row taken before the nightly review's", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    const { x, y, z } = await shop(db);
    await inTx(db, { now: new Date("2026-03-31T12:00:00+08:00") }, (ctx) => ensureRecurringTransitions(ctx));
    await runDueTransitions(db, after(5_000), { now: after(5_000) });
    expect(await paid(db)).toEqual(expected(x, y));
    expect(await tiersOf(db, [x, y, z])).toEqual(["partner", "partner", "promoter"]);
    // Again, even with the month's run redone from scratch: nothing more.
    await db.jobCursor.deleteMany({ where: { key: "team_bonus:2026-03" } });
    expect(await payMonthlyTeamBonus(db, { now: after(9_000), instant: APRIL_1 })).toBe(0);
    const wallets = await db.wallet.findMany({ where: { memberId: { in: [x, y, z] } }, orderBy: { memberId: "asc" }, select: { available: true } });
    expect(wallets.map((w) => Number(w.available))).toEqual([200, 400, 0]);
  });

  it("the nightly review first, then the bonus, both a little late (Inngest's crons, either order)", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    const { x, y } = await shop(db);
    await reviewTiers(db, { now: after(1_000), instant: APRIL_1 });
    expect(await payMonthlyTeamBonus(db, { now: after(2_000), instant: APRIL_1 })).toBe(2);
    expect(await paid(db)).toEqual(expected(x, y));
  });

  it("a run at the instant itself (the scenario replay's clock), twice at once", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    const { x, y } = await shop(db);
    const runs = await Promise.all([1, 2].map(() => payMonthlyTeamBonus(db, { now: APRIL_1, instant: APRIL_1 })));
    expect(runs[0] + runs[1]).toBe(2);
    expect(await paid(db)).toEqual(expected(x, y));
  });

  it("rules relaxed only after the instant do not reach back to the month", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    await teaShop(db);
    // The same shop, but the threshold drops on 2 April: on 1 April 00:00 x (3 directs < 4) was a promoter.
    await saveRules(db, null, { config: rules(4), reason: "合伙人门槛 4 人" }, new Date("2026-01-01T00:00:00+08:00"));
    const { reg, buy } = membersAt(db, new Date(JOINED), new Date(BOUGHT));
    const x = await reg("x", null);
    for (let i = 0; i < 3; i++) await buy(await reg(`d${i}`, x));
    await db.gmvCredit.create({ data: { memberId: x, orderId: 9001, depth: 1, amountFen: 10_000, completedAt: new Date("2026-03-15T12:00:00+08:00") } });
    await saveRules(db, null, { config: rules(3), reason: "降低合伙人门槛" }, new Date("2026-04-02T10:00:00+08:00"));
    await reviewTiers(db, { now: new Date("2026-04-02T11:00:00+08:00") });
    expect(await tiersOf(db, [x])).toEqual(["partner"]);
    expect(await payMonthlyTeamBonus(db, { now: new Date("2026-04-03T09:00:00+08:00"), instant: APRIL_1 })).toBe(0);
    expect(await paid(db)).toEqual([]);
  });

  it("a direct's order refunded between the close and a late run: the member lifted at the close is still paid", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    const { x, y } = await shop(db);
    // 1 April 00:02: one of x's 3 directs (its only paid order) is refunded, x's counter falls to 2; at the close it was 3.
    const [order] = await db.order.findMany({ where: { member: { sponsorId: x } }, orderBy: { id: "asc" }, take: 1 });
    expect(await inTx(db, { now: after(120_000) }, (ctx) => refundOrder(ctx, order!.id))).toMatchObject({ refunded: true });
    expect((await db.member.findUniqueOrThrow({ where: { id: x } })).qualifiedDirects).toBe(2);
    expect(await payMonthlyTeamBonus(db, { now: after(300_000), instant: APRIL_1 })).toBe(2);
    expect(await paid(db)).toEqual(expected(x, y));
  });

  it("a sponsor change after the close that makes a partner does not reach back to the month", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    await teaShop(db);
    // Partner needs 3 qualified directs all along (never relaxed): w has 2 all March, v has 1.
    await saveRules(db, null, { config: rules(3), reason: "合伙人门槛 3 人" }, new Date("2026-01-01T00:00:00+08:00"));
    const { reg, buy } = membersAt(db, new Date(JOINED), new Date(BOUGHT));
    const [w, v] = [await reg("w", null), await reg("v", null)];
    for (let i = 0; i < 2; i++) await buy(await reg(`dw${i}`, w));
    const moved = await reg("dv0", v);
    await buy(moved);
    await db.gmvCredit.create({ data: { memberId: w, orderId: 9001, depth: 1, amountFen: 10_000, completedAt: new Date("2026-03-15T12:00:00+08:00") } });
    expect(await tiersOf(db, [w])).toEqual(["promoter"]);
    // 2 April: staff move v's paid direct under w (four eyes), the move re-tiers w: a partner from then on.
    const apr2 = new Date("2026-04-02T10:00:00+08:00");
    const { id } = await inTx(db, { now: apr2 }, (ctx) => requestSponsorChange(ctx, { memberId: moved, to: w, reason: "客户申请改绑" }, { staffId: 101, requestId: "req-1" }));
    await inTx(db, { now: apr2 }, (ctx) => decideSponsorChange(ctx, id, true, null, { staffId: 202, requestId: "req-2" }));
    expect(await runSponsorChanges(db, { now: apr2 })).toBe(1);
    expect(await tiersOf(db, [w, v])).toEqual(["partner", "member"]);
    // March's run, late (a failed period caught up on 3 April): when March closed w had 2 directs, a promoter: nothing.
    expect(await payMonthlyTeamBonus(db, { now: new Date("2026-04-03T09:00:00+08:00"), instant: APRIL_1 })).toBe(0);
    expect(await paid(db)).toEqual([]);
  });
});
