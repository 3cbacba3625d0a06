import { z } from "zod";
import { text } from "@/server/validation";
import { TRPCError } from "@trpc/server";
import { createTRPCRouter, publicProcedure } from "@/server/api/trpc";
import { OtpError, sendSignInCode } from "@/server/auth/otp";
import { clientIp } from "@/server/auth/request";

export const authRouter = createTRPCRouter({
  /** Sends a sign-in code by SMS. Errors carry a Chinese message meant for the shopper. */
  sendCode: publicProcedure.input(z.object({ phone: text(32).min(1) })).mutation(async ({ ctx, input }) => {
    try {
      return await sendSignInCode(ctx.db, input.phone, clientIp(ctx.headers));
    } catch (err) {
      if (err instanceof OtpError) {
        throw new TRPCError({ code: err.code === "INVALID_PHONE" ? "BAD_REQUEST" : "TOO_MANY_REQUESTS", message: err.message, cause: err });
      }
      throw err;
    }
  }),
});
