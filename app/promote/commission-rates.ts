// The one line under 佣金明细 saying what a friend's purchase earns (SPEC §4), worded from server/promotion/rates: maxima
// when categories differ, the matrix's layers rather than "好友的好友" (a matrix seat above need not be the inviter), and
// the qualified directs that unlock levels 2 and 3.
import { formatBps } from "@/components/money";
import type { Translator } from "@/lib/i18n/core";
import type { CommissionRateOffer } from "@/server/promotion/rates";

export function commissionRatesText(t: Translator, offer: CommissionRateOffer): string {
  const levels = offer.ratesBps.length;
  const [r1 = "", r2 = "", r3 = ""] = offer.ratesBps.map(formatBps);
  // Each rate "最高 15%" / "up to 15%" when categories differ; the template places it, so each language spaces it its way.
  const max = offer.byCategory ? t("promote.commissions.upTo") : "";
  const sentences = [
    levels > 0 ? t.opt(`promote.commissions.rates.${offer.tree}.${levels}`, "", { r1, r2, r3, max }) : "",
    offer.byCategory ? t("promote.commissions.byCategory") : "",
    offer.deepLevelsNeedDirects !== null ? t.opt(`promote.commissions.deepLocked.${levels}`, "", { n: offer.deepLevelsNeedDirects }) : "",
    t("promote.commissions.settleNote"),
  ].filter(Boolean);
  // Chinese sentences run on; English ones are spaced.
  return sentences.join(t.locale === "en" ? " " : "");
}
