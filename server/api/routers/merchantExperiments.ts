import { z } from "zod";
import { id, int4, text } from "@/server/validation";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { appNow } from "@/server/clock/app-clock";
import { endExperimentTx, experimentReport, listExperiments, MAX_HYPOTHESIS_CHARS, MAX_NAME_CHARS, startExperimentTx } from "@/server/experiments";
import { AREA_ROLES } from "@/server/staff/roles";

/** B's 推三返一 settings; ranges and the compliance guard are the domain's (server/experiments). */
const variantRebate = z.object({
  n: int4().optional(),
  percent: int4().optional(),
  windowDays: int4().optional(),
  capFen: int4().nullable().optional(),
  minAnchorFen: int4().optional(),
  payout: z.enum(["cash", "credit"]).optional(),
});

/** Back office: A/B campaign experiments (read like the rules; only the owner starts or ends one). */
export const merchantExperimentsRouter = createTRPCRouter({
  list: staffProcedure(...AREA_ROLES.rulesRead).query(({ ctx }) => listExperiments(ctx.db)),
  report: staffProcedure(...AREA_ROLES.rulesRead)
    .input(z.object({ id: id() }))
    .query(({ ctx, input }) => experimentReport(ctx.db, input.id, appNow())),
  start: staffProcedure(...AREA_ROLES.rulesWrite)
    .input(z.object({ name: text(MAX_NAME_CHARS * 4), hypothesis: text(MAX_HYPOTHESIS_CHARS * 4), variantPercent: int4(), variantRebate }))
    .mutation(({ ctx, input }) => startExperimentTx(ctx.db, ctx.actor, input, appNow())),
  end: staffProcedure(...AREA_ROLES.rulesWrite)
    .input(z.object({ id: id(), winner: z.enum(["A", "B"]), reason: text(200) }))
    .mutation(({ ctx, input }) => endExperimentTx(ctx.db, ctx.actor, input, appNow())),
});
