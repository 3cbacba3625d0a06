import { z } from "zod";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { auditActors, auditFilterSchema, listAudit } from "@/server/audit/query";
import { loadConfig } from "@/server/context";
import { AREA_ROLES } from "@/server/staff/roles";

/** Back office (owner): the audit log. */
export const merchantAuditRouter = createTRPCRouter({
  list: staffProcedure(...AREA_ROLES.audit)
    .input(
      auditFilterSchema.extend({
        page: z.number().int().min(1).max(100_000).default(1),
        pageSize: z.union([z.literal(20), z.literal(50), z.literal(100)]).default(20),
        sort: z.object({ id: z.enum(["createdAt", "action", "target"]), desc: z.boolean() }).nullish(),
      }),
    )
    .query(async ({ ctx, input }) => listAudit(ctx.db, input, (await loadConfig(ctx.db)).timeZone, input)),
  actors: staffProcedure(...AREA_ROLES.audit).query(({ ctx }) => auditActors(ctx.db)),
});
