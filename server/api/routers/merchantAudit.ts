import { z } from "zod";
import { INT4_MAX, text } from "@/server/validation";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { auditActors, listAudit } from "@/server/audit/query";
import { loadConfig } from "@/server/context";
import { AREA_ROLES } from "@/server/staff/roles";

/** The audit log's filters, shared by the list and the CSV export (app/merchant/audit/export). */
export const auditFilterSchema = z.object({
  actor: text(20)
    .regex(/^(system|staff:\d{1,10}|member:\d{1,10})$/, "操作人无效")
    .refine((a) => Number(a.split(":")[1] ?? 0) <= INT4_MAX, "操作人编号无效（超出范围）")
    .optional(),
  action: text(100).trim().optional(),
  target: text(200).trim().optional(),
  fromDay: z.iso.date("日期无效").optional(),
  toDay: z.iso.date("日期无效").optional(),
});

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
