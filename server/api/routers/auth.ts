import { z } from "zod";
import { int4, text } from "@/server/validation";
import { TRPCError } from "@trpc/server";
import { createTRPCRouter, publicProcedure } from "@/server/api/trpc";
import { OtpError, sendSignInCode } from "@/server/auth/otp";
import { otpRefusalParams } from "@/server/auth/otp-refusal";
import { clientIp } from "@/server/auth/request";
import { requireCurrentConsent } from "@/server/legal/consent";
import { DomainError } from "@/server/context";

/** A send's refusals that are no rate limit: a bad number, the vendor refusing this one, the vendor down (503: retry later). */
const SEND_REFUSAL: Partial<Record<OtpError["code"], TRPCError["code"]>> = { INVALID_PHONE: "BAD_REQUEST", SMS_PHONE_REFUSED: "BAD_REQUEST", SMS_UNAVAILABLE: "SERVICE_UNAVAILABLE" };

export const authRouter = createTRPCRouter({
  /**
   * Sends a sign-in code by SMS, only once the shopper ticked their consent to the current 用户协议 and 隐私政策
   * (`consent`: the versions the page showed; left out, a 400 CONSENT_REQUIRED). Errors carry a Chinese message meant for the shopper.
   */
  sendCode: publicProcedure.input(z.object({ phone: text(32).min(1), consent: z.object({ terms: int4(), privacy: int4() }).nullish() })).mutation(async ({ ctx, input }) => {
    await requireCurrentConsent(ctx.db, input.consent);
    try {
      return await sendSignInCode(ctx.db, input.phone, clientIp(ctx.headers));
    } catch (err) {
      if (err instanceof OtpError) {
        // A DomainError cause: the error formatter passes its code (data.domainCode), so other languages can word it, and
        // a too-soon send's wait (data.domainParams.retryAfterSec), which the code button counts down (refusalWait).
        throw new TRPCError({ code: SEND_REFUSAL[err.code] ?? "TOO_MANY_REQUESTS", message: err.message, cause: new DomainError(err.code, err.message, undefined, otpRefusalParams(err)) });
      }
      throw err;
    }
  }),
});
