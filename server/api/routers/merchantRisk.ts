import { z } from "zod";
import { id, text } from "@/server/validation";
import { TRPCError } from "@trpc/server";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { inTx } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { frozenMembersFilterSchema, frozenMembersPage, refusedBindingsFilterSchema, refusedBindingsPage, riskCase, riskQueueFilterSchema, riskQueuePage } from "@/server/risk/view";
import { reviewMember } from "@/server/risk/review";
import { REVIEW_NOTE_MAX } from "@/server/risk/review-note";
import { setMemberFrozen } from "@/server/members/admin";
import { AREA_ROLES } from "@/server/staff/roles";

const reason = text(200).trim().min(2, "请填写原因（2-200 字）");

/** Back office (risk): review queue, a member's case, one decision for all open flags (SPEC §8). */
export const merchantRiskRouter = createTRPCRouter({
  queue: staffProcedure(...AREA_ROLES.risk)
    .input(riskQueueFilterSchema.default({}))
    .query(({ ctx, input }) => riskQueuePage(ctx.db, input)),
  /** Frozen members, found again after their flags are decided: the case page lifts the freeze (RISK_FREEZE_REVIEWER_ONLY). */
  frozen: staffProcedure(...AREA_ROLES.risk)
    .input(frozenMembersFilterSchema.default({}))
    .query(({ ctx, input }) => frozenMembersPage(ctx.db, input)),
  /** Sign-ups whose binding was refused (self-referral, a sponsor's device): they flag nobody, so the queue never lists them. */
  refusedBindings: staffProcedure(...AREA_ROLES.risk)
    .input(refusedBindingsFilterSchema.default({}))
    .query(({ ctx, input }) => refusedBindingsPage(ctx.db, input)),
  case: staffProcedure(...AREA_ROLES.risk)
    .input(z.object({ memberId: id() }))
    .query(async ({ ctx, input }) => {
      const c = await riskCase(ctx.db, input.memberId);
      if (!c) throw new TRPCError({ code: "NOT_FOUND", message: "会员不存在" });
      return c;
    }),
  review: staffProcedure(...AREA_ROLES.risk)
    .input(z.object({ memberId: id(), decision: z.enum(["approve", "reject"]), note: text(REVIEW_NOTE_MAX).trim().optional() }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => reviewMember(c, input.memberId, input.decision, ctx.actor, input.note ?? null))),
  /** From the case page: the risk role cannot reach /merchant/members, yet only a role that reviews risk lifts the review's freeze. */
  setMemberFrozen: staffProcedure(...AREA_ROLES.risk)
    .input(z.object({ memberId: id(), frozen: z.boolean(), reason }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => setMemberFrozen(c, input.memberId, input.frozen, input.reason, ctx.actor, ctx.staff.role))),
});
