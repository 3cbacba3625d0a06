// Forced matrix with spillover (三三复制 / 自动滑落, SPEC §3).
// Every seat keeps `minVacantDepth`: the shallowest depth below it (1 = its own children) where a
// seat is still vacant. The first vacancy in breadth-first order under a seat is found by
// descending into the leftmost child whose minVacantDepth is one less, so placement costs
// O(depth × width) reads and writes, never a walk of the subtree.
import type { Ctx } from "../context";

export const ROOT_SEAT_ID = 0;

export async function ensureMatrixRoot(ctx: Ctx): Promise<void> {
  await ctx.tx.$executeRaw`INSERT INTO "MatrixSeat" (id, "memberId", "parentId", level, position, "childCount", "minVacantDepth")
    VALUES (0, NULL, NULL, 0, 0, 0, 1) ON CONFLICT (id) DO NOTHING`;
}

interface SeatRow {
  id: number;
  parentId: number | null;
  level: number;
  childCount: number;
  minVacantDepth: number;
}

async function childrenOf(ctx: Ctx, seatId: number): Promise<SeatRow[]> {
  return ctx.tx.matrixSeat.findMany({
    where: { parentId: seatId },
    orderBy: { position: "asc" },
    select: { id: true, parentId: true, level: true, childCount: true, minVacantDepth: true },
  });
}

/**
 * Placement is globally ordered (全网统一排位): one sign-up at a time, serialised on the root seat.
 * Sign-up takes this lock before touching any shared row, so every sign-up locks in the same order.
 */
export async function lockPlacement(ctx: Ctx): Promise<void> {
  await ensureMatrixRoot(ctx);
  await ctx.tx.$queryRaw`SELECT id FROM "MatrixSeat" WHERE id = 0 FOR UPDATE`;
}

/** Seats the member at the first vacancy (BFS, left to right) under the sponsor's seat or the root. */
export async function placeInMatrix(ctx: Ctx, memberId: number, sponsorId: number | null) {
  const width = ctx.config.matrix.width;
  await lockPlacement(ctx);
  const startSeat = sponsorId === null ? null : await ctx.tx.matrixSeat.findUnique({ where: { memberId: sponsorId } });
  let seat: SeatRow = (startSeat ?? (await ctx.tx.matrixSeat.findUniqueOrThrow({ where: { id: ROOT_SEAT_ID } }))) as SeatRow;

  let depth = seat.childCount < width ? 1 : seat.minVacantDepth;
  while (depth > 1) {
    const kids = await childrenOf(ctx, seat.id);
    const next = kids.find((k) => (k.childCount < width ? 1 : k.minVacantDepth) === depth - 1);
    if (!next) throw new Error(`matrix invariant broken under seat ${seat.id}`);
    seat = next;
    depth -= 1;
  }

  const placed = await ctx.tx.matrixSeat.create({
    data: { memberId, parentId: seat.id, level: seat.level + 1, position: seat.childCount, childCount: 0, minVacantDepth: 1 },
  });
  await ctx.tx.matrixSeat.update({ where: { id: seat.id }, data: { childCount: { increment: 1 } } });

  // Count the new seat at every ancestor seat's depth: one statement up the parent chain (O(depth)).
  await ctx.tx.$executeRaw`WITH RECURSIVE chain AS (
      SELECT id, "parentId", 1 AS rel FROM "MatrixSeat" WHERE id = ${seat.id}
      UNION ALL
      SELECT s.id, s."parentId", c.rel + 1 FROM "MatrixSeat" s JOIN chain c ON s.id = c."parentId")
    INSERT INTO "MatrixLevelCount" ("seatId", depth, count) SELECT id, rel, 1 FROM chain
    ON CONFLICT ("seatId", depth) DO UPDATE SET count = "MatrixLevelCount".count + 1`;

  // Recompute minVacantDepth upwards only while it changes (usually a step or two).
  let cur: SeatRow | null = { ...seat, childCount: seat.childCount + 1 };
  while (cur) {
    let mvd = 1;
    if (cur.childCount >= width) {
      const kids = await childrenOf(ctx, cur.id);
      mvd = 1 + Math.min(...kids.map((k) => (k.childCount < width ? 1 : k.minVacantDepth)));
    }
    if (mvd === cur.minVacantDepth) break;
    await ctx.tx.matrixSeat.update({ where: { id: cur.id }, data: { minVacantDepth: mvd } });
    if (cur.parentId === null) break;
    cur = (await ctx.tx.matrixSeat.findUnique({
      where: { id: cur.parentId },
      select: { id: true, parentId: true, level: true, childCount: true, minVacantDepth: true },
    })) as SeatRow | null;
  }
  return placed;
}

/** Members seated above the member in the matrix, nearest first (excluding the platform root). */
export async function matrixAncestors(ctx: Pick<Ctx, "tx">, memberId: number, maxDepth: number): Promise<{ memberId: number; depth: number }[]> {
  const out: { memberId: number; depth: number }[] = [];
  let seat = await ctx.tx.matrixSeat.findUnique({ where: { memberId } });
  for (let d = 1; d <= maxDepth && seat?.parentId != null; d++) {
    seat = await ctx.tx.matrixSeat.findUnique({ where: { id: seat.parentId } });
    if (!seat || seat.memberId === null) break;
    out.push({ memberId: seat.memberId, depth: d });
  }
  return out;
}

export interface MatrixLevelView {
  level: number;
  filled: number;
  capacity: number;
  vacancies: number;
}

/** The member's matrix by level (SPEC §3 team view): seats filled, capacity width^level, vacancies. */
export async function matrixView(ctx: Pick<Ctx, "tx" | "config">, memberId: number, levels = 10): Promise<MatrixLevelView[]> {
  const seat = await ctx.tx.matrixSeat.findUnique({ where: { memberId } });
  if (!seat) return [];
  const counts = await ctx.tx.matrixLevelCount.findMany({ where: { seatId: seat.id, depth: { lte: levels } } });
  const byDepth = new Map(counts.map((c) => [c.depth, c.count]));
  const width = ctx.config.matrix.width;
  return Array.from({ length: levels }, (_, i) => {
    const level = i + 1;
    const capacity = width ** level;
    const filled = byDepth.get(level) ?? 0;
    return { level, filled, capacity, vacancies: capacity - filled };
  });
}
