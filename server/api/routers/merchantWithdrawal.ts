import { z } from "zod";
import { id as idSchema, text } from "@/server/validation";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { inTx, loadConfig } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { approveWithdrawalNow, approveWithdrawalsNow, confirmPayoutFailed, rejectWithdrawal, retryFailedPayoutNow } from "@/server/wallet/withdrawals";
import { payingStatus, withdrawalFilterSchema, withdrawalQueue } from "@/server/wallet/review";
import { moneySettingsOf, updateMoneySettings } from "@/server/wallet/fee";
import { moneySettingsSchema } from "@/server/wallet/schemas";
import { AREA_ROLES } from "@/server/staff/roles";

const id = idSchema();

/** Back office (finance): withdrawal review (SPEC §6: one approver above 2 000 元, two different staff from 50 000 元). */
export const merchantWithdrawalRouter = createTRPCRouter({
  list: staffProcedure(...AREA_ROLES.withdrawals)
    .input(withdrawalFilterSchema.extend({ page: z.number().int().min(1).max(100_000).optional(), pageSize: z.number().int().min(1).max(100).optional() }).default({}))
    .query(({ ctx, input }) => withdrawalQueue(ctx.db, input, ctx.staff.staffId)),
  approve: staffProcedure(...AREA_ROLES.withdrawals)
    .input(z.object({ id }))
    .mutation(({ ctx, input }) => approveWithdrawalNow(ctx.db, input.id, ctx.actor, appNow())),
  /** 批量审核: each row in its own transaction with the single-approval rules; a result per row. */
  approveMany: staffProcedure(...AREA_ROLES.withdrawals)
    .input(z.object({ ids: z.array(id).min(1, "请选择提现单").max(100, "一次最多审核 100 笔") }))
    .mutation(({ ctx, input }) => approveWithdrawalsNow(ctx.db, input.ids, ctx.actor, appNow())),
  reject: staffProcedure(...AREA_ROLES.withdrawals)
    .input(z.object({ id, reason: text(200).trim().min(1, "请填写驳回原因") }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => rejectWithdrawal(c, input.id, ctx.actor, input.reason))),
  /** 重新打款 of a FAILED payout. */
  retryPayout: staffProcedure(...AREA_ROLES.withdrawals)
    .input(z.object({ id }))
    .mutation(({ ctx, input }) => retryFailedPayoutNow(ctx.db, input.id, ctx.actor, appNow())),
  /** 确认打款失败，退回余额 of a PAYING withdrawal whose payout call was dead-lettered, once the provider confirms it holds no paid transfer. */
  confirmPayoutFailed: staffProcedure(...AREA_ROLES.withdrawals)
    .input(z.object({ id }))
    .mutation(({ ctx, input }) => confirmPayoutFailed(ctx.db, input.id, ctx.actor, appNow())),
  /** The PAYING reconciler: last run and the withdrawals it is still asking the provider about. */
  payingStatus: staffProcedure(...AREA_ROLES.withdrawals).query(({ ctx }) => payingStatus(ctx.db)),
  settings: staffProcedure(...AREA_ROLES.withdrawals).query(async ({ ctx }) => moneySettingsOf(await loadConfig(ctx.db))),
  updateSettings: staffProcedure(...AREA_ROLES.moneySettings)
    .input(moneySettingsSchema)
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => updateMoneySettings(c, ctx.actor, input))),
});
