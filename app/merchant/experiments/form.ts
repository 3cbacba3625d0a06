// The form that starts an A/B experiment: what the merchant types, checked before anything is sent, each
// refusal in the page's language (the server checks B's settings against the red lines again).
import { z } from "@/lib/zod-client";
import type { Translator } from "@/lib/i18n/core";
import { yuanInputToFen } from "@/app/wallet/amount";
import type { VerdictKind } from "@/server/experiments";
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

/** The reason's limit, as the end request's input (server/api/routers/merchantExperiments.ts text(200)). */
export const MAX_END_REASON_CHARS = 200;

/** The form that ends an experiment: a reason is required (the server refuses an empty one too, EXPERIMENT_END_REFUSED). */
export function endExperimentForm(t: Translator) {
  return z.object({
    winner: z.enum(["A", "B"]),
    reason: z.string().trim().min(1, t("exp.err.reasonRequired")).max(MAX_END_REASON_CHARS, t("exp.err.reasonMax", { max: MAX_END_REASON_CHARS })),
  });
}
export type EndExperimentValues = z.infer<ReturnType<typeof endExperimentForm>>;

/**
 * Why adopting B needs a second look, from the verdict: null when it favours B; otherwise the warning the
 * confirmation shows (not enough data or no difference yet, A doing better, or each group better at something).
 */
export function adoptBWarning(verdictKind: VerdictKind): "exp.confirm.inconclusive" | "exp.confirm.favoursA" | "exp.confirm.mixed" | null {
  if (verdictKind === "b_better") return null;
  if (verdictKind === "a_better") return "exp.confirm.favoursA";
  return verdictKind === "mixed" ? "exp.confirm.mixed" : "exp.confirm.inconclusive";
}
