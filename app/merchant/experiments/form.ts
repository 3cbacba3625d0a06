// The form that starts an A/B experiment: what the merchant types, checked before anything is sent, each
// refusal in the page's language (the server checks B's settings against the red lines again).
import { z } from "@/lib/zod-client";
import type { Translator } from "@/lib/i18n/core";
import { yuanInputToFen } from "@/app/wallet/amount";
import { MAX_HYPOTHESIS_CHARS, MAX_NAME_CHARS, MAX_VARIANT_PERCENT, MIN_VARIANT_PERCENT } from "@/server/experiments/limits";

export function experimentForm(t: Translator) {
  const share = t("exp.err.share", { min: MIN_VARIANT_PERCENT, max: MAX_VARIANT_PERCENT });
  const whole = () => z.number({ error: t("m.issue.whole") }).int(t("m.issue.whole"));
  const yuan = z.string().trim();
  return z.object({
    name: z.string().trim().min(1, t("exp.err.nameRequired")).max(MAX_NAME_CHARS, t("exp.err.nameMax", { max: MAX_NAME_CHARS })),
    hypothesis: z.string().trim().max(MAX_HYPOTHESIS_CHARS, t("exp.err.hypothesisMax", { max: MAX_HYPOTHESIS_CHARS })),
    variantPercent: z.number({ error: share }).int(share).min(MIN_VARIANT_PERCENT, share).max(MAX_VARIANT_PERCENT, share),
    n: whole(),
    percent: whole(),
    windowDays: whole(),
    cap: yuan.refine((s) => s === "" || yuanInputToFen(s) !== null, t("m.issue.amount")),
    minAnchor: yuan.refine((s) => yuanInputToFen(s) !== null, t("m.issue.amount")),
    payout: z.enum(["cash", "credit"]),
  });
}
export type ExperimentFormValues = z.infer<ReturnType<typeof experimentForm>>;
