import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "@/server/api/trpc";
import { loadConfig } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { rebateFor } from "@/server/experiments";
import { downlineByDepth } from "@/server/referral";
import { signOutEverywhere } from "@/server/auth/session";
import { inTx } from "@/server/context";
import { text } from "@/server/validation";
import { avatarOf, displayNameOf, publicNameOf } from "@/server/members/profile";
import { saveAvatar, saveDisplayName } from "@/server/members/profile-actions";

export const memberRouter = createTRPCRouter({
  /** 退出所有设备: every session of this member (this one too) is refused from the next request on. */
  signOutEverywhere: protectedProcedure.mutation(({ ctx }) => signOutEverywhere(ctx.db, ctx.session.user.id)),

  /** Profile, tier and wallet for the 我的 page. */
  me: protectedProcedure.query(async ({ ctx }) => {
    const id = ctx.session.user.id;
    const member = await ctx.db.member.findUnique({
      where: { id },
      select: {
        id: true, nickname: true, avatarUrl: true, phoneMasked: true, referralCode: true, tier: true, frozen: true, bindingRefusal: true,
        createdAt: true, qualifiedDirects: true, teamSize: true, sponsor: { select: { id: true, nickname: true, avatarUrl: true } },
      },
    });
    if (!member) throw new TRPCError({ code: "UNAUTHORIZED", message: "请重新登录" });
    const [wallet, config, unread, orderCounts, firstLevel] = await Promise.all([
      ctx.db.wallet.findUnique({ where: { memberId: id } }),
      loadConfig(ctx.db),
      ctx.db.notification.count({ where: { memberId: id, readAt: null } }),
      ctx.db.order.groupBy({ by: ["status"], where: { memberId: id }, _count: { _all: true } }),
      downlineByDepth({ tx: ctx.db }, id, 1),
    ]);
    const tierLabel = config.tiers.find((t) => t.name === member.tier)?.label ?? member.tier;
    const { sponsor, avatarUrl: _avatarUrl, ...own } = member;
    return {
      ...own,
      displayName: displayNameOf(member),
      avatar: avatarOf(member),
      /** The inviter as every page shows them: masked display name and avatar. */
      sponsor: sponsor ? { name: publicNameOf(sponsor), avatar: avatarOf(sponsor) } : null,
      tierLabel,
      /** 直推: every direct invitee, the figure 推广 → 我的团队 shows under that name (qualifiedDirects is 有效直推). */
      directs: firstLevel.find((d) => d.depth === 1)?.count ?? 0,
      unreadNotifications: unread,
      wallet: {
        pending: wallet?.pending ?? 0,
        available: wallet?.available ?? 0,
        withdrawing: wallet?.withdrawing ?? 0,
        withdrawn: wallet?.withdrawn ?? 0,
        credit: wallet?.credit ?? 0,
      },
      orderCounts: Object.fromEntries(orderCounts.map((o) => [o.status, o._count._all])) as Record<string, number>,
    };
  }),

  /** 我的 → 编辑资料: the display name (others see it masked). */
  updateProfile: protectedProcedure
    .input(z.strictObject({ displayName: text(40) }))
    .mutation(({ ctx, input }) => inTx(ctx.db, {}, (c) => saveDisplayName(c, ctx.session.user.id, input.displayName))),

  /** 我的 → 编辑资料: the avatar, from the member's own upload (/api/uploads), or null for the generated one. */
  updateAvatar: protectedProcedure
    .input(z.strictObject({ url: text(300).nullable() }))
    .mutation(({ ctx, input }) => inTx(ctx.db, {}, (c) => saveAvatar(c, ctx.session.user.id, input.url))),

  /** Share link, team counts and 推三返一 tasks for the 推广 page. */
  promote: protectedProcedure.query(async ({ ctx }) => {
    const id = ctx.session.user.id;
    const [member, config, byDepth, tasks, commissionSum] = await Promise.all([
      ctx.db.member.findUniqueOrThrow({ where: { id }, select: { referralCode: true, qualifiedDirects: true, teamSize: true } }),
      loadConfig(ctx.db),
      downlineByDepth({ tx: ctx.db }, id, 3),
      ctx.db.rebateTask.findMany({
        where: { memberId: id },
        orderBy: { createdAt: "desc" },
        take: 20,
        include: { assignments: { where: { removedAt: null }, select: { inviteeId: true, assignedAt: true } } },
      }),
      ctx.db.commission.groupBy({ by: ["status"], where: { beneficiaryId: id }, _sum: { amountFen: true } }),
    ]);
    // The shopper's own offer: their experiment variant's, as their next order's task follows.
    const rebate = await rebateFor(ctx.db, config, id, appNow());
    const inviteeIds = [...new Set(tasks.flatMap((t) => t.assignments.map((a) => a.inviteeId)))];
    const invitees = new Map(
      (await ctx.db.member.findMany({ where: { id: { in: inviteeIds } }, select: { id: true, nickname: true } })).map((m) => [m.id, publicNameOf(m)]),
    );
    return {
      referralCode: member.referralCode,
      qualifiedDirects: member.qualifiedDirects,
      teamSize: member.teamSize,
      byDepth,
      rebate: { enabled: rebate.enabled, n: rebate.n, percent: rebate.percent, windowDays: rebate.windowDays },
      commission: { enabled: config.commission.enabled, ratesBps: config.commission.ratesBps },
      commissionByStatus: Object.fromEntries(commissionSum.map((c) => [c.status, c._sum.amountFen ?? 0])) as Record<string, number>,
      tasks: tasks.map((t) => ({
        id: t.id,
        status: t.status,
        n: t.n,
        cashbackFen: t.cashbackFen,
        deadline: t.deadline,
        createdAt: t.createdAt,
        endReason: t.endReason,
        invitees: t.assignments.map((a) => ({ nickname: invitees.get(a.inviteeId) ?? "好友", assignedAt: a.assignedAt })),
      })),
    };
  }),
});
