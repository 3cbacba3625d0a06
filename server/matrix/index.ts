// Forced matrix with spillover (三三复制 / 自动滑落, SPEC §3).
// Every seat keeps `minVacantDepth`: the shallowest depth below it (1 = its own children) where a
// seat is still vacant. The first vacancy in breadth-first order under a seat is found by
// descending into the leftmost child whose minVacantDepth is one less, so placement costs
// O(depth × width) reads and writes, never a walk of the subtree.
import type { Ctx } from "../context";
import { Prisma } from "../db";

export const ROOT_SEAT_ID = 0;

export async function ensureMatrixRoot(ctx: Ctx): Promise<void> {
  await ctx.tx.$executeRaw`INSERT INTO "MatrixSeat" (id, "memberId", "parentId", level, position, "childCount", "minVacantDepth")
    VALUES (0, NULL, NULL, 0, 0, 0, 1) ON CONFLICT (id) DO NOTHING`;
}

/** The placement lock as CTE `placement_lock` of a statement; selecting from it takes the lock (no row: no root seat yet). */
export const placementLockCte = Prisma.sql`placement_lock AS (SELECT id FROM "MatrixSeat" WHERE id = ${ROOT_SEAT_ID} FOR UPDATE)`;

/**
 * Placement is globally ordered (全网统一排位): one placement at a time, serialised on the root seat.
 * Sign-up takes this lock after its own rows and before any shared one (closure, counters, seats), so
 * every sign-up locks shared rows in the same order and holds the lock only for those few statements.
 * Sign-up takes it within its own rows' statement (placementLockCte) and calls this only if that found no root.
 */
export async function lockPlacement(ctx: Ctx): Promise<void> {
  const locked = await ctx.tx.$queryRaw<{ id: number }[]>`WITH ${placementLockCte} SELECT id FROM placement_lock`;
  if (locked.length > 0) return;
  await ensureMatrixRoot(ctx);
  await ctx.tx.$queryRaw`WITH ${placementLockCte} SELECT id FROM placement_lock`;
}

/**
 * `down`: from the sponsor's seat (or the root), into the leftmost child whose effective vacancy depth
 * is one less, until depth 1: its last row is the seat whose children get the first vacancy (BFS).
 */
const descent = (width: number, sponsorId: number | null) => Prisma.sql`down AS (
      SELECT id, "parentId", level, "childCount", "minVacantDepth",
        CASE WHEN "childCount" < ${width}::int THEN 1 ELSE "minVacantDepth" END AS depth
      FROM "MatrixSeat" WHERE id = COALESCE((SELECT id FROM "MatrixSeat" WHERE "memberId" = ${sponsorId}::int), ${ROOT_SEAT_ID}::int)
      UNION ALL
      SELECT k.id, k."parentId", k.level, k."childCount", k."minVacantDepth", d.depth - 1
      FROM down d CROSS JOIN LATERAL (
        SELECT c.* FROM "MatrixSeat" c
        WHERE c."parentId" = d.id AND (CASE WHEN c."childCount" < ${width}::int THEN 1 ELSE c."minVacantDepth" END) = d.depth - 1
        ORDER BY c.position LIMIT 1) k
      WHERE d.depth > 1)`;

/** The seat a sign-up under this sponsor would be seated below (the placement search alone, writing nothing). */
export async function firstVacantParent(ctx: Pick<Ctx, "tx" | "config">, sponsorId: number | null): Promise<number | null> {
  const rows = await ctx.tx.$queryRaw<{ id: number }[]>`WITH RECURSIVE ${descent(ctx.config.matrix.width, sponsorId)}
    SELECT id FROM down WHERE depth = 1`;
  return rows[0]?.id ?? null;
}

/**
 * Seats the member at the first vacancy (BFS, left to right) under the sponsor's seat or the root, in
 * one statement; the caller holds lockPlacement (taken in an earlier statement, so this one's snapshot
 * sees the placement committed before it). `chain` counts the new seat at every seat above it;
 * `up` recomputes minVacantDepth upwards while it changes (the new seat is vacant below, so its parent,
 * once full, has 2); one UPDATE then grows the parent and writes the changed depths. The walks up
 * look each parent up by key (LATERAL … LIMIT 1): as a join, a plan made on a small table scans the
 * whole matrix once per level, and a prepared statement keeps that plan as the matrix grows.
 */
