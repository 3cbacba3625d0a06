// Timed transitions stored as data (SPEC §9): each row names a kind, the entity and its due time.
import type { Ctx } from "../context";
import { Prisma } from "../db";
import type { DueKind } from "../db/generated/enums";

export type { DueKind };

/**
 * Stores a due transition once (unique kind/ref/due); running it is the job of the scheduler. The
 * row and its Inngest wake-up (step.sleepUntil; the catch-up sweep makes a lost one harmless) are
 * written by one statement, the wake-up only when the row is new.
 */
export async function scheduleDue(ctx: Ctx, kind: DueKind, refId: number, dueAt: Date): Promise<void> {
  await scheduleDues(ctx, [{ kind, refId, dueAt }]);
}

/**
 * The body of a data-modifying CTE that marks done the pending transitions a change has left with
 * nothing to do (e.g. the payment timeout of an order just paid). One a sweeper holds is left to it (it
 * finds nothing to do), never waited for: the caller holds the entity's lock, which the sweeper's
 * transition takes after its row.
 */
export function retireDuesSql(now: Date, retire: { kind: DueKind; refId: number }[], when?: Prisma.Sql): Prisma.Sql {
  // Each pair looked up by its key (LATERAL): a join lets a plan made on a small table scan every pending row.
  // `when` (a subquery, e.g. of the change's own CTE): only if it has a row, read before any transition is locked.
  return Prisma.sql`UPDATE "DueTransition" SET "doneAt" = ${now} WHERE id IN (
        SELECT t.id FROM unnest(${retire.map((d) => d.kind)}::text[], ${retire.map((d) => d.refId)}::int[]) AS r(kind, "refId")
        CROSS JOIN LATERAL (SELECT id FROM "DueTransition"
          WHERE kind = r.kind::"DueKind" AND "refId" = r."refId" AND "doneAt" IS NULL FOR UPDATE SKIP LOCKED) t${when ? Prisma.sql`
        WHERE EXISTS (${when})` : Prisma.empty})`;
}

/** scheduleDue for several transitions, in one statement, retiring `retire` (retireDuesSql) in it. */
export async function scheduleDues(ctx: Ctx, dues: { kind: DueKind; refId: number; dueAt: Date }[], retire: { kind: DueKind; refId: number }[] = []): Promise<void> {
  if (dues.length === 0) return;
  const retired = retire.length > 0 ? Prisma.sql`r AS (${retireDuesSql(ctx.now, retire)}), ` : Prisma.empty;
  await ctx.tx.$executeRaw`WITH ${retired}${scheduleDuesCtes(ctx, dues)} SELECT 1`;
}

/**
 * scheduleDues as CTEs (`due_x`, `due_d`, `due_e`) of a caller's statement: the change and the transitions it
 * schedules are one statement. Each row and its wake-up as scheduleDues writes them.
 */
export function scheduleDuesCtes(ctx: Ctx, dues: { kind: DueKind; refId: number; dueAt: Date }[]): Prisma.Sql {
  return dueRowsCtes(ctx, dues, Prisma.sql`
    SELECT * FROM unnest(${dues.map((d) => d.kind)}::text[], ${dues.map((d) => d.refId)}::int[], ${dues.map((d) => d.dueAt.toISOString())}::text[]) AS x(kind, "refId", "dueAt")`);
}

/**
 * scheduleDuesCtes for transitions of a row the caller's statement inserts: `refId` is a subquery of its id (e.g.
 * `SELECT id FROM o`, a CTE's RETURNING); no row (an insert that did nothing), nothing is scheduled.
 */
export function scheduleDuesOfCtes(ctx: Ctx, refId: Prisma.Sql, dues: { kind: DueKind; dueAt: Date }[]): Prisma.Sql {
  return dueRowsCtes(ctx, dues, Prisma.sql`
    SELECT x.kind, due_ref.id AS "refId", x."dueAt" FROM unnest(${dues.map((d) => d.kind)}::text[], ${dues.map((d) => d.dueAt.toISOString())}::text[]) AS x(kind, "dueAt")
    CROSS JOIN (${refId}) AS due_ref(id)`);
}

/** The rows `x` (kind text, "refId" int, "dueAt" ISO text) inserted once each (unique kind/ref/due), with the wake-up of each new one. */
function dueRowsCtes(ctx: Ctx, dues: { dueAt: Date }[], x: Prisma.Sql): Prisma.Sql {
  // Told when the statement is built, even if its change then does nothing: a hint (the replay's next due time), never a fact.
  for (const d of dues) ctx.onScheduled?.(d.dueAt);
  return Prisma.sql`due_x AS (${x}
    ), due_d AS (
      INSERT INTO "DueTransition" (kind, "refId", "dueAt", "createdAt")
      SELECT kind::"DueKind", "refId", "dueAt"::timestamptz, ${ctx.now} FROM due_x
      ON CONFLICT (kind, "refId", "dueAt") DO NOTHING RETURNING id, kind, "refId", "dueAt"
    ), due_e AS (
      INSERT INTO "OutboxEvent" (name, data, "createdAt")
      SELECT 'transition/scheduled', jsonb_build_object('id', d.id, 'kind', x.kind, 'refId', x."refId", 'dueAt', x."dueAt"), ${ctx.now}
      FROM due_d d JOIN due_x x ON x.kind = d.kind::text AND x."refId" = d."refId" AND x."dueAt"::timestamptz = d."dueAt"
    )`;
}
