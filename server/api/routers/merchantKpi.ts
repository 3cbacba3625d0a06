import { z } from "zod";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { appNow } from "@/server/clock/app-clock";
import { kpiDashboard, periodsFor } from "@/server/kpi/dashboard";
import { DAY_RE, PERIOD_PRESETS } from "@/server/kpi/periods";
import { AREA_ROLES } from "@/server/staff/roles";

/** The dashboard's period: a preset, or a custom range of merchant days. Shared with the CSV export. */
export const kpiPeriodInput = z.object({
  preset: z.enum(PERIOD_PRESETS).default("7d"),
  from: z.string().regex(DAY_RE).optional(),
  to: z.string().regex(DAY_RE).optional(),
});

/** Back office: the KPI dashboard (owner, operator, finance). */
export const merchantKpiRouter = createTRPCRouter({
  dashboard: staffProcedure(...AREA_ROLES.kpi)
    .input(kpiPeriodInput)
    .query(async ({ ctx, input }) => kpiDashboard(ctx.db, await periodsFor(ctx.db, input, appNow()))),
});
