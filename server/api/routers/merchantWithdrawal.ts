import { z } from "zod";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { inTx } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { approveWithdrawal, rejectWithdrawal, executePayout } from "@/server/wallet/withdrawals";
import { withdrawalsForReview } from "@/server/wallet/review";
import { AREA_ROLES } from "@/server/staff/roles";

const id = z.number().int().positive();

/** Back office (finance): withdrawal review (SPEC §6: one approver above 2 000 元, two different staff from 50 000 元). */
export const merchantWithdrawalRouter = createTRPCRouter({
  list: staffProcedure(...AREA_ROLES.withdrawals)
    .input(z.object({ status: z.enum(["PENDING_REVIEW", "APPROVED", "PAYING", "PAID", "REJECTED", "FAILED"]).optional() }).default({}))
    .query(({ ctx, input }) => withdrawalsForReview(ctx.db, input)),
  approve: staffProcedure(...AREA_ROLES.withdrawals)
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      const w = await inTx(ctx.db, { now: appNow() }, (c) => approveWithdrawal(c, input.id, ctx.actor));
      if (w.status === "APPROVED") await executePayout(ctx.db, w.id, "sandbox", appNow());
      return ctx.db.withdrawal.findUniqueOrThrow({ where: { id: w.id } });
    }),
  reject: staffProcedure(...AREA_ROLES.withdrawals)
    .input(z.object({ id, reason: z.string().trim().min(1, "请填写驳回原因").max(200) }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => rejectWithdrawal(c, input.id, ctx.actor, input.reason))),
});
