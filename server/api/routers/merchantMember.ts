import { z } from "zod";
import { id, text } from "@/server/validation";
import { TRPCError } from "@trpc/server";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { inTx, loadConfig } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { downlineChildren, downlineLevel, listMembers, memberDetail, memberFilterSchema, REVEAL_FIELDS, revealMemberField, setMemberFrozen } from "@/server/members/admin";
import { bindHistory, decideSponsorChange, listSponsorChanges, previewSponsorChange, requestSponsorChange, withdrawSponsorChange } from "@/server/members/sponsor-change";
import { setDistributorEnabled } from "@/server/distribution";
import { AREA_ROLES } from "@/server/staff/roles";

const memberId = id();
const reason = text(200).trim().min(2, "请填写原因（2-200 字）");
/** The new sponsor as staff type it: a referral code or a member id ("#12"). */
const sponsorRef = text(16).trim().min(1, "请输入新推荐人的邀请码或会员编号");

/** Back office (operator; support read-only): members and distributors. */
export const merchantMemberRouter = createTRPCRouter({
  list: staffProcedure(...AREA_ROLES.membersRead)
    .input(
      memberFilterSchema.extend({
        page: z.number().int().min(1).max(100_000).default(1),
        pageSize: z.union([z.literal(20), z.literal(50), z.literal(100)]).default(20),
        sort: z.object({ id: z.enum(["createdAt", "teamSize", "id", "lastActiveAt"]), desc: z.boolean() }).nullish(),
      }),
    )
    .query(async ({ ctx, input }) => listMembers(ctx.db, await loadConfig(ctx.db), input, input)),
  detail: staffProcedure(...AREA_ROLES.membersRead)
    .input(z.object({ id: memberId }))
    .query(async ({ ctx, input }) => {
      const d = await memberDetail(ctx.db, await loadConfig(ctx.db), input.id, ctx.staff.role);
      if (!d) throw new TRPCError({ code: "NOT_FOUND", message: "会员不存在" });
      return d;
    }),
  downline: staffProcedure(...AREA_ROLES.membersRead)
    // `cursor`: the last id of the previous page (tRPC infinite-query convention).
    .input(z.object({ id: memberId, depth: z.number().int().min(1).max(1000), cursor: id().nullish() }))
    .query(({ ctx, input }) => downlineLevel(ctx.db, input.id, input.depth, input.cursor ?? null)),
  /** The tree view: one node's direct downline, paged (fetched when the node is expanded). */
  children: staffProcedure(...AREA_ROLES.membersRead)
    .input(z.object({ id: memberId, cursor: id().nullish() }))
    .query(({ ctx, input }) => downlineChildren(ctx.db, input.id, input.cursor ?? null)),
  /** A risk review's freeze is lifted only by a role that reviews risk (server/members/admin). */
  setFrozen: staffProcedure(...AREA_ROLES.membersWrite)
    .input(z.object({ id: memberId, frozen: z.boolean(), reason }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => setMemberFrozen(c, input.id, input.frozen, input.reason, ctx.actor, ctx.staff.role))),
  setDistributor: staffProcedure(...AREA_ROLES.membersWrite)
    .input(z.object({ id: memberId, enabled: z.boolean(), reason }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => setDistributorEnabled(c, input.id, input.enabled, input.reason, ctx.actor))),
  /** Owner only: one personal field in clear, with a reason, audited. */
  reveal: staffProcedure()
    .input(z.object({ id: memberId, field: z.enum(REVEAL_FIELDS), reason }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => revealMemberField(c, input.id, input.field, input.reason, ctx.actor))),
  sponsorPreview: staffProcedure(...AREA_ROLES.membersWrite)
    .input(z.object({ id: memberId, to: sponsorRef }))
    .query(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => previewSponsorChange(c, input.id, input.to))),
  requestSponsorChange: staffProcedure(...AREA_ROLES.membersWrite)
    .input(z.object({ id: memberId, to: sponsorRef, reason }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => requestSponsorChange(c, { memberId: input.id, to: input.to, reason: input.reason }, ctx.actor))),
  /** Owner only, and never the requester (server/members/sponsor-change). */
  decideSponsorChange: staffProcedure()
    .input(z.object({ requestId: id(), approve: z.boolean(), note: text(200).trim().nullish() }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => decideSponsorChange(c, input.requestId, input.approve, input.note ?? null, ctx.actor))),
  /** The requester only, while PENDING (server/members/sponsor-change). */
  withdrawSponsorChange: staffProcedure(...AREA_ROLES.membersWrite)
    .input(z.object({ requestId: id(), note: text(200).trim().nullish() }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => withdrawSponsorChange(c, input.requestId, input.note ?? null, ctx.actor))),
  /** A member's requests, or (no id) the shop's open ones, with the move's progress. */
  sponsorChanges: staffProcedure(...AREA_ROLES.membersRead)
    .input(z.object({ memberId: memberId.optional() }))
    .query(({ ctx, input }) => listSponsorChanges(ctx.db, input.memberId ? { memberId: input.memberId } : { open: true })),
  bindHistory: staffProcedure(...AREA_ROLES.membersRead)
    .input(z.object({ id: memberId }))
    .query(({ ctx, input }) => bindHistory(ctx.db, input.id)),
});
