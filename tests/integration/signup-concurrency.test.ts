// Concurrent sign-ups (issue 14, item 0): 8 workers register members under random sponsors at once.
// No error may reach a caller (locks are taken in one fixed order, and inTx retries deadlocks and
// serialization failures), and the tree's derived rows equal what the sign-ups imply. On PostgreSQL
// 8 × 500 sign-ups really race; on PGlite (one connection) a smaller run checks the same invariants.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { freshDatabase, usingPostgres } from "../helpers/db";

const config = parseConfig({});
const WORKERS = 8;
const PER_WORKER = usingPostgres() ? 500 : 40;
let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

describe("sign-up under concurrency", () => {
  it(`${WORKERS} workers × ${PER_WORKER} sign-ups under random sponsors: no error reaches a caller, the tree adds up`, { timeout: 600_000 }, async () => {
    const now = new Date("2026-02-01T00:00:00Z");
    const root = await inTx(database.prisma, { config, now }, (ctx) => registerMember(ctx, { username: "root" }));
    const joined: number[] = [root.id];
    const errors: unknown[] = [];
    // A deterministic pseudo-random sponsor choice per worker: a few heavy sharers, a long tail, 1% with none.
    const worker = async (w: number) => {
      let seed = w * 7919 + 17;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      for (let i = 0; i < PER_WORKER; i++) {
        const r = rand();
        const sponsorId = r < 0.01 ? null : joined[Math.floor((r < 0.3 ? rand() * 0.05 : rand()) * joined.length)];
        try {
          const m = await inTx(database.prisma, { config, now }, (ctx) => registerMember(ctx, { username: `w${w}-${i}`, sponsorId, ip: `10.${w}.${i >> 8}.${i & 255}`, device: `w${w}d${i}` }));
          joined.push(m.id);
        } catch (e) {
          errors.push(e);
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    expect(errors.map((e) => (e instanceof Error ? e.message : String(e)))).toEqual([]);

    const db = database.prisma;
    const total = WORKERS * PER_WORKER + 1;
    expect(await db.member.count()).toBe(total);
    // Every member has one seat; the matrix's level counts add up to the seats below each seat.
    expect(await db.matrixSeat.count({ where: { memberId: { not: null } } })).toBe(total);
    const [{ bad: badChildren }] = await db.$queryRaw<{ bad: bigint }[]>`
      SELECT count(*) AS bad FROM "MatrixSeat" s
      WHERE s."childCount" <> (SELECT count(*) FROM "MatrixSeat" c WHERE c."parentId" = s.id)`;
    expect(Number(badChildren)).toBe(0);
    // Closure rows = the sponsor chain of each member; counters = closure rows grouped.
    const [{ bad: badClosure }] = await db.$queryRaw<{ bad: bigint }[]>`
      WITH RECURSIVE chain AS (
        SELECT id AS member, "sponsorId" AS ancestor, 1 AS depth FROM "Member" WHERE "sponsorId" IS NOT NULL
        UNION ALL
        SELECT c.member, m."sponsorId", c.depth + 1 FROM chain c JOIN "Member" m ON m.id = c.ancestor WHERE m."sponsorId" IS NOT NULL)
      SELECT count(*) AS bad FROM (
        (SELECT ancestor, member, depth FROM chain EXCEPT SELECT "ancestorId", "descendantId", depth FROM "SponsorClosure")
        UNION ALL
        (SELECT "ancestorId", "descendantId", depth FROM "SponsorClosure" EXCEPT SELECT ancestor, member, depth FROM chain)) d`;
    expect(Number(badClosure)).toBe(0);
    const [{ bad: badCounts }] = await db.$queryRaw<{ bad: bigint }[]>`
      SELECT count(*) AS bad FROM (
        (SELECT "ancestorId", depth, count(*)::int FROM "SponsorClosure" GROUP BY 1, 2 EXCEPT SELECT "memberId", depth, count FROM "DownlineLevelCount")
        UNION ALL
        (SELECT "memberId", depth, count FROM "DownlineLevelCount" WHERE count > 0 EXCEPT SELECT "ancestorId", depth, count(*)::int FROM "SponsorClosure" GROUP BY 1, 2)) d`;
    expect(Number(badCounts)).toBe(0);
    const [{ bad: badTeam }] = await db.$queryRaw<{ bad: bigint }[]>`
      SELECT count(*) AS bad FROM "Member" m
      WHERE m."teamSize" <> (SELECT count(*) FROM "SponsorClosure" c WHERE c."ancestorId" = m.id)`;
    expect(Number(badTeam)).toBe(0);
  });
});
