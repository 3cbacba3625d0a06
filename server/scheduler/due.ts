// Timed transitions stored as data (SPEC §9): each row names a kind, the entity and its due time.
import type { Ctx } from "../context";
import type { DueKind } from "../db/generated/enums";

export type { DueKind };

/**
 * Stores a due transition once (unique kind/ref/due); running it is the job of the scheduler. The
 * row and its Inngest wake-up (step.sleepUntil; the catch-up sweep makes a lost one harmless) are
 * written by one statement, the wake-up only when the row is new.
 */
export async function scheduleDue(ctx: Ctx, kind: DueKind, refId: number, dueAt: Date): Promise<void> {
  await ctx.tx.$executeRaw`
    WITH d AS (
      INSERT INTO "DueTransition" (kind, "refId", "dueAt", "createdAt") VALUES (${kind}::"DueKind", ${refId}::int, ${dueAt}, ${ctx.now})
      ON CONFLICT (kind, "refId", "dueAt") DO NOTHING RETURNING id
    )
    INSERT INTO "OutboxEvent" (name, data, "createdAt")
    SELECT 'transition/scheduled', jsonb_build_object('id', d.id, 'kind', ${kind}::text, 'refId', ${refId}::int, 'dueAt', ${dueAt.toISOString()}::text), ${ctx.now} FROM d`;
}
