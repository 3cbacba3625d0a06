// Member status history (SPEC §7): each change of freeze (§8), staff's distributor suspension (§4, issue 9) and tier
// (§7) is recorded by the statement that makes it, with the state before and after, so the monthly bonuses judge a
// member as they stood at the instant the month closed however late they run. The state at T is the `previous` of the
// member's first change after T; a member with no change since T is as the Member row stands.
import { Prisma } from "../db";
import type { Ctx } from "../context";
import type { MemberStatusKind } from "../db/generated/enums";

/**
 * The state of each kind at instant `at` of the members changed since, from their first change after it (a change at
 * `at` itself is part of the state at `at`). Members absent from the map, or a kind absent for one: unchanged since, or
 * older data with no history; either way the Member row as it stands decides, as before this history.
 */
export async function statusAt(ctx: Pick<Ctx, "tx">, kinds: MemberStatusKind[], memberIds: number[], at: Date): Promise<Map<number, Partial<Record<MemberStatusKind, string>>>> {
  const out = new Map<number, Partial<Record<MemberStatusKind, string>>>();
  if (memberIds.length === 0 || kinds.length === 0) return out;
  const rows = await ctx.tx.$queryRaw<{ memberId: number; kind: MemberStatusKind; previous: string }[]>`
    SELECT DISTINCT ON ("memberId", kind) "memberId", kind::text AS kind, previous FROM "MemberStatusChange"
    WHERE "memberId" = ANY(${memberIds}::int[]) AND kind = ANY(${kinds}::"MemberStatusKind"[]) AND at > ${at}
    ORDER BY "memberId", kind, at, id`;
  for (const r of rows) out.set(r.memberId, { ...out.get(r.memberId), [r.kind]: r.previous });
  return out;
}

/** statusAt in SQL for one kind of the member row aliased `m`: NULL when unchanged since `at` (the row decides). */
export function statusAtSql(kind: MemberStatusKind, at: Date): Prisma.Sql {
  return Prisma.sql`(SELECT h.previous FROM "MemberStatusChange" h
    WHERE h."memberId" = m.id AND h.kind = ${kind}::"MemberStatusKind" AND h.at > ${at} ORDER BY h.at, h.id LIMIT 1)`;
}

/** Frozen at instant `at` (SPEC §8), for the member row aliased `m`: the history's state then, else the row's freeze. */
export function frozenAtSql(at: Date): Prisma.Sql {
  // A freeze with no recorded time (older data) counts as frozen since always.
  return Prisma.sql`COALESCE(${statusAtSql("FROZEN", at)} = 'true', m.frozen AND (m."frozenAt" IS NULL OR m."frozenAt" <= ${at}))`;
}

/**
 * Freezes or unfreezes a member (SPEC §8) unless it already is so, and records the change, in one statement.
 * Returns whether it changed anything.
 */
export async function setFrozen(ctx: Pick<Ctx, "tx" | "now">, memberId: number, frozen: boolean): Promise<boolean> {
  const changed = await ctx.tx.$executeRaw`
    WITH m AS (
      UPDATE "Member" SET frozen = ${frozen}, "frozenAt" = ${frozen ? ctx.now : null}::timestamptz
      WHERE id = ${memberId} AND frozen = ${!frozen} RETURNING id)
    INSERT INTO "MemberStatusChange" ("memberId", kind, previous, value, at)
    SELECT id, 'FROZEN', ${String(!frozen)}, ${String(frozen)}, ${ctx.now} FROM m`;
  return changed > 0;
}
