// SPEC §7: the stepped bonus of a month goes to each member on the orders completed in it by the buyers it sponsored (L1)
// when the month closed (1st 00:00, merchant time). A sponsor change (改绑) takes effect when it starts (the buyer's
// binding switches); its batches move the gmv credits afterwards. These cases: a buyer moved after the close before a
// late run, a move started before the close and still running at the run, and a late completion of a buyer moved since.
import { afterEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { defaultConfig, type MallConfig } from "../server/config/schema";
import { saveRules } from "../server/rules";
import { recordCompletedGmv } from "../server/tiers";
import { payMonthlyStepBonus } from "../server/bonus/step";
import { decideSponsorChange, requestSponsorChange, runSponsorChanges } from "../server/members/sponsor-change";
import { freshDatabase } from "./helpers/db";
import { membersAt, teaShop } from "./helpers/shop";

// Everyone a distributor (default mode), 5% of all direct sales; no commission or rebate to blur the wallets.
const rules: MallConfig = {
  ...defaultConfig,
  commission: { ...defaultConfig.commission, enabled: false },
  rebate: { ...defaultConfig.rebate, enabled: false },
  stepBonus: { brackets: [{ minFen: 0, bps: 500 }] },
};
const at = (s: string) => new Date(`${s}+08:00`);
const APRIL_1 = at("2026-04-01T00:00:00");

let database: Database;
afterEach(() => database.close());

/**
 * p sponsors b, q sponsors e (p and q: no sponsor). b completed 100 元 on 15 March, e 40 元 on 20 March (the buyer's
 * credit and its sponsor's, as completion writes them). b and e each bought a tea on 6 January (paid, not completed).
 */
async function shop(db: Db) {
  await teaShop(db);
  await saveRules(db, null, { config: rules, reason: "阶梯奖励 5%" }, at("2026-01-01T00:00:00"));
  const { reg, buy } = membersAt(db, at("2026-01-05T10:00:00"), at("2026-01-06T10:00:00"));
  const [p, q] = [await reg("p", null), await reg("q", null)];
  const [b, e] = [await reg("b", p), await reg("e", q)];
  for (const id of [b, e]) await buy(id);
  const credit = (orderId: number, buyer: number, sponsor: number, amountFen: number, completedAt: Date) => [
    { memberId: buyer, orderId, depth: 0, amountFen, completedAt },
    { memberId: sponsor, orderId, depth: 1, amountFen, completedAt },
  ];
  await db.gmvCredit.createMany({ data: [...credit(9001, b, p, 10_000, at("2026-03-15T12:00:00")), ...credit(9002, e, q, 4_000, at("2026-03-20T12:00:00"))] });
  return { p, q, b, e };
}

let request = 0;
/** Staff ask at `now` to move `memberId` under `to`, and another owner approves: the move starts (its batches not run). */
async function approveMove(db: Db, memberId: number, to: number, now: Date) {
  request++;
  const { id } = await inTx(db, { now }, (ctx) => requestSponsorChange(ctx, { memberId, to, reason: "客户申请改绑" }, { staffId: 101, requestId: `step-${request}a` }));
  await inTx(db, { now }, (ctx) => decideSponsorChange(ctx, id, true, null, { staffId: 202, requestId: `step-${request}b` }));
}

const paid = (db: Db) => db.stepBonus.findMany({ orderBy: [{ memberId: "asc" }, { month: "asc" }], select: { memberId: true, month: true, salesFen: true, bps: true, amountFen: true } });
const available = async (db: Db, memberId: number) => Number((await db.wallet.findUnique({ where: { memberId }, select: { available: true } }))?.available ?? 0);
const sponsorOf = async (db: Db, id: number) => (await db.member.findUniqueOrThrow({ where: { id }, select: { sponsorId: true } })).sponsorId;

describe("stepped bonus by the sponsor tree at the close", () => {
  it("a buyer moved after the close, before a late run: its sales stay with the sponsor of the close", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    const { p, q, b } = await shop(db);
    // 1 April 00:05: b moves under q, the move finished; the run of 00:00 runs late at 00:10.
    await approveMove(db, b, q, at("2026-04-01T00:05:00"));
    expect(await runSponsorChanges(db, { now: at("2026-04-01T00:05:00") })).toBe(1);
    expect(await sponsorOf(db, b)).toBe(q);
    await payMonthlyStepBonus(db, { now: at("2026-04-01T00:10:00"), instant: APRIL_1 });
    // At the close b was p's: p's March is b's 100 元, 5% = 500 fen; q's is e's 40 元 only, 5% = 200 fen.
    expect(await paid(db)).toEqual([
      { memberId: p, month: "2026-03", salesFen: 10_000n, bps: 500, amountFen: 500 },
      { memberId: q, month: "2026-03", salesFen: 4_000n, bps: 500, amountFen: 200 },
    ]);
    expect([await available(db, p), await available(db, q)]).toEqual([500, 200]);
  });

  it("a move started before the close and still running at the run: the buyer's sales go to its new sponsor, once", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    const { p, q, b } = await shop(db);
    // 31 March 23:50: b's move under q starts (b's binding switches); no batch has run at the 00:01 run.
    await approveMove(db, b, q, at("2026-03-31T23:50:00"));
    expect(await sponsorOf(db, b)).toBe(q);
    await payMonthlyStepBonus(db, { now: at("2026-04-01T00:01:00"), instant: APRIL_1 });
    // At the close b was q's: q's March is b's 100 元 + e's 40 元 = 140 元, 5% = 700 fen; p sold nothing.
    const qPaid = [{ memberId: q, month: "2026-03", salesFen: 14_000n, bps: 500, amountFen: 700 }];
    expect(await paid(db)).toEqual(qPaid);
    // The move finishes; the month's run redone from scratch pays nothing more.
    expect(await runSponsorChanges(db, { now: at("2026-04-01T00:10:00") })).toBe(1);
    await db.jobCursor.deleteMany({ where: { key: "step_bonus:2026-03" } });
    await payMonthlyStepBonus(db, { now: at("2026-04-01T00:20:00"), instant: APRIL_1 });
    expect(await paid(db)).toEqual(qPaid);
    expect([await available(db, p), await available(db, q)]).toEqual([0, 700]);
  });

  it("a late completion of a buyer moved since tops up the sponsor of the close, not the new one", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    const { p, q, b } = await shop(db);
    await payMonthlyStepBonus(db, { now: APRIL_1 });
    expect(await paid(db)).toEqual([
      { memberId: p, month: "2026-03", salesFen: 10_000n, bps: 500, amountFen: 500 },
      { memberId: q, month: "2026-03", salesFen: 4_000n, bps: 500, amountFen: 200 },
    ]);
    // 10 April: b moves under q. 20 April: b's January order completes late, dated 20 March (its completion
    // dead-lettered and retried): credited to b and its sponsor now, q.
    await approveMove(db, b, q, at("2026-04-10T10:00:00"));
    expect(await runSponsorChanges(db, { now: at("2026-04-10T10:00:00") })).toBe(1);
    const o = await db.order.findFirstOrThrow({ where: { memberId: b } });
    const done = at("2026-03-20T12:00:00");
    await db.order.update({ where: { id: o.id }, data: { status: "COMPLETED", completedAt: done } });
    await inTx(db, { now: at("2026-04-20T10:00:00") }, (ctx) => recordCompletedGmv(ctx, { id: o.id, memberId: b, goodsFen: 10_000, completedAt: done }));
    await db.dueTransition.create({ data: { kind: "ORDER_COMPLETE", refId: o.id, dueAt: done, createdAt: done, attempts: 8, lastError: "Error: x", doneAt: at("2026-04-20T10:00:00") } });
    await payMonthlyStepBonus(db, { now: at("2026-05-01T00:00:00") });
    // b was p's at March's close: p's March is 100 + 100 = 200 元, 5% = 1 000 fen, 500 more. q's March stays e's 40 元
    // (200 fen); April nobody sold anything.
    expect(await paid(db)).toEqual([
      { memberId: p, month: "2026-03", salesFen: 20_000n, bps: 500, amountFen: 1_000 },
      { memberId: q, month: "2026-03", salesFen: 4_000n, bps: 500, amountFen: 200 },
    ]);
    expect([await available(db, p), await available(db, q)]).toEqual([1_000, 200]);
  });
});
