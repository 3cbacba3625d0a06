// An experiment's verdict (verdictOf's kind and facts) in the viewer's language, for /merchant/experiments.
// Pure, shared by client and server: only types come from the domain module.
import type { Translator } from "@/lib/i18n/core";
import type { CostComparison, Verdict } from "./index";

/** |x| as a percentage with one decimal, without the sign or the % ("−0.12" → "12.0"). */
const pct = (x: number) => `${(Math.abs(x) * 100).toFixed(1)}`;

/** B's cost per new paying member in words, in the direction the figures show. */
export function costPhrase(t: Translator, cost: CostComparison): string {
  if (cost.direction === "same") return t("exp.v.cost.same");
  const lower = cost.direction === "lower";
  if (cost.change === null) return t(lower ? "exp.v.cost.lowerNoBase" : "exp.v.cost.higherNoBase");
  const amount = pct(cost.change);
  if (amount === "0.0") return t(lower ? "exp.v.cost.slightlyLower" : "exp.v.cost.slightlyHigher");
  return t(lower ? "exp.v.cost.lower" : "exp.v.cost.higher", { pct: amount });
}

/** The cost sentence with its standing: confirmed at 95%, or only a direction. */
function costClause(t: Translator, cost: CostComparison): string {
  const phrase = costPhrase(t, cost);
  if (cost.direction === "same") return phrase;
  if (cost.significant && cost.pValue !== null) return t("exp.v.cost.confirmed", { cost: phrase, p: cost.pValue.toFixed(3) });
  return t("exp.v.cost.directionOnly", { cost: phrase });
}

/** The plain-language verdict shown above an experiment's figures. */
export function verdictText(t: Translator, verdict: Verdict): string {
  if (verdict.kind === "not_enough_data") {
    const f = verdict.facts;
    return t("exp.v.notEnough", { min: f.minMembers, a: f.membersA, b: f.membersB });
  }
  const f = verdict.facts;
  const p = f.pValue.toFixed(3);
  const andCost = f.cost ? t("exp.v.andCost", { cost: costClause(t, f.cost) }) : "";
  // Significant by p but not by the interval shown: say why it still counts as no difference.
  const why = f.significant ? t("exp.v.pInterval", { p }) : t("exp.v.p", { p });
  const ratesDiffer = f.significant && !f.intervalContainsZero;
  if (verdict.kind === "no_difference") return t("exp.v.noDifference", { why, cost: andCost });
  // A winner on cost alone (verdictOf names one only when the cost difference is significant).
  if (!ratesDiffer && f.cost) return t("exp.v.costDecides", { why, cost: costClause(t, f.cost) });
  const rate = t(f.higher === "B" ? "exp.v.rateHigher" : "exp.v.rateLower", { points: f.differencePoints.toFixed(1), p });
  if (verdict.kind === "mixed" && f.cost) return t("exp.v.mixed", { rate, cost: costClause(t, f.cost) });
  return `${rate}${andCost}`;
}
