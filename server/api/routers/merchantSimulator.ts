import { z } from "zod";
import { id, int4, text } from "@/server/validation";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { appNow } from "@/server/clock/app-clock";
import { currentRules, listSimulations, MAX_NAME_CHARS, queueSimulationTx, simulationRun } from "@/server/simulator";
import { AREA_ROLES } from "@/server/staff/roles";

const finite = z.number().finite().min(-1e9).max(1e9);

/** The population as sent; ranges are the domain's (server/simulator/population.ts), refused per field. */
const population = z.object({
  members: int4(),
  sharerPercent: finite,
  invitesPerSharer: finite,
  firstOrderPercent: finite,
  categories: z.array(z.object({ category: text(20), priceFen: int4(), weight: finite })).max(8),
  refundPercent: finite,
  repeatOrders: finite,
  horizonDays: int4(),
  seed: int4(),
});

/** B's changes to the rules in force, by section; the compliance guard checks the whole result. */
const changes = z.object({
  commission: z
    .object({
      ratesBps: z.array(int4()).max(10),
      // B's rates per category ({} = every category on B's rates per level).
      categoryRatesBps: z.record(text(64), z.array(int4()).max(10)).refine((r) => Object.keys(r).length <= 200, "类目最多 200 个"),
    })
    .partial()
    .optional(),
  rebate: z.object({ n: int4(), percent: int4(), windowDays: int4(), capFen: int4().nullable() }).partial().optional(),
  teamBonusBps: int4().optional(),
});

/** Back office: the what-if simulator (the roles that read the rules may run projections). */
export const merchantSimulatorRouter = createTRPCRouter({
  // `cursor`: the last id of the previous page (tRPC infinite-query convention).
  list: staffProcedure(...AREA_ROLES.rulesRead)
    .input(z.object({ cursor: id().nullish() }).default({}))
    .query(({ ctx, input }) => listSimulations(ctx.db, input.cursor ?? null)),
  get: staffProcedure(...AREA_ROLES.rulesRead)
    .input(z.object({ id: id() }))
    .query(({ ctx, input }) => simulationRun(ctx.db, input.id)),
  rules: staffProcedure(...AREA_ROLES.rulesRead).query(({ ctx }) => currentRules(ctx.db, appNow())),
  queue: staffProcedure(...AREA_ROLES.rulesRead)
    .input(z.object({ name: text(MAX_NAME_CHARS * 4), population, changes: changes.nullish() }))
    // Performed by the next scheduler sweep (in-process every 15 s, or the Inngest sweep).
    .mutation(({ ctx, input }) => queueSimulationTx(ctx.db, ctx.actor, input, appNow())),
});
