// The bulk seeder (bench/seed/bulk.ts, issue 14) writes exactly what signing the same members up one
// by one through registerMember leaves: members, wallets, sponsor closure, per-depth downline counters,
// team sizes, matrix seats with vacancy depths and per-depth level counts — and the next sign-up after
// either lands on the same seat.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { bulkSeedNetwork, seededUsername } from "../../bench/seed/bulk";
import { planNetwork } from "../../bench/seed/network";
import { freshDatabase, usingPostgres } from "../helpers/db";

// 2 000 on PostgreSQL (what the benchmark seeds); a smaller network on the embedded database keeps the suite quick.
const MEMBERS = usingPostgres() ? 2000 : 400;
const config = parseConfig({});
const start = new Date("2026-01-01T00:00:00Z");
const STEP_MS = 1000;
const plan = planNetwork(MEMBERS, 7);
let oneByOne: Database;
let bulk: Database;

beforeAll(async () => {
  [oneByOne, bulk] = await Promise.all([freshDatabase(), freshDatabase()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([oneByOne?.close(), bulk?.close()]);
});

const tables = async (db: Database) => {
  const q = <T,>(sql: string) => db.prisma.$queryRawUnsafe<T[]>(sql);
  return {
    members: await q(`SELECT id, username, "referralCode", "sponsorId", "createdAt", tier, "distributorSince", "teamSize", "qualifiedDirects" FROM "Member" ORDER BY id`),
    wallets: await q(`SELECT "memberId", pending, available FROM "Wallet" ORDER BY "memberId"`),
    closure: await q(`SELECT "ancestorId", "descendantId", depth FROM "SponsorClosure" ORDER BY 1, 2`),
    downline: await q(`SELECT "memberId", depth, count FROM "DownlineLevelCount" ORDER BY 1, 2`),
    seats: await q(`SELECT id, "memberId", "parentId", level, position, "childCount", "minVacantDepth" FROM "MatrixSeat" ORDER BY id`),
    levels: await q(`SELECT "seatId", depth, count FROM "MatrixLevelCount" ORDER BY 1, 2`),
  };
};

describe("bulk seed", () => {
  it(`${MEMBERS} members: the bulk rows equal the one-by-one sign-ups' rows`, { timeout: 900_000 }, async () => {
    for (let id = 1; id <= MEMBERS; id++) {
      const sponsorId = plan.sponsor[id - 1] || null;
      const now = new Date(start.getTime() + (id - 1) * STEP_MS);
      const m = await inTx(oneByOne.prisma, { config, now }, (ctx) => registerMember(ctx, { username: seededUsername(id), sponsorId }));
      expect(m.id).toBe(id);
    }
    const result = await bulkSeedNetwork((sql, params) => bulk.prisma.$executeRawUnsafe(sql, ...params), config, plan, { start, stepMs: STEP_MS, chunk: 700, deferClosureIndexes: true });
    expect(result.members).toBe(MEMBERS);

    const [a, b] = await Promise.all([tables(oneByOne), tables(bulk)]);
    // The network is not trivial: deep chains, a matrix several levels deep, members without a sponsor.
    expect(a.closure.length).toBe(result.closureRows);
    expect(a.closure.length).toBeGreaterThan(MEMBERS * 2.5);
    expect(Math.max(...a.seats.map((s) => Number((s as { level: number }).level)))).toBeGreaterThan(4);
    expect(a.members.filter((m) => (m as { sponsorId: number | null }).sponsorId === null).length).toBeGreaterThan(1);
    for (const key of Object.keys(a) as (keyof typeof a)[]) expect(b[key], key).toEqual(a[key]);

    // The closure table's keys and indexes are back, as the migrations made them.
    const definitions = (db: Database) =>
      db.prisma.$queryRawUnsafe<{ def: string }[]>(
        `SELECT conname || ' ' || pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = '"SponsorClosure"'::regclass
         UNION ALL SELECT indexdef FROM pg_indexes WHERE tablename = 'SponsorClosure' ORDER BY 1`,
      );
    expect(await definitions(bulk)).toEqual(await definitions(oneByOne));
    const all = (await definitions(bulk)).map((d) => d.def).join("\n");
    for (const name of ["SponsorClosure_pkey PRIMARY KEY", "SponsorClosure_descendantId_depth_idx", "SponsorClosure_ancestorId_fkey FOREIGN KEY", "SponsorClosure_descendantId_fkey FOREIGN KEY"]) expect(all).toContain(name);

    // After either, the next sign-up gets the next id and the same seat.
    const sponsorId = 5;
    const next = async (db: Database) => {
      const m = await inTx(db.prisma, { config, now: new Date(start.getTime() + MEMBERS * STEP_MS) }, (ctx) => registerMember(ctx, { username: "next", sponsorId }));
      const seat = await db.prisma.matrixSeat.findUniqueOrThrow({ where: { memberId: m.id }, select: { id: true, parentId: true, level: true, position: true } });
      return { id: m.id, seat };
    };
    const [na, nb] = await Promise.all([next(oneByOne), next(bulk)]);
    expect(nb).toEqual(na);
    expect(na.id).toBe(MEMBERS + 1);
  });
});
