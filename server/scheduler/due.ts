// Timed transitions stored as data (SPEC §9): each row names a kind, the entity and its due time.
import { emit, type Ctx } from "../context";
import type { DueKind } from "../db/generated/enums";

export type { DueKind };

/** Stores a due transition once (unique kind/ref/due); running it is the job of the scheduler. */
export async function scheduleDue(ctx: Ctx, kind: DueKind, refId: number, dueAt: Date): Promise<void> {
  const rows = await ctx.tx.dueTransition.createManyAndReturn({ data: [{ kind, refId, dueAt, createdAt: ctx.now }], skipDuplicates: true });
  // Wake-up for Inngest (step.sleepUntil); the catch-up sweep makes a lost event harmless.
  for (const r of rows) await emit(ctx, "transition/scheduled", { id: r.id, kind, refId, dueAt: dueAt.toISOString() });
}
