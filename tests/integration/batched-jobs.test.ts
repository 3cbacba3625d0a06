// The nightly tier review and the monthly bonuses process each batch set-wise (issue 14, item 8):
// run in batches of 2 they must leave exactly what one pass over every member leaves — tiers, bonus
// rows, ledger, wallets and notices — on the same small network.
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { payMonthlyTeamBonus, reviewTiers } from "../../server/tiers";
import { payMonthlyStepBonus } from "../../server/bonus/step";
import { BATCHED_TRANSITIONS } from "../../server/scheduler";
import { freshDatabase } from "../helpers/db";

const config = parseConfig({
  rebate: { enabled: false },
  tiers: [
    { name: "member" },
    { name: "promoter", label: "推广员", minDirects: 2 },
    { name: "partner", label: "合伙人", minDirects: 3, minGmv90Fen: 50_000 },
  ],
  teamBonusBps: 200,
  stepBonus: { brackets: [{ minFen: 10_000, bps: 100 }, { minFen: 30_000, bps: 300 }] },
});
const JOINED = new Date("2026-01-05T10:00:00+08:00");
const MARCH_1 = new Date("2026-03-01T00:00:00+08:00");
const NIGHT = new Date("2026-03-01T00:05:00+08:00");
// Member n's sponsor (members 1…16 in sign-up order): 1 at the top; 2–5 under 1, 6–9 under 2,
// 10–12 under 3, 13–16 under 6.
const sponsorOf = (n: number) => (n === 1 ? null : n <= 5 ? 1 : n <= 9 ? 2 : n <= 12 ? 3 : 6);

const opened: Database[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
});

/** The network, each member 2…16 with one order of n × 10 元 completed in February (gmv credited up the tree). */
async function network(): Promise<Database> {
  const database = await freshDatabase();
  opened.push(database);
  const db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  const ids: number[] = [];
  for (let n = 1; n <= 16; n++) {
    const sponsor = sponsorOf(n);
    const m = await inTx(db, { config, now: JOINED }, (ctx) => registerMember(ctx, { username: `m${n}`, sponsorId: sponsor === null ? null : ids[sponsor - 1], ip: `ip${n}`, device: `d${n}` }));
    ids.push(m.id);
  }
  for (let n = 2; n <= 16; n++) {
    const completedAt = new Date(`2026-02-${String(n).padStart(2, "0")}T12:00:00+08:00`);
    const ancestors = await db.sponsorClosure.findMany({ where: { descendantId: ids[n - 1] }, select: { ancestorId: true, depth: true } });
    const rows = [{ memberId: ids[n - 1], depth: 0 }, ...ancestors.map((a) => ({ memberId: a.ancestorId, depth: a.depth }))];
    await db.gmvCredit.createMany({ data: rows.map((r) => ({ ...r, orderId: 1000 + n, amountFen: 1000 * n, completedAt })) });
  }
  // Every direct counts as qualified; tiers start by directs alone, as before gmv decayed: member 3
  // (100+110+120 元 below it) is a partner on paper, member 4 (no directs) a promoter.
  for (let n = 1; n <= 16; n++) {
    const directs = Array.from({ length: 16 }, (_, i) => i + 1).filter((k) => sponsorOf(k) === n).length;
    await db.member.update({ where: { id: ids[n - 1] }, data: { qualifiedDirects: directs, tier: directs >= 3 ? "partner" : directs >= 2 ? "promoter" : n === 4 ? "promoter" : "member" } });
  }
  return database;
}

async function runJobs(database: Database, batchSize: number) {
  const db = database.prisma;
  await reviewTiers(db, { config, now: NIGHT, batchSize });
  await payMonthlyTeamBonus(db, { config, now: MARCH_1, batchSize });
  await payMonthlyStepBonus(db, { config, now: MARCH_1, batchSize });
}

