// 注销账号 (PIPL 第四十七条): the signed-in shopper deletes their own account. The rules are server/members/deletion.ts.
import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "@/server/api/trpc";
import { appNow } from "@/server/clock/app-clock";
import { clientIp } from "@/server/auth/request";
import { int4, text } from "@/server/validation";
import { confirmAccountDeletion, deletionPreview, sendDeletionCode } from "@/server/members/deletion";

// What the page showed: whole fen as the ledger keeps them (int4), never negative.
const fen = int4().min(0, "不能为负数");

export const accountRouter = createTRPCRouter({
  /** What the deletion page shows: the reasons it is refused now and what would be forfeited; the phone masked. */
  deletion: protectedProcedure.query(async ({ ctx }) => {
    const id = ctx.session.user.id;
    const [preview, member] = await Promise.all([
      deletionPreview({ tx: ctx.db }, id),
      ctx.db.member.findUniqueOrThrow({ where: { id }, select: { phoneMasked: true } }),
    ]);
    return { ...preview, phoneMasked: member.phoneMasked };
  }),

  /** Sends the confirmation code to the account's own phone (the sign-in code and its limits). */
  sendDeletionCode: protectedProcedure.mutation(({ ctx }) => sendDeletionCode(ctx.db, ctx.session.user.id, clientIp(ctx.headers))),

  /** Deletes the caller's own account: the code just sent, the forfeit totals the page showed and the tick accepting them. Every session ends. */
  delete: protectedProcedure
    .input(z.strictObject({ code: text(6), acceptForfeit: z.boolean(), shown: z.strictObject({ commissionFen: fen, cashbackFen: fen, creditFen: fen }) }))
    .mutation(({ ctx, input }) => confirmAccountDeletion(ctx.db, ctx.session.user.id, input, appNow(), clientIp(ctx.headers))),
});
