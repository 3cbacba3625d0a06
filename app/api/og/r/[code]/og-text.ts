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
  badge: string;
  offer: string;
  footer: string;
}

/** The headline (the inviter's, else the shop's), the campaign's badge and its own terms, and the footer. */
export function ogText(locale: Locale, brand: string, invite: { inviter: string; rebate: RebateOffer } | null): OgText {
  const t = locale === "en" ? createT("en", en) : createT("zh-CN", zhCN);
  const r = invite?.rebate;
  // A long name is already on the top row: the headline (76 px, two lines at most) then leaves it out.
  const headline = invite ? t("og.invites", { inviter: invite.inviter }) : Array.from(brand).length <= BRAND_IN_HEADLINE ? t("og.brandHeadline", { brand }) : t("og.genericHeadline");
  const offer = r?.enabled ? t("og.offer", rebateOfferParts(t, r)) : t("promote.offerDisabled");
  return { headline, badge: t("rebate.badge"), offer, footer: t("og.footer") };
}
