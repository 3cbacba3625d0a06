// How the 推三返一 offer is worded (SPEC §5), apart from lib/i18n/labels so the home page can state it without
// sending the browser every label's message keys.
import type { Translator } from "./core";
import { formatYuan } from "@/components/money";

export type RebateOffer = { enabled: boolean; n: number; percent: number; windowDays: number; capFen: number | null; minAnchorFen: number; payout: "cash" | "credit" };

/** "全额返现" / "返还 50%" / "最高返 ¥50.00" / "返还 50%，最高返 ¥50.00" and their English forms: what the engine pays (SPEC §5). */
export function rebateBack(t: Translator, r: Pick<RebateOffer, "percent" | "capFen" | "payout">): string {
  if (r.capFen !== null) return r.percent === 100 ? t("rebate.back.cap", { cap: formatYuan(r.capFen) }) : t("rebate.back.percentCap", { percent: r.percent, cap: formatYuan(r.capFen) });
  if (r.percent !== 100) return t("rebate.back.percent", { percent: r.percent });
  return r.payout === "credit" ? t("rebate.back.fullCredit") : t("rebate.back.full");
}

/** The offer's variables for every text that states it (home page, promotion centre, poster, landing, share card, product page). */
export function rebateOfferParts(t: Translator, r: RebateOffer): { days: number; n: number; back: string; terms: string } {
  const credit = r.payout === "credit" ? t("rebate.terms.credit") : "";
  const min = r.minAnchorFen > 0 ? t("rebate.terms.min", { min: formatYuan(r.minAnchorFen) }) : "";
  return { days: r.windowDays, n: r.n, back: rebateBack(t, r), terms: credit + min };
}

/** The site's description (previews of pages without their own): the landing's offer (labels.ts landingOfferText) while the campaign runs. */
export function siteDescription(t: Translator, r: RebateOffer): string {
  return r.enabled ? t("app.description", { offer: t("landing.offer", rebateOfferParts(t, r)) }) : t("app.descriptionOff");
}
