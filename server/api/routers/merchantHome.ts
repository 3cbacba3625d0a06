import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { loadConfig } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { backOfficeHome } from "@/server/kpi/home";
import { AREA_ROLES, canAccess } from "@/server/staff/roles";
import { countFailedJobs } from "@/server/scheduler/failed";
import { SETUP_ROLES, shopSetup } from "@/server/setup/checklist";

/** Back office home: today's figures and to-do counts (every role); the 开店准备 checklist (owner). */
export const merchantHomeRouter = createTRPCRouter({
  figures: staffProcedure(...AREA_ROLES.home).query(async ({ ctx }) =>
    backOfficeHome(
      ctx.db,
      appNow(),
      (await loadConfig(ctx.db)).timeZone,
      // Only roles that may see failed jobs get their count.
      canAccess(ctx.staff.role, "jobs") ? async () => (await countFailedJobs(ctx.db)).total : undefined,
    ),
  ),
  setup: staffProcedure(...SETUP_ROLES).query(({ ctx }) => shopSetup(ctx.db)),
});
