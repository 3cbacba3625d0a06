// What a shared link shows in WeChat chats and Moments (WeChat ignores Open Graph tags: the page hands
// these to the JS-SDK's updateAppMessageShareData / updateTimelineShareData). Pure, so each page's
// share data is unit-tested (tests/wechat-share.test.ts).
import { createHash } from "node:crypto";
import type { Locale, Translator } from "@/lib/i18n/core";
import { landingOfferText } from "@/lib/i18n/labels";
import type { RebateOffer } from "@/lib/i18n/rebate-offer";
import { defaultConfig } from "@/server/config/schema";
import { formatFen } from "@/components/money";
import { publicNameOf } from "@/server/members/profile";
import { markdownToPlainText } from "@/lib/markdown-text";
import { shareImageUrl } from "@/server/storage/urls";

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

/** Every term of the offer the picture draws (app/api/og/r/[code]/og-text.ts); the type makes a new term join the version. */
const OFFER_TERMS = { enabled: true, n: true, percent: true, windowDays: true, capFen: true, minAnchorFen: true, payout: true } satisfies Record<keyof RebateOffer, true>;

/** A short fingerprint of the offer's terms (SHA-256, 10 hex digits): the same terms give the same one in every process. */
function offerFingerprint(rebate: RebateOffer): string {
  const text = JSON.stringify((Object.keys(OFFER_TERMS) as (keyof RebateOffer)[]).map((k) => rebate[k]));
  return createHash("sha256").update(text).digest("hex").slice(0, 10);
}

const DEFAULT_OFFER = offerFingerprint(defaultConfig.rebate);

/** The version of the 推三返一 offer a picture draws; null for the default rules' offer, which the plain address has always drawn. */
export function offerVersion(rebate: RebateOffer): string | null {
  const fp = offerFingerprint(rebate);
  return fp === DEFAULT_OFFER ? null : fp;
}

/**
 * The landing's Open Graph picture. It draws the shop's name and the offer in force (`rebate`): `shopVersion` (when
 * 店铺资料 was last saved) and the offer's version make a renamed shop's or a changed or switched-off campaign's picture
 * a new URL (v=<shop>-<offer>), which WeChat and link previews fetch afresh instead of keeping the old one.
 */
export function landingImageUrl(origin: string, code: string, rebate: RebateOffer, shopVersion: number | null = null, locale: Locale = "zh-CN"): string {
  // The picture is fetched without cookies: an English page names the English picture (lang=en), Chinese stays the plain address.
  const query = new URLSearchParams();
  const offer = offerVersion(rebate);
  if (offer !== null) query.set("v", `${shopVersion ?? 0}-${offer}`);
  else if (shopVersion !== null) query.set("v", String(shopVersion));
  if (locale === "en") query.set("lang", "en");
  const qs = query.toString();
  return `${origin}/api/og/r/${code}${qs ? `?${qs}` : ""}`;
}

/** A product as its previews show it (server/catalog getProduct). */
export interface SharedProduct {
  id: number;
  name: string;
  description: string | null;
  images: string[];
  priceFen: number;
}

/** A product's one-line summary: its description as plain text (lib/markdown-text.ts), else its price in the shop's name. */
export function productSummary(t: Translator, shop: string, product: SharedProduct): string {
  return markdownToPlainText(product.description ?? "", 120) || t("share.productDesc", { price: formatFen(product.priceFen), shop });
}

/**
 * A share link /r/{code}: the inviter's offer in the shop's name (`shop`, app/_lib/shop.ts), with the landing's Open Graph
 * picture; a link that carries a product on sale (?product=ID) shows that product, its picture and who shares it, and keeps it.
 */
export function landingShareData(t: Translator, shop: string, invite: { code: string; inviter: string; rebate: Rebate }, origin: string, shopVersion: number | null = null, product: SharedProduct | null = null): WechatShareData {
  if (product) {
    return {
      title: product.name,
      desc: t("landing.productShareDesc", { inviter: invite.inviter, summary: productSummary(t, shop, product) }),
      link: `${origin}/r/${invite.code}?product=${product.id}`,
      imgUrl: product.images[0] ? absolute(shareImageUrl(product.images[0]), origin) : landingImageUrl(origin, invite.code, invite.rebate, shopVersion, t.locale),
    };
  }
  return {
    title: t("landing.title", { inviter: invite.inviter, shop }),
    desc: landingOfferText(t, invite.rebate),
    link: `${origin}/r/${invite.code}`,
    imgUrl: landingImageUrl(origin, invite.code, invite.rebate, shopVersion, t.locale),
  };
}

/** The promote page, and a share link a member forwards, share the shopper's own link, so whoever opens it is bound to them. */
export function promotionShareData(t: Translator, shop: string, me: { id: number; referralCode: string; nickname: string | null }, rebate: Rebate, origin: string, shopVersion: number | null = null, product: SharedProduct | null = null): WechatShareData {
  return landingShareData(t, shop, { code: me.referralCode, inviter: publicNameOf(me), rebate }, origin, shopVersion, product);
}

/**
 * A product: its name, its summary, its first picture (else the shop's icon). Forwarded by a member (`shareCode`, theirs),
 * the link is their share link carrying the product, as the page's own share sheet gives, so the friend is bound to them.
 */
export function productShareData(t: Translator, shop: string, product: SharedProduct, origin: string, shareCode: string | null = null): WechatShareData {
  return {
    title: product.name,
    desc: productSummary(t, shop, product),
    link: shareCode ? `${origin}/r/${shareCode}?product=${product.id}` : `${origin}/product/${product.id}`,
    imgUrl: absolute(product.images[0] ? shareImageUrl(product.images[0]) : "/icon.svg", origin),
  };
}
