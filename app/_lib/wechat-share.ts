// What a shared link shows in WeChat chats and Moments (WeChat ignores Open Graph tags: the page hands
// these to the JS-SDK's updateAppMessageShareData / updateTimelineShareData). Pure, so each page's
// share data is unit-tested (tests/wechat-share.test.ts).
import type { Locale, Translator } from "@/lib/i18n/core";
import { landingOfferText } from "@/lib/i18n/labels";
import { formatFen } from "@/components/money";
import { publicNameOf } from "@/server/members/profile";

export interface WechatShareData {
  title: string;
  desc: string;
  /** Absolute, on the shop's domain (WeChat refuses links outside the JS 安全域名). */
  link: string;
  /** Absolute picture URL. */
  imgUrl: string;
}

type Rebate = Parameters<typeof landingOfferText>[1];

const absolute = (pathOrUrl: string, origin: string) => new URL(pathOrUrl, origin).toString();

/**
 * The landing's Open Graph picture. It draws the shop's name: `shopVersion` (when 店铺资料 was last saved) makes a
 * renamed shop's picture a new URL, which WeChat and link previews fetch afresh instead of keeping the old one.
 */
export function landingImageUrl(origin: string, code: string, shopVersion: number | null = null, locale: Locale = "zh-CN"): string {
  // The picture is fetched without cookies: an English page names the English picture (lang=en), Chinese stays the plain address.
  const query = new URLSearchParams();
  if (shopVersion !== null) query.set("v", String(shopVersion));
  if (locale === "en") query.set("lang", "en");
  const qs = query.toString();
  return `${origin}/api/og/r/${code}${qs ? `?${qs}` : ""}`;
}

/** A share link /r/{code}: the inviter's offer in the shop's name (`shop`, app/_lib/shop.ts), with the landing's Open Graph picture. */
export function landingShareData(t: Translator, shop: string, invite: { code: string; inviter: string; rebate: Rebate }, origin: string, shopVersion: number | null = null): WechatShareData {
  return {
    title: t("landing.title", { inviter: invite.inviter, shop }),
    desc: landingOfferText(t, invite.rebate),
    link: `${origin}/r/${invite.code}`,
    imgUrl: landingImageUrl(origin, invite.code, shopVersion, t.locale),
  };
}

/** The promote page shares the shopper's own link, so whoever opens it is bound to them. */
export function promotionShareData(t: Translator, shop: string, me: { id: number; referralCode: string; nickname: string | null }, rebate: Rebate, origin: string, shopVersion: number | null = null): WechatShareData {
  return landingShareData(t, shop, { code: me.referralCode, inviter: publicNameOf(me), rebate }, origin, shopVersion);
}

/** A product: its name, its description (else its price in the shop's name), its first picture (else the shop's icon). */
export function productShareData(t: Translator, shop: string, product: { id: number; name: string; description: string | null; images: string[]; priceFen: number }, origin: string): WechatShareData {
  return {
    title: product.name,
    desc: product.description?.trim().slice(0, 120) || t("share.productDesc", { price: formatFen(product.priceFen), shop }),
    link: `${origin}/product/${product.id}`,
    imgUrl: absolute(product.images[0] ?? "/icon.svg", origin),
  };
}
