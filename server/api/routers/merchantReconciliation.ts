import { z } from "zod";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { listReconciliationRuns } from "@/server/payments/reconcile";
import { AREA_ROLES } from "@/server/staff/roles";

/** Back office (owner, finance): each provider's daily bill against our payments and refunds (issue 13). */
export const merchantReconciliationRouter = createTRPCRouter({
  list: staffProcedure(...AREA_ROLES.reconciliation)
    .input(z.object({ limit: z.number().int().min(1).max(200).default(60) }).default({ limit: 60 }))
    .query(({ ctx, input }) => listReconciliationRuns(ctx.db, input.limit)),
});
