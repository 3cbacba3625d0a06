// SPEC §7: the team bonus of a month goes to each partner on the orders its depth 1..3 downline completed in it, the
// downline as it stood at the close (1st 00:00, merchant time). A sponsor change (改绑) takes effect when it starts (the
// member's binding switches, payments earn for the new upline); its batches move the team's closure rows and gmv
// credits afterwards. These cases: a late completion of a member moved since the close, and a move running at the close.
import { afterEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { defaultConfig, type MallConfig } from "../server/config/schema";
import { saveRules } from "../server/rules";
import { payMonthlyTeamBonus, recordCompletedGmv, reviewTiers } from "../server/tiers";
import { decideSponsorChange, requestSponsorChange, runSponsorChanges } from "../server/members/sponsor-change";
import { freshDatabase } from "./helpers/db";
import { membersAt, teaShop } from "./helpers/shop";

// Partner: `partnerDirects` qualified directs, a team of 4 and 300 元 of gmv90; director (no team bonus): 4 qualified directs.
const rules = (partnerDirects: number): MallConfig => ({
  ...defaultConfig,
  rebate: { ...defaultConfig.rebate, enabled: false },
  tiers: [{ name: "member" }, { name: "promoter", minDirects: 2 }, { name: "partner", minDirects: partnerDirects, minTeam: 4, minGmv90Fen: 30_000 }, { name: "director", minDirects: 4 }],
  teamBonusBps: 200,
});
const at = (s: string) => new Date(`${s}+08:00`);
const APRIL_1 = at("2026-04-01T00:00:00");

let database: Database;
afterEach(() => database.close());

/**
 * x: qualified directs d0, d1, d2 (and d0's direct c0 when `withC0`); d0 completed 200 元 on `d0Done`, d1 100 元 on
 * 15 March. q: y (unpaid), and y's direct z; y completed 50 元 on 20 March, z 30 元 on 22 March. r: nobody. Partner's
 * thresholds fall from 4 directs to 3 on 31 March 10:00 (rules only: no tier recomputed). Credits: the buyer's row and
 * each ancestor's, as completion writes them.
 */
async function shop(db: Db, opts: { d0Done: string; withC0: boolean }) {
  await teaShop(db);
  await saveRules(db, null, { config: rules(4), reason: "合伙人门槛 4 人" }, at("2026-01-01T00:00:00"));
  const { reg, buy } = membersAt(db, at("2026-01-05T10:00:00"), at("2026-01-06T10:00:00"));
  const [x, q, r] = [await reg("x", null), await reg("q", null), await reg("r", null)];
  const d = [await reg("d0", x), await reg("d1", x), await reg("d2", x)];
  if (opts.withC0) await reg("c0", d[0]);
  const y = await reg("y", q);
  const z = await reg("z", y);
  for (const id of d) await buy(id);
  const credit = (orderId: number, chain: number[], amountFen: number, completedAt: Date) =>
    chain.map((memberId, depth) => ({ memberId, orderId, depth, amountFen, completedAt }));
  await db.gmvCredit.createMany({
    data: [
      ...credit(9001, [d[0]!, x], 20_000, at(opts.d0Done)),
      ...credit(9002, [d[1]!, x], 10_000, at("2026-03-15T12:00:00")),
      ...credit(9003, [y, q], 5_000, at("2026-03-20T12:00:00")),
      ...credit(9004, [z, y, q], 3_000, at("2026-03-22T12:00:00")),
    ],
  });
  await saveRules(db, null, { config: rules(3), reason: "降低合伙人门槛" }, at("2026-03-31T10:00:00"));
  return { x, q, r, d, y, z };
}

let request = 0;
/** Staff ask at `now` to move `memberId` (with their downline) under `to`, and another owner approves: the move starts. */
async function approveMove(db: Db, memberId: number, to: number, now: Date) {
  request++;
  const { id } = await inTx(db, { now }, (ctx) => requestSponsorChange(ctx, { memberId, to, reason: "客户申请改绑" }, { staffId: 101, requestId: `close-${request}a` }));
  await inTx(db, { now }, (ctx) => decideSponsorChange(ctx, id, true, null, { staffId: 202, requestId: `close-${request}b` }));
  return id;
}

const paid = (db: Db) => db.teamBonus.findMany({ orderBy: { memberId: "asc" }, select: { memberId: true, month: true, baseFen: true, amountFen: true } });
const available = async (db: Db, memberId: number) => Number((await db.wallet.findUniqueOrThrow({ where: { memberId }, select: { available: true } })).available);

describe("team bonus: a late completion of a member moved after the close", () => {
  it("tops up the partner the buyer belonged to at the close, not the one it belongs to now", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    const { x, r, d } = await shop(db, { d0Done: "2026-03-10T12:00:00", withC0: true });
    // At the close x held partner's thresholds (3 directs, a team of 4, 300 元 gmv90), not director's (3 < 4): 2% of
    // March's d0 200 + d1 100 = 300 元 is 600 fen.
    expect(await payMonthlyTeamBonus(db, { now: at("2026-04-03T09:00:00"), instant: APRIL_1 })).toBe(1);
    expect(await paid(db)).toEqual([{ memberId: x, month: "2026-03", baseFen: 30_000n, amountFen: 600 }]);
    // 10 April: d2 moves under r. 20 April: d2's January order completes, dated 20 March (its completion dead-lettered
    // and retried): credited to d2 and its upline now, r.
    await approveMove(db, d[2]!, r, at("2026-04-10T10:00:00"));
    expect(await runSponsorChanges(db, { now: at("2026-04-10T10:00:00") })).toBe(1);
    const o = await db.order.findFirstOrThrow({ where: { memberId: d[2]! } });
    const done = at("2026-03-20T12:00:00");
    await db.order.update({ where: { id: o.id }, data: { status: "COMPLETED", completedAt: done } });
    await inTx(db, { now: at("2026-04-20T10:00:00") }, (ctx) => recordCompletedGmv(ctx, { id: o.id, memberId: d[2]!, goodsFen: 10_000, completedAt: done }));
    await db.dueTransition.create({ data: { kind: "ORDER_COMPLETE", refId: o.id, dueAt: done, createdAt: done, attempts: 8, lastError: "Error: x", doneAt: at("2026-04-20T10:00:00") } });
    await payMonthlyTeamBonus(db, { now: at("2026-05-01T00:00:00") });
    // d2 was x's direct at the close: March is d0 200 + d1 100 + d2 100 = 400 元, 2% = 800 fen, 200 fen more. r was
    // nobody's upline then and is paid nothing.
    expect(await paid(db)).toEqual([{ memberId: x, month: "2026-03", baseFen: 40_000n, amountFen: 800 }]);
    expect(await available(db, x)).toBe(800);
  });
});

