// The words of a share link's preview picture, in the language of the page whose metadata named it: crawlers
// fetch the picture without cookies, so the language comes in its address (?lang=en); without one, Chinese.
import { createT, type Locale } from "@/lib/i18n/core";
import { zhCN } from "@/lib/i18n/messages/zh-CN";
import { en } from "@/lib/i18n/messages/en";
import { rebateOfferParts, type RebateOffer } from "@/lib/i18n/rebate-offer";

/** Up to this many characters the name also opens the headline ("小满优选 · 好物低价" fits two lines at 76 px). */
const BRAND_IN_HEADLINE = 12;

/** The picture's language: English only when its address asks for it (app/_lib/wechat-share landingImageUrl). */
export function ogLocale(url: string): Locale {
  return new URL(url).searchParams.get("lang") === "en" ? "en" : "zh-CN";
}

export interface OgText {
  headline: string;
  /** The campaign's badge (推三返一), only on an invitation while the campaign runs. */
  badge: string | null;
  offer: string;
  footer: string;
}

/**
 * The headline (the inviter's, else the shop's), then: an invitation while the campaign runs, the badge and the
 * campaign's own terms; an invitation while it is off, a plain welcome; no invitation (an unknown or frozen code),
 * the shop with a plain line. Nothing to claim and no earnings promised where there is no offer.
 */
export function ogText(locale: Locale, brand: string, invite: { inviter: string; rebate: RebateOffer } | null): OgText {
  const t = locale === "en" ? createT("en", en) : createT("zh-CN", zhCN);
  if (!invite) {
    // A long name is already on the top row: the headline (76 px, two lines at most) then leaves it out.
    const headline = Array.from(brand).length <= BRAND_IN_HEADLINE ? t("og.brandHeadline", { brand }) : t("og.genericHeadline");
    return { headline, badge: null, offer: t("og.shopLine"), footer: t("og.footerShop") };
  }
  const headline = t("og.invites", { inviter: invite.inviter });
  const r = invite.rebate;
  if (!r.enabled) return { headline, badge: null, offer: t("og.offerOff"), footer: t("og.footerShop") };
  return { headline, badge: t("rebate.badge"), offer: t("og.offer", rebateOfferParts(t, r)), footer: t("og.footer") };
}
