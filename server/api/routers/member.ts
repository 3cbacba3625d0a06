import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "@/server/api/trpc";
import { loadConfig } from "@/server/context";
import { downlineByDepth } from "@/server/referral";
import { signOutEverywhere } from "@/server/auth/session";
import { inTx } from "@/server/context";
import { text } from "@/server/validation";
import { avatarOf, displayNameOf, publicNameOf } from "@/server/members/profile";
import { saveAvatar, saveDisplayName } from "@/server/members/profile-actions";
import { walletNumbers } from "@/server/wallet/ledger";

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
      wallet: walletNumbers(wallet),
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
});
