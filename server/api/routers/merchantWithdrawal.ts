import { z } from "zod";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { inTx } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { approveWithdrawal, rejectWithdrawal, executePayout } from "@/server/wallet/withdrawals";

const id = z.number().int().positive();

/** Merchant staff: withdrawal review (SPEC §6: one approver above 2 000 元, two different from 50 000 元). */
export const merchantWithdrawalRouter = createTRPCRouter({
  list: staffProcedure()
    .input(z.object({ status: z.enum(["PENDING_REVIEW", "APPROVED", "PAYING", "PAID", "REJECTED", "FAILED"]).optional() }).default({}))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.withdrawal.findMany({
        where: input.status ? { status: input.status } : {},
        orderBy: { id: "desc" },
        take: 100,
        include: { approvals: { select: { staffId: true, decision: true, createdAt: true } } },
      });
      // Who asked (for display): the member's name and masked phone.
      const members = await ctx.db.member.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.memberId))] } },
        select: { id: true, username: true, nickname: true, phoneMasked: true },
      });
      const byId = new Map(members.map((m) => [m.id, m]));
      return rows.map((r) => ({ ...r, member: byId.get(r.memberId) ?? null }));
    }),
  approve: staffProcedure()
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      const w = await inTx(ctx.db, { now: appNow() }, (c) => approveWithdrawal(c, input.id, ctx.session.user.id));
      if (w.status === "APPROVED") await executePayout(ctx.db, w.id, "sandbox", appNow());
      return ctx.db.withdrawal.findUniqueOrThrow({ where: { id: w.id } });
    }),
  reject: staffProcedure()
    .input(z.object({ id, reason: z.string().trim().min(1, "请填写驳回原因").max(200) }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => rejectWithdrawal(c, input.id, ctx.session.user.id, input.reason))),
});
