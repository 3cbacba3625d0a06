// The sponsor tree as it stood at an instant (a month's close, SPEC §7), rebuilt from the sponsor changes started since:
// the team bonus judges and pays each partner of a closed month by it, in the monthly run and in its late top-ups. A change
// takes effect when it starts (server/members/sponsor-change.ts startNext): one started by the instant is part of that
// tree, also while its batches still move the team's closure rows and gmv credits.
import { Prisma } from "../db";
import type { Ctx } from "../context";
import { TEAM_BONUS_DEPTHS } from "../rules/compliance";

/** Member `id`'s sponsor at the instant: the one its first sponsor change since (CTE f of changesSinceSql) moved it from. */
export const sponsorAtSql = (id: Prisma.Sql) => Prisma.sql`(SELECT CASE WHEN f.id IS NULL THEN d."sponsorId" ELSE f.sponsor END
  FROM "Member" d LEFT JOIN f ON f.id = d.id WHERE d.id = ${id} LIMIT 1)`;

/**
 * Member `id`'s sponsor at an instant of its own row (`at`, a column: a payment's, a sign-up's): the one its first sponsor
 * change started after `at` moved it from, else `sponsorNow`, its sponsor today. One index lookup per row.
 */
export const sponsorAtEachSql = (id: Prisma.Sql, sponsorNow: Prisma.Sql, at: Prisma.Sql) => Prisma.sql`(SELECT CASE WHEN count(*) = 0 THEN ${sponsorNow}
  ELSE (array_agg(r."fromSponsorId" ORDER BY r."startedAt", r.id))[1] END FROM "SponsorChangeRequest" r WHERE r."memberId" = ${id} AND r."startedAt" > ${at})`;

/** The CTEs (in a WITH) of the sponsor changes started after instant `at`: mv all of them, f each moved member's first. */
export function changesSinceSql(at: Date): Prisma.Sql {
  return Prisma.sql`
      mv AS MATERIALIZED (SELECT id, "memberId", "fromSponsorId", "startedAt", "oldAncestorIds" || "newAncestorIds" AS shifted
        FROM "SponsorChangeRequest" WHERE "startedAt" > ${at}),
      f AS MATERIALIZED (SELECT DISTINCT ON ("memberId") "memberId" AS id, "fromSponsorId" AS sponsor FROM mv ORDER BY "memberId", "startedAt", id)`;
}

/**
 * The CTEs (in a WITH RECURSIVE) of changesSinceSql, and: rel the changes that shifted one of `memberIds`, started after
 * `at` or started by it and still running (its team half-moved, each member under its old or new ancestors: the members'
 * sponsors are already the new ones), and those that shifted a member one of them moved (a later move out of its team); s
 * the members they rebuild (signed up by then), each with its own gmv credits completed in [from, at] (`upTo` "<":
 * [from, at)). Every join is a per-row index lookup (ARRAY(...), LIMIT 1) whatever the planner estimates: a hash or nested
 * loop over a moved team is quadratic.
 */
export function movedSinceSql(memberIds: number[], at: Date, from: Date, upTo: "<=" | "<"): Prisma.Sql {
  return Prisma.sql`${changesSinceSql(at)},
      rel(id, "memberId") AS (
        SELECT id, "memberId" FROM mv WHERE shifted && ${memberIds}::int[]
        UNION
        SELECT id, "memberId" FROM "SponsorChangeRequest" WHERE status = 'RUNNING' AND "startedAt" <= ${at}
          AND ("oldAncestorIds" || "newAncestorIds") && ${memberIds}::int[]
        UNION
        SELECT mv.id, mv."memberId" FROM rel JOIN mv ON rel."memberId" = ANY(mv.shifted)),
      s AS MATERIALIZED (
        SELECT x.id, (SELECT COALESCE(sum(g."amountFen"), 0) FROM "GmvCredit" g WHERE g."memberId" = x.id AND g.depth = 0
          AND g."completedAt" >= ${from} AND g."completedAt" ${Prisma.raw(upTo)} ${at}) AS fen
        FROM (SELECT "memberId" AS id FROM rel UNION SELECT c.id FROM rel
          CROSS JOIN LATERAL unnest(ARRAY(SELECT c."descendantId" FROM "SponsorClosure" c WHERE c."ancestorId" = rel."memberId")) AS c(id)) x
        WHERE (SELECT d."createdAt" FROM "Member" d WHERE d.id = x.id) <= ${at})`;
}

/**
 * Each of `partners`' team bonus base (in id order) for the month [start, end): the goods of the orders its depth 1..3
 * downline as it stood at `end` completed in the month. The credits follow the tree as it is now: the members sponsor
 * changes started since, or running since before it, moved (movedSinceSql) count, with their own credits, at their depth
 * then instead of now.
 */