export async function placeInMatrix(ctx: Ctx, memberId: number, sponsorId: number | null, before?: Prisma.Sql): Promise<void> {
  const w = ctx.config.matrix.width;
  // `before`: the caller's own CTEs (sign-up's sponsor-tree rows), written in the same round trip.
  const placed = await ctx.tx.$queryRaw<{ id: number }[]>`WITH RECURSIVE ${before ? Prisma.sql`${before},` : Prisma.empty} ${descent(w, sponsorId)},
    target AS (SELECT * FROM down WHERE depth = 1),
    seat AS (
      INSERT INTO "MatrixSeat" ("memberId", "parentId", level, position, "childCount", "minVacantDepth")
      SELECT ${memberId}::int, id, level + 1, "childCount", 0, 1 FROM target RETURNING id),
    chain AS (
      SELECT id, "parentId", 1 AS rel FROM target
      UNION ALL
      SELECT s.id, s."parentId", c.rel + 1 FROM chain c CROSS JOIN LATERAL (SELECT id, "parentId" FROM "MatrixSeat" WHERE id = c."parentId" LIMIT 1) s),
    counted AS (
      INSERT INTO "MatrixLevelCount" ("seatId", depth, count) SELECT id, rel, 1 FROM chain
      ON CONFLICT ("seatId", depth) DO UPDATE SET count = "MatrixLevelCount".count + 1),
    up AS (
      SELECT id, "parentId", 1 AS grow, "childCount" + 1 AS cc, "minVacantDepth" AS old,
        CASE WHEN "childCount" + 1 < ${w}::int THEN 1 ELSE 2 END AS new
      FROM target
      UNION ALL
      SELECT g.id, g."parentId", 0, g."childCount", g."minVacantDepth",
        CASE WHEN g."childCount" < ${w}::int THEN 1 ELSE 1 + (
          SELECT min(CASE WHEN k.id = u.id THEN (CASE WHEN u.cc < ${w}::int THEN 1 ELSE u.new END)
                          WHEN k."childCount" < ${w}::int THEN 1 ELSE k."minVacantDepth" END)
          FROM "MatrixSeat" k WHERE k."parentId" = g.id) END
      FROM up u CROSS JOIN LATERAL (SELECT * FROM "MatrixSeat" WHERE id = u."parentId" LIMIT 1) g WHERE u.new <> u.old),
    grown AS (
      UPDATE "MatrixSeat" s SET "childCount" = s."childCount" + u.grow,
        "minVacantDepth" = CASE WHEN u.new <> u.old THEN u.new ELSE s."minVacantDepth" END
      FROM up u WHERE s.id = ANY (ARRAY(SELECT id FROM up)) AND s.id = u.id AND (u.grow = 1 OR u.new <> u.old))
    SELECT id FROM seat`;
  if (placed.length === 0) throw new Error(`matrix invariant broken: no vacancy found for member ${memberId}`);
}

/**
 * Members seated above the member in the matrix up to `maxDepth`, as rows (id, depth) of a subquery (excluding the
 * platform root). Each parent looked up by key (LATERAL … LIMIT 1), as placeInMatrix walks up: index reads whatever the plan's estimates.
 */
export function matrixAncestorsSql(memberId: number, maxDepth: number): Prisma.Sql {
  return Prisma.sql`WITH RECURSIVE seat_up AS (
      SELECT "parentId", NULL::int AS id, 0 AS depth FROM "MatrixSeat" WHERE "memberId" = ${memberId}::int
      UNION ALL
      SELECT p."parentId", p."memberId", u.depth + 1
      FROM seat_up u CROSS JOIN LATERAL (SELECT "parentId", "memberId" FROM "MatrixSeat" WHERE id = u."parentId" LIMIT 1) p
      WHERE u.depth < ${maxDepth}::int AND p."memberId" IS NOT NULL)
    SELECT id, depth FROM seat_up WHERE depth > 0`;
}

/** Members seated above the member in the matrix, nearest first (excluding the platform root), in one statement. */
export async function matrixAncestors(ctx: Pick<Ctx, "tx">, memberId: number, maxDepth: number): Promise<{ memberId: number; depth: number }[]> {
  return ctx.tx.$queryRaw<{ memberId: number; depth: number }[]>`
    SELECT a.id AS "memberId", a.depth FROM (${matrixAncestorsSql(memberId, maxDepth)}) a ORDER BY a.depth`;
}

export interface MatrixLevelView {
  level: number;
  filled: number;
  capacity: number;
  vacancies: number;
}

/** The member's matrix by level (SPEC §3 team view): seats filled, capacity width^level, vacancies. */
export async function matrixView(ctx: Pick<Ctx, "tx" | "config">, memberId: number, levels = 10): Promise<MatrixLevelView[]> {
  // The seat and its level counters in one round trip; a member without a seat gets no row.
  const rows = await ctx.tx.$queryRaw<{ depth: number | null; count: number | null }[]>`
    SELECT c.depth, c.count FROM "MatrixSeat" s
    LEFT JOIN "MatrixLevelCount" c ON c."seatId" = s.id AND c.depth <= ${levels}::int
    WHERE s."memberId" = ${memberId}::int`;
  if (rows.length === 0) return [];
  const byDepth = new Map(rows.flatMap((c) => (c.depth === null ? [] : [[c.depth, Number(c.count)] as const])));
  const width = ctx.config.matrix.width;
  return Array.from({ length: levels }, (_, i) => {
    const level = i + 1;
    const capacity = width ** level;
    const filled = byDepth.get(level) ?? 0;
    return { level, filled, capacity, vacancies: capacity - filled };
  });
}
