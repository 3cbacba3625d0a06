import { z } from "zod";
import { TRPCError } from "@trpc/server";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { inTx, loadConfig } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { downlineLevel, listMembers, memberDetail, setMemberFrozen } from "@/server/members/admin";
import { AREA_ROLES } from "@/server/staff/roles";

/** The member list's filters, shared by the list and the CSV export (app/merchant/members/export). */
export const memberFilterSchema = z.object({
  q: z.string().trim().max(64).optional(),
  tier: z.string().trim().max(32).optional(),
  distributor: z.enum(["yes", "no"]).optional(),
  frozen: z.enum(["yes", "no"]).optional(),
});

const memberId = z.number().int().positive();

/** Back office (operator; support read-only): members and distributors. */
export const merchantMemberRouter = createTRPCRouter({
  list: staffProcedure(...AREA_ROLES.membersRead)
    .input(
      memberFilterSchema.extend({
        page: z.number().int().min(1).max(100_000).default(1),
        pageSize: z.union([z.literal(20), z.literal(50), z.literal(100)]).default(20),
        sort: z.object({ id: z.enum(["createdAt", "teamSize", "id"]), desc: z.boolean() }).nullish(),
      }),
    )
    .query(async ({ ctx, input }) => listMembers(ctx.db, await loadConfig(ctx.db), input, input)),
  detail: staffProcedure(...AREA_ROLES.membersRead)
    .input(z.object({ id: memberId }))
    .query(async ({ ctx, input }) => {
      const d = await memberDetail(ctx.db, await loadConfig(ctx.db), input.id);
      if (!d) throw new TRPCError({ code: "NOT_FOUND", message: "会员不存在" });
      return d;
    }),
  downline: staffProcedure(...AREA_ROLES.membersRead)
    // `cursor`: the last id of the previous page (tRPC infinite-query convention).
    .input(z.object({ id: memberId, depth: z.number().int().min(1).max(1000), cursor: z.number().int().positive().nullish() }))
    .query(({ ctx, input }) => downlineLevel(ctx.db, input.id, input.depth, input.cursor ?? null)),
  setFrozen: staffProcedure(...AREA_ROLES.membersWrite)
    .input(z.object({ id: memberId, frozen: z.boolean(), reason: z.string().trim().min(2, "请填写原因（2-200 字）").max(200) }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => setMemberFrozen(c, input.id, input.frozen, input.reason, ctx.actor))),
});