export async function monthBasesAt(ctx: Pick<Ctx, "tx">, partners: number[], start: Date, end: Date): Promise<{ id: number; fen: bigint }[]> {
  return ctx.tx.$queryRaw<{ id: number; fen: bigint }[]>`
    WITH RECURSIVE${movedSinceSql(partners, end, start, "<")},
      up(id, fen, anc, depth) AS (
        SELECT s.id, s.fen, ${sponsorAtSql(Prisma.sql`s.id`)}, 1 FROM s WHERE s.fen <> 0
        UNION ALL
        SELECT up.id, up.fen, ${sponsorAtSql(Prisma.sql`up.anc`)}, up.depth + 1 FROM up
        WHERE up.anc IS NOT NULL AND up.depth < ${TEAM_BONUS_DEPTHS}),
      shift AS (
        SELECT id, sum(fen) AS fen FROM (
          SELECT c.id, -s.fen AS fen FROM s CROSS JOIN LATERAL unnest(ARRAY(SELECT c."ancestorId" FROM "SponsorClosure" c
            WHERE c."descendantId" = s.id AND c."ancestorId" = ANY(${partners}::int[]) AND c.depth BETWEEN 1 AND ${TEAM_BONUS_DEPTHS}))
            AS c(id) WHERE s.fen <> 0
          UNION ALL
          SELECT up.anc, up.fen FROM up WHERE up.anc = ANY(${partners}::int[])) t
        GROUP BY id)
    SELECT p.id, ((SELECT COALESCE(sum(g."amountFen"), 0) FROM "GmvCredit" g WHERE g."memberId" = p.id
        AND g.depth BETWEEN 1 AND ${TEAM_BONUS_DEPTHS} AND g."completedAt" >= ${start} AND g."completedAt" < ${end}) + COALESCE(sh.fen, 0))::bigint AS fen
    FROM unnest(${partners}::int[]) AS p(id) LEFT JOIN shift sh ON sh.id = p.id
    ORDER BY p.id`;
}

/**
 * The CTEs (in a WITH) of changesSinceSql, and md: each buyer whose own sponsor (L1) a change started after `at` moved, or
 * one started by it and still running moves (the binding is already the new one, the credits may not be), with
 * "closeSponsor" its sponsor at `at`, "creditedTo" the one its depth-1 gmv credits name now (its closure row at depth 1:
 * a move's batch rewrites both) and its own goods completed in [from, at). A move changes no other member's sponsor.
 */
export function directsMovedSinceSql(at: Date, from: Date): Prisma.Sql {
  return Prisma.sql`${changesSinceSql(at)},
      md AS MATERIALIZED (
        SELECT x.id, ${sponsorAtSql(Prisma.sql`x.id`)} AS "closeSponsor",
          (SELECT c."ancestorId" FROM "SponsorClosure" c WHERE c."descendantId" = x.id AND c.depth = 1 LIMIT 1) AS "creditedTo",
          (SELECT COALESCE(sum(g."amountFen"), 0) FROM "GmvCredit" g WHERE g."memberId" = x.id AND g.depth = 0
            AND g."completedAt" >= ${from} AND g."completedAt" < ${at}) AS fen
        FROM (SELECT id FROM f UNION SELECT "memberId" FROM "SponsorChangeRequest" WHERE status = 'RUNNING' AND "startedAt" <= ${at}) x)`;
}

/**
 * Each of `memberIds`' direct sales (in id order) for the month [start, end): the goods of the orders completed in it by
 * the buyers it sponsored at `end`. Its depth-1 gmv credits (an index lookup each), with the buyers moved since
 * (directsMovedSinceSql) counted for their sponsor then instead of the one their credits name now.
 */
export async function directSalesAt(ctx: Pick<Ctx, "tx">, memberIds: number[], start: Date, end: Date): Promise<{ id: number; fen: bigint }[]> {
  return ctx.tx.$queryRaw<{ id: number; fen: bigint }[]>`
    WITH${directsMovedSinceSql(end, start)},
      shift AS (
        SELECT id, sum(fen) AS fen FROM (SELECT "closeSponsor" AS id, fen FROM md UNION ALL SELECT "creditedTo", -fen FROM md) t
        WHERE id = ANY(${memberIds}::int[]) GROUP BY id)
    SELECT p.id, ((SELECT COALESCE(sum(g."amountFen"), 0) FROM "GmvCredit" g WHERE g."memberId" = p.id AND g.depth = 1
        AND g."completedAt" >= ${start} AND g."completedAt" < ${end}) + COALESCE(sh.fen, 0))::bigint AS fen
    FROM unnest(${memberIds}::int[]) AS p(id) LEFT JOIN shift sh ON sh.id = p.id
    ORDER BY p.id`;
}
