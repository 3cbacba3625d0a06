// 推广中心: the signed-in shopper's referral code, 推三返一 tasks, team, link funnel and commissions.
// Every procedure reads the session's member only; statuses and labels come from server/promotion.
import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "@/server/api/trpc";
import { inTx, loadConfig } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { myCommissions, myFunnel, myRebateTasks, myTeam, promotionOverview } from "@/server/promotion";
import { distributorLeaderboard, myDistribution, setLeaderboardVisibility } from "@/server/promotion/distribution";
import { myTierProgress } from "@/server/promotion/tier-progress";
import { myInvitees } from "@/server/promotion/invitees";
import { id } from "@/server/validation";
import { INVITEE_ORDER_LABEL, depthLabel, taskPipelineStep } from "@/server/promotion/view";

export const promotionRouter = createTRPCRouter({
  /** Code, the shopper's own offer and the link funnel; nothing promised to a frozen member (server/promotion promotionOverview). */
  overview: protectedProcedure.query(async ({ ctx }) => promotionOverview(ctx.db, await loadConfig(ctx.db), ctx.session.user.id, appNow())),

  /** 推三返一 tasks with progress, masked invitees, status label, reason and countdown. */
  tasks: protectedProcedure.query(async ({ ctx }) => {
    const tasks = await myRebateTasks(ctx.db, ctx.session.user.id, appNow());
    return tasks.map((t) => ({
      ...t,
      step: taskPipelineStep(t.status),
      invitees: t.invitees.map((i) => ({ ...i, orderLabel: i.orderStatus ? INVITEE_ORDER_LABEL[i.orderStatus] : "" })),
    }));
  }),

  /** Downline by depth, the 3×3 matrix by level (1..10) and 会员等级 progress (server/promotion/tier-progress). */
  team: protectedProcedure.query(async ({ ctx }) => {
    const config = await loadConfig(ctx.db);
    const [team, tierProgress] = await Promise.all([myTeam(ctx.db, config, ctx.session.user.id), myTierProgress(ctx.db, config, ctx.session.user.id, appNow())]);
    return { ...team, byDepth: team.byDepth.map((d) => ({ ...d, label: depthLabel(d.depth) })), tierProgress };
  }),

  /** Visits → sign-ups → first orders of the member's share link. */
  funnel: protectedProcedure.query(({ ctx }) => myFunnel(ctx.db, ctx.session.user.id)),

  /** 分销资格 progress and this month's 阶梯奖励 progress (direct sales, reached and next bracket). */
  distribution: protectedProcedure.query(async ({ ctx }) => myDistribution(ctx.db, await loadConfig(ctx.db), ctx.session.user.id, appNow())),

  /** This month's distributors by direct sales: the top 10 masked (those who hid themselves left out), and the shopper's own rank. */
  leaderboard: protectedProcedure.query(async ({ ctx }) => distributorLeaderboard(ctx.db, await loadConfig(ctx.db), ctx.session.user.id, appNow())),

  /** 在排行榜中显示我: the shopper shows or hides themself on the leaderboard others see. */
  setLeaderboardVisibility: protectedProcedure
    .input(z.strictObject({ shown: z.boolean() }))
    .mutation(({ ctx, input }) => inTx(ctx.db, {}, (c) => setLeaderboardVisibility(c, ctx.session.user.id, input.shown))),

  /** 我邀请的好友: direct invitees only, masked, newest first, a page after `cursor` (the previous page's nextCursor); totals on the first page. */
  invitees: protectedProcedure
    .input(z.strictObject({ cursor: id().optional() }).optional())
    .query(({ ctx, input }) => myInvitees(ctx.db, ctx.session.user.id, { cursor: input?.cursor })),

  /** Commission entries with status label; the order and its masked buyer on level-1 entries only. */
  commissions: protectedProcedure
    .input(z.strictObject({ take: z.number().int().min(1).max(100).default(50) }).optional())
    .query(({ ctx, input }) => myCommissions(ctx.db, ctx.session.user.id, input?.take ?? 50)),
});