describe("team bonus: a sponsor change running at the close", () => {
  // y (with z) moves from q under d1, asked and approved at 23:50 on 31 March: the move starts then (y's binding switches).
  // At the close x had 3 directs, a team of 5 (d0, d1, d2, y, z) and 200 + 100 + 50 + 30 = 380 元 of gmv90: a partner
  // (not director: 3 < 4) by the rules of 31 March. Its March downline at depths 1..3 completed d1's 100 元, y's 50 元
  // (depth 2) and z's 30 元 (depth 3): 180 元, 2% = 360 fen.
  const xPaid = (x: number) => [{ memberId: x, month: "2026-03", baseFen: 18_000n, amountFen: 360 }];

  it("a member it lifted is paid when the move finished before the run", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    const { x, d, y } = await shop(db, { d0Done: "2026-02-10T12:00:00", withC0: false });
    await approveMove(db, y, d[1]!, at("2026-03-31T23:50:00"));
    expect(await runSponsorChanges(db, { now: at("2026-04-01T00:10:00") })).toBe(1);
    expect(await payMonthlyTeamBonus(db, { now: at("2026-04-01T00:20:00"), instant: APRIL_1 })).toBe(1);
    expect(await paid(db)).toEqual(xPaid(x));
  });

  it("a member it lifted is paid on the whole moved team when the move is half-way at the run, and once", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    const { x, d, y } = await shop(db, { d0Done: "2026-02-10T12:00:00", withC0: false });
    await approveMove(db, y, d[1]!, at("2026-03-31T23:50:00"));
    // One batch of one member: y's rows and credits have moved, z's not yet.
    expect(await runSponsorChanges(db, { now: at("2026-04-01T00:05:00"), batchSize: 1, maxBatches: 1 })).toBe(0);
    expect(await db.sponsorClosure.count({ where: { ancestorId: x } })).toBe(4);
    expect(await payMonthlyTeamBonus(db, { now: at("2026-04-01T00:06:00"), instant: APRIL_1 })).toBe(1);
    expect(await paid(db)).toEqual(xPaid(x));
    // The move finishes; the month's run redone pays nothing more.
    expect(await runSponsorChanges(db, { now: at("2026-04-01T00:10:00") })).toBe(1);
    await db.jobCursor.deleteMany({ where: { key: "team_bonus:2026-03" } });
    expect(await payMonthlyTeamBonus(db, { now: at("2026-04-01T00:20:00"), instant: APRIL_1 })).toBe(0);
    expect(await paid(db)).toEqual(xPaid(x));
    expect(await available(db, x)).toBe(360);
  });

  it("a partner recorded at the close is paid on the whole moved team when the move is half-way at the run", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    // With c0, the nightly review on 31 March makes x a partner (3 directs, a team of 4, 300 元 gmv90) before the move.
    const { x, d, y } = await shop(db, { d0Done: "2026-02-10T12:00:00", withC0: true });
    await reviewTiers(db, { now: at("2026-03-31T23:00:00") });
    expect((await db.member.findUniqueOrThrow({ where: { id: x }, select: { tier: true } })).tier).toBe("partner");
    await approveMove(db, y, d[1]!, at("2026-03-31T23:50:00"));
    expect(await runSponsorChanges(db, { now: at("2026-04-01T00:05:00"), batchSize: 1, maxBatches: 1 })).toBe(0);
    expect(await payMonthlyTeamBonus(db, { now: at("2026-04-01T00:06:00"), instant: APRIL_1 })).toBe(1);
    // Still d1's 100 元, y's 50 元 and z's 30 元 in March (c0 completed nothing): 360 fen, not 300 on y's credits alone.
    expect(await paid(db)).toEqual(xPaid(x));
  });

  it("a member it lifted is paid when no batch of the move has run yet", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    const { x, d, y } = await shop(db, { d0Done: "2026-02-10T12:00:00", withC0: false });
    await approveMove(db, y, d[1]!, at("2026-03-31T23:50:00"));
    expect(await payMonthlyTeamBonus(db, { now: at("2026-04-01T00:01:00"), instant: APRIL_1 })).toBe(1);
    expect(await paid(db)).toEqual(xPaid(x));
  });
});
