// The 推三返一 offer as shoppers read it states what the engine pays (SPEC §5): the cap, a share below 100 %,
// store credit instead of cash and the minimum order, in both languages; the default campaign reads as before.
import { describe, expect, it } from "vitest";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { landingHeadline, landingOfferText, posterOfferText, promoteOfferText, rebateOfferParts } from "@/lib/i18n/labels";
import { rebateOfferText } from "@/server/promotion/view";
import { ogText } from "@/app/api/og/r/[code]/og-text";
import { parseConfig } from "@/server/config/schema";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
const defaults = parseConfig({}).rebate; // n 3, 30 days, 100 %, no cap, no minimum, cash
const cappedCredit = { ...defaults, capFen: 5000, payout: "credit" as const };

describe("推三返一 offer text", () => {
  it("a capped campaign paid in store credit says the cap and 购物金 / store credit, not a full cash refund", () => {
    expect(promoteOfferText(zh, cappedCredit)).toBe("下单后 30 天内邀请 3 位新好友完成首单，本单最高返 ¥50.00，以购物金发放");
    expect(promoteOfferText(en, cappedCredit)).toBe(
      "After you order, invite 3 new friends to complete their first order within 30 days and get up to ¥50.00 back on this order, paid as store credit",
    );
    expect(landingOfferText(zh, cappedCredit)).toBe("推三返一：下单后 30 天内邀请 3 位好友完成首单，你的订单最高返 ¥50.00，以购物金发放。");
    expect(landingHeadline(zh, cappedCredit)).toBe("邀请 3 人，本单最高返 ¥50.00");
    expect(landingHeadline(en, cappedCredit)).toBe("Invite 3, get up to ¥50.00 back on this order");
    expect(posterOfferText(zh, cappedCredit)).toBe("30 天内邀 3 位好友首单，本单最高返 ¥50.00，以购物金发放");
    expect(zh("product.rebateOffer", rebateOfferParts(zh, cappedCredit))).toBe("买下它，30 天内邀请 3 位好友首单，本单最高返 ¥50.00，以购物金发放");
    expect(rebateOfferText(cappedCredit)).toBe(promoteOfferText(zh, cappedCredit));
    // The share link's preview picture too (app/api/og/r/[code]); the default campaign's reads as before.
    expect(ogText("zh-CN", "小满优选", { inviter: "李**", rebate: cappedCredit }).offer).toBe("邀请 3 位好友首单，订单最高返 ¥50.00，以购物金发放");
    expect(ogText("zh-CN", "小满优选", { inviter: "李**", rebate: defaults }).offer).toBe("邀请 3 位好友首单，订单全额返现");
    expect(zh("landing.step3Credit")).not.toContain("返现");
    for (const text of [promoteOfferText(zh, cappedCredit), landingOfferText(zh, cappedCredit), posterOfferText(zh, cappedCredit), landingHeadline(zh, cappedCredit)]) expect(text).not.toContain("全额返现");
  });

  it("a share below 100 % with a cap, and a minimum order", () => {
    const r = { ...defaults, percent: 50, capFen: 2000, minAnchorFen: 9900 };
    expect(promoteOfferText(zh, r)).toBe("下单后 30 天内邀请 3 位新好友完成首单，本单返还 50%，最高返 ¥20.00（限满 ¥99.00 的订单）");
    expect(landingOfferText(en, r)).toBe(
      "Refer 3, get it back: after you order, invite 3 friends to complete their first order within 30 days and get 50% back (up to ¥20.00) on your order (orders from ¥99.00).",
    );
  });

  it("an uncapped full refund in store credit is 全额返还, not 返现", () => {
    const r = { ...defaults, payout: "credit" as const };
    expect(promoteOfferText(zh, r)).toBe("下单后 30 天内邀请 3 位新好友完成首单，本单全额返还，以购物金发放");
    expect(landingHeadline(zh, r)).toBe("邀请 3 人，本单全额返还");
    expect(en("product.rebateOffer", rebateOfferParts(en, r))).toBe("Buy it, invite 3 friends to their first order within 30 days, and get the full amount back on this order, paid as store credit");
  });

  it("the default campaign reads as before", () => {
    expect(promoteOfferText(zh, defaults)).toBe("下单后 30 天内邀请 3 位新好友完成首单，本单全额返现");
    expect(landingOfferText(zh, defaults)).toBe("推三返一：下单后 30 天内邀请 3 位好友完成首单，你的订单全额返现。");
    expect(landingHeadline(zh, defaults)).toBe("邀请 3 人，本单全额返现");
    expect(landingHeadline(zh, { ...defaults, percent: 40 })).toBe("邀请好友，返还 40%");
    expect(promoteOfferText(en, defaults)).toBe("After you order, invite 3 new friends to complete their first order within 30 days and get a full cashback on this order");
    expect(rebateOfferText(defaults)).toBe("下单后 30 天内邀请 3 位新好友完成首单，本单全额返现");
  });
});
