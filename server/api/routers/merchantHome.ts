import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { loadConfig } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { backOfficeHome } from "@/server/kpi/home";
import { AREA_ROLES } from "@/server/staff/roles";
import { countFailedJobs } from "@/server/scheduler/failed";
import { SETUP_ROLES, shopSetup } from "@/server/setup/checklist";

/** Back office home: today's figures and to-do counts, each only for the roles of its area; the 开店准备 checklist (owner). */
export const merchantHomeRouter = createTRPCRouter({
  figures: staffProcedure(...AREA_ROLES.home).query(async ({ ctx }) =>
    backOfficeHome(ctx.db, appNow(), (await loadConfig(ctx.db)).timeZone, ctx.staff.role, async () => (await countFailedJobs(ctx.db)).total),
  ),
  setup: staffProcedure(...SETUP_ROLES).query(({ ctx }) => shopSetup(ctx.db)),
});
