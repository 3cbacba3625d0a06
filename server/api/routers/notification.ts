// 消息中心: the engine writes notifications (payment, shipment, refund, settlement, withdrawal,
// tier); shoppers read them and mark them read. Only the session's own rows are ever touched.
import { z } from "zod";
import { id } from "@/server/validation";
import { createTRPCRouter, protectedProcedure } from "@/server/api/trpc";
import { appNow } from "@/server/clock/app-clock";

export const notificationRouter = createTRPCRouter({
  list: protectedProcedure
    .input(z.strictObject({ take: z.number().int().min(1).max(100).default(50) }).optional())
    .query(async ({ ctx, input }) => {
      const memberId = ctx.session.user.id;
      const [items, unread] = await Promise.all([
        ctx.db.notification.findMany({ where: { memberId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: input?.take ?? 50 }),
        ctx.db.notification.count({ where: { memberId, readAt: null } }),
      ]);
      return {
        unread,
        // The key and parameters let the list word it in the reader's language; title/body stay for rows without a key.
        items: items.map((n) => ({ id: n.id, kind: n.kind, title: n.title, body: n.body, key: n.key, params: n.params, read: n.readAt !== null, createdAt: n.createdAt })),
      };
    }),

  unreadCount: protectedProcedure.query(({ ctx }) => ctx.db.notification.count({ where: { memberId: ctx.session.user.id, readAt: null } })),

  /** Marks the given notifications (or all, without ids) as read; ids of other members are ignored. */
  markRead: protectedProcedure
    .input(z.strictObject({ ids: z.array(id()).max(200).optional() }))
    .mutation(async ({ ctx, input }) => {
      const memberId = ctx.session.user.id;
      const { count } = await ctx.db.notification.updateMany({
        where: { memberId, readAt: null, ...(input.ids ? { id: { in: input.ids } } : {}) },
        data: { readAt: appNow() },
      });
      return { marked: count };
    }),
});
