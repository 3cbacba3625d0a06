import { z } from "zod";
import { id, text } from "@/server/validation";
import { TRPCError } from "@trpc/server";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { inTx } from "@/server/context";
import { inviteStaff, listStaff, resetStaffPassword, resetStaffTotp, setStaffDisabled, setStaffRole } from "@/server/staff/accounts";
import { listSessions, revokeSession } from "@/server/staff/sessions";
import { getStaffPolicy, setStaffTotpPolicy } from "@/server/staff/policy";
import { AREA_ROLES, STAFF_ROLES } from "@/server/staff/roles";
import { clientKeySchema } from "@/server/catalog/schema";

const staffId = id();
export const inviteStaffSchema = z.object({
  username: text(32).trim().min(3, "用户名至少 3 位"),
  displayName: text(40).trim().min(1, "请填写姓名"),
  role: z.enum(STAFF_ROLES),
  inviteKey: clientKeySchema.optional(),
});

// Staff-account times are wall-clock (see server/staff/sessions.ts), so these use new Date().
/** Back office (owner): staff accounts, roles and their sessions. */
export const merchantStaffRouter = createTRPCRouter({
  list: staffProcedure(...AREA_ROLES.staff).query(({ ctx }) => listStaff(ctx.db)),
  invite: staffProcedure(...AREA_ROLES.staff)
    .input(inviteStaffSchema)
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: new Date() }, (c) => inviteStaff(c, ctx.actor, input))),
  setRole: staffProcedure(...AREA_ROLES.staff)
    .input(z.object({ id: staffId, role: z.enum(STAFF_ROLES) }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: new Date() }, (c) => setStaffRole(c, ctx.actor, input.id, input.role))),
  setDisabled: staffProcedure(...AREA_ROLES.staff)
    .input(z.object({ id: staffId, disabled: z.boolean() }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: new Date() }, (c) => setStaffDisabled(c, ctx.actor, input.id, input.disabled))),
  resetPassword: staffProcedure(...AREA_ROLES.staff)
    .input(z.object({ id: staffId }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: new Date() }, (c) => resetStaffPassword(c, ctx.actor, input.id))),
  resetTotp: staffProcedure(...AREA_ROLES.staff)
    .input(z.object({ id: staffId }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: new Date() }, (c) => resetStaffTotp(c, ctx.actor, input.id))),
  /** 要求全体员工启用两步验证 (server/staff/policy.ts). */
  totpPolicy: staffProcedure(...AREA_ROLES.staff).query(({ ctx }) => getStaffPolicy(ctx.db)),
  setTotpPolicy: staffProcedure(...AREA_ROLES.staff)
    .input(z.object({ requireTotp: z.boolean() }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: new Date() }, (c) => setStaffTotpPolicy(c, ctx.actor, input.requireTotp))),
  sessions: staffProcedure(...AREA_ROLES.staff)
    .input(z.object({ id: staffId }))
    .query(({ ctx, input }) => listSessions(ctx.db, input.id, new Date())),
  revokeSession: staffProcedure(...AREA_ROLES.staff)
    .input(z.object({ sessionId: id() }))
    .mutation(async ({ ctx, input }) => {
      const done = await inTx(ctx.db, { now: new Date() }, (c) => revokeSession(c.tx, c.now, input.sessionId, ctx.actor));
      if (!done) throw new TRPCError({ code: "NOT_FOUND", message: "会话不存在或已失效" });
      return { revoked: true };
    }),
});
