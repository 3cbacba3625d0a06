import { z } from "zod";
import { id, text } from "@/server/validation";
import { TRPCError } from "@trpc/server";
import { createTRPCRouter, staffSessionProcedure } from "@/server/api/trpc";
import { inTx } from "@/server/context";
import { beginTotpEnrolment, changeOwnPassword, confirmTotpEnrolment, disableOwnTotp, staffAccount } from "@/server/staff/accounts";
import { listSessions, revokeSession } from "@/server/staff/sessions";
import { totpRequirement } from "@/server/staff/policy";
import { PASSWORD_MAX } from "@/server/staff/password";

export const changePasswordSchema = z.object({ current: text(PASSWORD_MAX).min(1), next: text(PASSWORD_MAX).min(1) });

// Open to every signed-in member of staff, also while set-up is unfinished: this is where a new
// account enrols TOTP and replaces its initial password. Wall-clock times (TOTP follows the phone).
/** The signed-in member of staff's own account: password, TOTP, sessions. */
export const staffAccountRouter = createTRPCRouter({
  me: staffSessionProcedure.query(async ({ ctx }) => {
    const account = await staffAccount(ctx.db, ctx.staff.staffId);
    if (!account) throw new TRPCError({ code: "UNAUTHORIZED", message: "请先登录商家后台" });
    return { ...account, sessionId: ctx.staff.sessionId, ready: ctx.staff.ready, pending: ctx.staff.pending, totpRequiredBy: await totpRequirement(ctx.db, account.role) };
  }),
  changePassword: staffSessionProcedure
    .input(changePasswordSchema)
    .mutation(({ ctx, input }) => changeOwnPassword(ctx.db, new Date(), { ...ctx.actor, sessionId: ctx.staff.sessionId }, input)),
  beginTotp: staffSessionProcedure.mutation(({ ctx }) => inTx(ctx.db, { now: new Date() }, (c) => beginTotpEnrolment(c, ctx.actor))),
  confirmTotp: staffSessionProcedure
    .input(z.object({ code: z.string().trim().regex(/^\d{6}$/, "请输入 6 位数字验证码") }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: new Date() }, (c) => confirmTotpEnrolment(c, { ...ctx.actor, sessionId: ctx.staff.sessionId }, input.code))),
  disableTotp: staffSessionProcedure
    .input(z.object({ password: text(PASSWORD_MAX).min(1) }))
    .mutation(({ ctx, input }) => disableOwnTotp(ctx.db, new Date(), { ...ctx.actor, sessionId: ctx.staff.sessionId }, input.password)),
  sessions: staffSessionProcedure.query(({ ctx }) => listSessions(ctx.db, ctx.staff.staffId, new Date())),
  revokeSession: staffSessionProcedure
    .input(z.object({ sessionId: id() }))
    .mutation(async ({ ctx, input }) => {
      // Only one's own sessions: someone else's id is "not found".
      const own = await ctx.db.staffSession.findFirst({ where: { id: input.sessionId, staffId: ctx.staff.staffId }, select: { id: true } });
      const done = own ? await inTx(ctx.db, { now: new Date() }, (c) => revokeSession(c.tx, c.now, own.id, ctx.actor)) : false;
      if (!done) throw new TRPCError({ code: "NOT_FOUND", message: "会话不存在或已失效" });
      return { revoked: true };
    }),
});
