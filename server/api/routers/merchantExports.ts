import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { myExports } from "@/server/exports/jobs";
import { AREA_ROLES } from "@/server/staff/roles";

/** Back office: the caller's own background exports with their progress (issue 9). */
export const merchantExportsRouter = createTRPCRouter({
  mine: staffProcedure(...AREA_ROLES.home).query(({ ctx }) => myExports(ctx.db, ctx.staff)),
});
