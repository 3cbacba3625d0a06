// Words for the promotion centre's 会员等级 card, the matrix note and the deep-level lock, from server/promotion's
// views: the server decides the tier, the counts and what is missing; these only word them.
import { formatBps, formatFenGrouped } from "@/components/money";
import type { Translator } from "@/lib/i18n/core";
import { tierLabel } from "@/lib/i18n/labels";
import type { CommissionRateOffer } from "@/server/promotion/rates";
import type { TierBenefitsView, TierProgressView } from "@/server/promotion/tier-progress";

/** One phrase per benefit the tier carries (none: "暂无额外权益"). */
export function tierBenefitTexts(t: Translator, b: TierBenefitsView): string[] {
  const out = [
    b.discountBps > 0 ? t("promote.tier.benefit.discount", { rate: formatBps(b.discountBps) }) : "",
    b.commissionBonusBps > 0 ? t("promote.tier.benefit.commissionBonus", { rate: formatBps(b.commissionBonusBps) }) : "",
    b.priorityShipping ? t("promote.tier.benefit.priorityShipping") : "",
    b.teamBonusBps > 0 ? t("promote.tier.benefit.teamBonus", { rate: formatBps(b.teamBonusBps) }) : "",
  ].filter(Boolean);
  return out.length ? out : [t("promote.tier.benefit.none")];
}

/** The next tier's line: what is still missing, or that it is reached and waits for the review, or the highest tier. */
export function tierNextText(t: Translator, p: TierProgressView): string {
  if (!p.next) return t("promote.tier.highest");
  const label = tierLabel(t, p.next.name, p.next.label);
  if (p.next.reached) return t("promote.tier.reached", { label });
  const m = p.next.missing;
  const needs = [
    m.directs > 0 ? t("promote.tier.need.directs", { n: m.directs }) : "",
    m.team > 0 ? t("promote.tier.need.team", { n: m.team }) : "",
    m.gmv90Fen > 0 ? t("promote.tier.need.gmv", { amount: formatFenGrouped(m.gmv90Fen) }) : "",
  ].filter(Boolean);
  return t("promote.tier.next", { needs: needs.join(t("promote.tier.needJoin")), label });
}

/** The member's counters as the tier engine reads them. */
export function tierMetricsText(t: Translator, p: TierProgressView): string {
  return t("promote.tier.metrics", { directs: p.metrics.directs, team: p.metrics.team, gmv: formatFenGrouped(p.metrics.gmv90) });
}

/** The matrix card's note: spillover earns only under the matrix commission tree (SPEC §3, §4). */
/** The matrix card's title: 三三 / 3×3 only at width 3 (SPEC §3 matrix.width, 2–10), else "<w> 宽矩阵". */
export function matrixTitle(t: Translator, width: number): string {
  return width === 3 ? t("promote.matrix.title") : t("promote.matrix.titleWidth", { width });
}

export function matrixDescription(t: Translator, info: { width: number; commissionsFollow: "sponsor" | "matrix" | null }): string {
  const key = info.commissionsFollow === "matrix" ? "promote.matrix.description" : info.commissionsFollow === "sponsor" ? "promote.matrix.descriptionSponsor" : "promote.matrix.descriptionOff";
  return t(key, { width: info.width });
}

/** "还差 X 位…" while levels 2 (and 3) are locked; "" otherwise. */
export function deepLockedMissingText(t: Translator, offer: CommissionRateOffer): string {
  if (offer.deepLevelsMissingDirects === undefined) return "";
  return t.opt(`promote.commissions.deepLockedMissing.${offer.ratesBps.length}`, "", { missing: offer.deepLevelsMissingDirects });
}
