import { z } from "zod";
import { id, text } from "@/server/validation";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { inTx } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { countFailedJobs, listFailedJobs, retryFailedJob } from "@/server/scheduler/failed";
import { AREA_ROLES } from "@/server/staff/roles";

/** Back office (owner, finance): background jobs and outbox events that were dead-lettered after repeated failures (issue 8). */
export const merchantJobsRouter = createTRPCRouter({
  failedCount: staffProcedure(...AREA_ROLES.jobs).query(({ ctx }) => countFailedJobs(ctx.db)),
  failedList: staffProcedure(...AREA_ROLES.jobs)
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => listFailedJobs(ctx.db, input.limit)),
  retry: staffProcedure(...AREA_ROLES.jobs)
    .input(
      z.discriminatedUnion("type", [
        z.object({ type: z.enum(["transition", "providerCall", "outboxEvent"]), id: id() }),
        // A failed Inngest function (failedList's functionId); one that runs per event is refused NOT_RETRYABLE.
        z.object({ type: z.literal("inngestFunction"), functionId: text(100) }),
      ]),
    )
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => retryFailedJob(c, ctx.actor, input))),
});