/** What the jobs leave, by username so the two databases compare. */
async function outcome(database: Database) {
  const db = database.prisma;
  const name = new Map((await db.member.findMany({ select: { id: true, username: true } })).map((m) => [m.id, m.username]));
  // Bonus bases are BigInt, which JSON does not write by itself.
  const key = (row: object) => JSON.stringify(row, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  const by = <T extends { memberId: number }>(rows: T[]) => rows.map(({ memberId, ...r }) => ({ member: name.get(memberId), ...r })).sort((a, b) => key(a).localeCompare(key(b)));
  return {
    tiers: (await db.member.findMany({ orderBy: { username: "asc" }, select: { username: true, tier: true } })),
    teamBonus: by(await db.teamBonus.findMany({ select: { memberId: true, month: true, baseFen: true, amountFen: true } })),
    stepBonus: by(await db.stepBonus.findMany({ select: { memberId: true, month: true, salesFen: true, bps: true, amountFen: true } })),
    wallets: by(await db.wallet.findMany({ select: { memberId: true, pending: true, available: true, credit: true } })),
    notices: by(await db.notification.findMany({ where: { kind: { in: ["tier", "team_bonus", "step_bonus"] } }, select: { memberId: true, kind: true, title: true, body: true } })),
    ledger: (await db.ledgerEntry.groupBy({ by: ["account"], _sum: { amountFen: true }, orderBy: { account: "asc" } })).map((g) => [g.account, g._sum.amountFen]),
  };
}

describe("a monthly bonus run late", () => {
  it("still pays the month its row was due for: the 1 March run, performed on 2 April, pays February", async () => {
    const database = await network();
    const db = database.prisma;
    const APRIL_2 = new Date("2026-04-02T09:00:00+08:00");
    await reviewTiers(db, { config, now: NIGHT });
    await BATCHED_TRANSITIONS.TEAM_BONUS!.run(db, { config, now: APRIL_2, dueAt: MARCH_1 });
    await BATCHED_TRANSITIONS.STEP_BONUS!.run(db, { config, now: APRIL_2, dueAt: MARCH_1 });
    // As on time (below): m2's February base 880 元 at 2%; m1's February direct sales 140 元 at 1%.
    const id = async (username: string) => (await db.member.findUniqueOrThrow({ where: { username } })).id;
    expect(await db.teamBonus.findMany({ where: { memberId: await id("m2") }, select: { month: true, amountFen: true } })).toEqual([{ month: "2026-02", amountFen: 1_760 }]);
    expect(await db.stepBonus.findMany({ where: { memberId: await id("m1") }, select: { month: true, amountFen: true } })).toEqual([{ month: "2026-02", amountFen: 140 }]);
  });
});

describe("jobs at scale: set-wise batches", () => {
  it("batches of 2 leave exactly what one pass over every member leaves", async () => {
    const [batched, onePass] = await Promise.all([network(), network()]);
    await runJobs(batched, 2);
    await runJobs(onePass, 1000);
    const a = await outcome(batched);
    expect(a).toEqual(await outcome(onePass));
    // Not vacuous: tiers rose and fell, partners got a team bonus, direct sales a stepped bonus.
    const tier = (u: string) => a.tiers.find((t) => t.username === u)?.tier;
    expect([tier("m1"), tier("m2"), tier("m3"), tier("m4"), tier("m6")]).toEqual(["partner", "partner", "promoter", "member", "partner"]);
    // m2: depth 1–3 below it are 6–9 and 13–16 (300 + 580 元); 2% of 880 元.
    expect(a.teamBonus.find((b) => b.member === "m2")).toEqual({ member: "m2", month: "2026-02", baseFen: 88_000n, amountFen: 1_760 });
    expect(a.teamBonus.map((b) => b.member).sort()).toEqual(["m1", "m2", "m6"]);
    // m1's direct sales 20+30+40+50 = 140 元 → 1%; m3's 100+110+120 = 330 元 → 3%.
    expect(a.stepBonus.find((b) => b.member === "m1")).toMatchObject({ salesFen: 14_000n, bps: 100, amountFen: 140 });
    expect(a.stepBonus.find((b) => b.member === "m3")).toMatchObject({ salesFen: 33_000n, bps: 300, amountFen: 990 });
    expect(a.notices.filter((n) => n.kind === "tier").map((n) => n.member).sort()).toEqual(["m3", "m4"]);
    expect(a.ledger.reduce((s, [, v]) => s + Number(v), 0)).toBe(0);
  });
});
