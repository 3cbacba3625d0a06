// SPEC §7: the team bonus of a month goes to each partner as they stood when it closed (1st 00:00, merchant time). A
// sponsor change (改绑) after the close moves directs, team and gmv credits between uplines; a late run judges each member
// by the tree as it was at the close, rebuilt from the changes' records (sponsor before each move, its start).
import { afterEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { defaultConfig, type MallConfig } from "../server/config/schema";
import { saveRules } from "../server/rules";
import { payMonthlyTeamBonus, reviewTiers } from "../server/tiers";
import { decideSponsorChange, requestSponsorChange, runSponsorChanges } from "../server/members/sponsor-change";
import { freshDatabase } from "./helpers/db";
import { membersAt, teaShop } from "./helpers/shop";

// Partner: 4 qualified directs (3 from 31 March), a team of 4 and 300 元 of gmv90; director (no team bonus): 4 qualified directs.
const rules = (partnerDirects: number): MallConfig => ({
  ...defaultConfig,
  rebate: { ...defaultConfig.rebate, enabled: false },
  tiers: [{ name: "member" }, { name: "promoter", minDirects: 2 }, { name: "partner", minDirects: partnerDirects, minTeam: 4, minGmv90Fen: 30_000 }, { name: "director", minDirects: 4 }],
  teamBonusBps: 200,
});
const JOINED = "2026-01-05T10:00:00+08:00";
const BOUGHT = "2026-01-06T10:00:00+08:00";
const RELAXED = new Date("2026-03-31T10:00:00+08:00");
const APRIL_1 = new Date("2026-04-01T00:00:00+08:00");
const at = (s: string) => new Date(`${s}+08:00`);

let database: Database;
afterEach(() => database.close());

/**
 * x: 3 qualified directs d0, d1, d2 and d0's direct c0 (a team of 4); d0 completed 200 元 on 10 February, d1 100 元 on
 * 15 March (gmv90 at the close: 300 元, March's depth 1..3 base: 100 元). q: 1 qualified direct e, who completed 200 元
 * on 10 February. r: nobody. `d0Done`, `eDone`: when d0 and e completed (default 10 February).
 * Each paid direct bought on 6 January (paid, not completed). The credits are the buyer's row and its sponsor's.
 */
async function shop(db: Db, d0Done = "2026-02-10T12:00:00", eDone = "2026-02-10T12:00:00") {
  await teaShop(db);
  await saveRules(db, null, { config: rules(4), reason: "合伙人门槛 4 人" }, new Date("2026-01-01T00:00:00+08:00"));
  const { reg, buy } = membersAt(db, new Date(JOINED), new Date(BOUGHT));
  const [x, q, r] = [await reg("x", null), await reg("q", null), await reg("r", null)];
  const d = [await reg("d0", x), await reg("d1", x), await reg("d2", x)];
  await reg("c0", d[0]);
  const e = await reg("e", q);
  for (const id of [...d, e]) await buy(id);
  const credit = (orderId: number, buyer: number, sponsor: number, amountFen: number, completedAt: Date) => [
    { memberId: buyer, orderId, depth: 0, amountFen, completedAt },
    { memberId: sponsor, orderId, depth: 1, amountFen, completedAt },
  ];
  await db.gmvCredit.createMany({
    data: [
      ...credit(9001, d[0], x, 20_000, at(d0Done)),
      ...credit(9002, d[1], x, 10_000, at("2026-03-15T12:00:00")),
      ...credit(9003, e, q, 20_000, at(eDone)),
    ],
  });
  await saveRules(db, null, { config: rules(3), reason: "降低合伙人门槛" }, RELAXED);
  expect(await tiersOf(db, [x, q, r])).toEqual(["promoter", "member", "member"]);
  return { x, q, r, d, e };
}

let request = 0;
/** Staff move `memberId` (with their downline) under `to` at `now`, four eyes, and the move runs at once. */
async function move(db: Db, memberId: number, to: number, now: Date) {
  request++;
  const { id } = await inTx(db, { now }, (ctx) => requestSponsorChange(ctx, { memberId, to, reason: "客户申请改绑" }, { staffId: 101, requestId: `req-${request}a` }));
  await inTx(db, { now }, (ctx) => decideSponsorChange(ctx, id, true, null, { staffId: 202, requestId: `req-${request}b` }));
  expect(await runSponsorChanges(db, { now })).toBe(1);
}

/**
 * d2's January order completes late, dated 20 March (its completion dead-lettered, retried on 20 April): 100 元 more in
 * x's March downline, which the 1 May run corrects March by.
 */
async function d2CompletesLate(db: Db, d2: number, x: number) {
  const o = await db.order.findFirstOrThrow({ where: { memberId: d2 } });
  const done = at("2026-03-20T12:00:00");
  await db.order.update({ where: { id: o.id }, data: { status: "COMPLETED", completedAt: done } });
  await db.gmvCredit.createMany({ data: [{ memberId: d2, orderId: o.id, depth: 0, amountFen: 10_000, completedAt: done }, { memberId: x, orderId: o.id, depth: 1, amountFen: 10_000, completedAt: done }] });
  await db.dueTransition.create({ data: { kind: "ORDER_COMPLETE", refId: o.id, dueAt: done, createdAt: done, attempts: 8, lastError: "Error: x", doneAt: at("2026-04-20T10:00:00") } });
  await payMonthlyTeamBonus(db, { now: at("2026-05-01T00:00:00") });
}

const tiersOf = async (db: Db, ids: number[]) => (await db.member.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } })).map((m) => m.tier);
const paid = (db: Db) => db.teamBonus.findMany({ orderBy: { memberId: "asc" }, select: { memberId: true, month: true, baseFen: true, amountFen: true } });
// At the close x held partner's thresholds of 31 March (3 directs, a team of 4, 300 元 gmv90) and not director's (3 < 4):
// 2% of March's 100 元 = 200 fen. Nobody else held partner's (q: 1 direct, r: none).
const xPaid = (x: number) => [{ memberId: x, month: "2026-03", baseFen: 10_000n, amountFen: 200 }];

describe("team bonus: a sponsor change between the month's close and a late run", () => {
  it("a direct moved away after the close: the member lifted at the close is paid as at the close", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    const { x, r, d } = await shop(db);
    // 2 April: d0 (a qualified direct, with c0 and February's 200 元) moves under r; x now has 2 directs, a team of 2 and
    // 100 元 of gmv90.
    await move(db, d[0], r, at("2026-04-02T10:00:00"));
    expect(await db.member.findUniqueOrThrow({ where: { id: x }, select: { qualifiedDirects: true, teamSize: true } })).toEqual({ qualifiedDirects: 2, teamSize: 2 });
    expect(await payMonthlyTeamBonus(db, { now: at("2026-04-03T09:00:00"), instant: APRIL_1 })).toBe(1);
    expect(await paid(db)).toEqual(xPaid(x));
  });

  it("a direct moved in after the close does not count: it would have made a director (no team bonus) of the partner", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    const { x, q, e } = await shop(db);
    // 2 April: e (qualified, with February's 200 元) moves from q to x: x has 4 directs now, a director.
    await move(db, e, x, at("2026-04-02T10:00:00"));
    expect(await tiersOf(db, [x, q])).toEqual(["director", "member"]);
    expect(await payMonthlyTeamBonus(db, { now: at("2026-04-03T09:00:00"), instant: APRIL_1 })).toBe(1);
    expect(await paid(db)).toEqual(xPaid(x));
  });

  it("a rerun, and one after the direct moved back, pays nothing more", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    const { x, r, d } = await shop(db);
    await move(db, d[0], r, at("2026-04-02T10:00:00"));
    expect(await payMonthlyTeamBonus(db, { now: at("2026-04-03T09:00:00"), instant: APRIL_1 })).toBe(1);
    // The month's run redone from scratch, then again after d0 moved back under x on 4 April: nothing more.
    await db.jobCursor.deleteMany({ where: { key: "team_bonus:2026-03" } });
    expect(await payMonthlyTeamBonus(db, { now: at("2026-04-03T10:00:00"), instant: APRIL_1 })).toBe(0);
    await move(db, d[0], x, at("2026-04-04T10:00:00"));
    await db.jobCursor.deleteMany({ where: { key: "team_bonus:2026-03" } });
    expect(await payMonthlyTeamBonus(db, { now: at("2026-04-05T09:00:00"), instant: APRIL_1 })).toBe(0);
    expect(await paid(db)).toEqual(xPaid(x));
    const wallet = await db.wallet.findUniqueOrThrow({ where: { memberId: x }, select: { available: true } });
    expect(Number(wallet.available)).toBe(200);
  });

  it("a direct moved away after the close takes none of the month's base with it", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    // d0 completed its 200 元 on 10 March: at the close x had 3 directs, a team of 4 and 300 元 of gmv90 (a partner).
    const { x, r, d } = await shop(db, "2026-03-10T12:00:00");
    // 2 April: d0 (with c0) moves under r, its March credit with it; r was nobody's upline at the close.
    await move(db, d[0], r, at("2026-04-02T10:00:00"));
    expect(await payMonthlyTeamBonus(db, { now: at("2026-04-03T09:00:00"), instant: APRIL_1 })).toBe(1);
    // x's depth 1..3 downline at the close completed d0's 200 元 and d1's 100 元 in March: 2% of 300 元 = 600 fen.
    expect(await paid(db)).toEqual([{ memberId: x, month: "2026-03", baseFen: 30_000n, amountFen: 600 }]);
  });

  it("a late completion tops the month up on the base at the close: a direct moved away still counts, one moved in does not", async () => {
    database = await freshDatabase();
    let db = database.prisma;
    // d0's 200 元 in March; d0 moves away to r on 2 April; March is paid on x's downline at the close: 300 元, 600 fen.
    let shopped = await shop(db, "2026-03-10T12:00:00");
    await move(db, shopped.d[0]!, shopped.r, at("2026-04-02T10:00:00"));
    expect(await payMonthlyTeamBonus(db, { now: at("2026-04-03T09:00:00"), instant: APRIL_1 })).toBe(1);
    await d2CompletesLate(db, shopped.d[2]!, shopped.x);
    // d0 200 + d1 100 + d2 100 = 400 元 at the close: 2% = 800 fen (the base as it is now, without d0, would pay nothing more).
    expect(await paid(db)).toEqual([{ memberId: shopped.x, month: "2026-03", baseFen: 40_000n, amountFen: 800 }]);
    await database.close();

    database = await freshDatabase();
    db = database.prisma;
    // e completed 200 元 on 12 March under q (1 direct: no partner) and moves to x on 2 April: not x's in March.
    shopped = await shop(db, "2026-03-10T12:00:00", "2026-03-12T12:00:00");
    await move(db, shopped.e, shopped.x, at("2026-04-02T10:00:00"));
    expect(await payMonthlyTeamBonus(db, { now: at("2026-04-03T09:00:00"), instant: APRIL_1 })).toBe(1);
    await d2CompletesLate(db, shopped.d[2]!, shopped.x);
    // Still d0 200 + d1 100 + d2 100 = 400 元: 800 fen, not 1 200 with e's 200 元.
    expect(await paid(db)).toEqual([{ memberId: shopped.x, month: "2026-03", baseFen: 40_000n, amountFen: 800 }]);
  });

  it("a partner recorded at the close whose direct moved away after it is paid as at the close", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    const { x, r, d } = await shop(db);
    // The nightly review on 31 March makes x a partner under the relaxed rules; the move on 2 April drops x to promoter.
    await reviewTiers(db, { now: at("2026-03-31T23:00:00") });
    expect(await tiersOf(db, [x])).toEqual(["partner"]);
    await move(db, d[0], r, at("2026-04-02T10:00:00"));
    expect(await tiersOf(db, [x])).toEqual(["promoter"]);
    expect(await payMonthlyTeamBonus(db, { now: at("2026-04-03T09:00:00"), instant: APRIL_1 })).toBe(1);
    expect(await paid(db)).toEqual(xPaid(x));
  });
});
