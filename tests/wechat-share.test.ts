// What each page hands WeChat's JS-SDK for its share card (WeChat ignores Open Graph tags).
import { describe, expect, it } from "vitest";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { landingShareData, productShareData, promotionShareData } from "../app/_lib/wechat-share";
import { parseConfig } from "../server/config/schema";
import { defaultDisplayName, maskDisplayName } from "../server/members/profile";
import { DEFAULT_SHOP_PROFILE, shopDisplayName } from "../server/shop/profile";

const t = createT("zh-CN", MESSAGES["zh-CN"]);
/** The shop's name before the owner sets one (店铺资料 defaults). */
const SHOP = shopDisplayName(DEFAULT_SHOP_PROFILE, "zh-CN");
const ORIGIN = "https://shop.example.com";
const rebate = parseConfig({}).rebate; // n 3, 30 days, 100 %

describe("WeChat share cards", () => {
  it("a share link shows the inviter's offer and the landing's picture", () => {
    expect(landingShareData(t, SHOP, { code: "ABC234", inviter: "王*长", rebate }, ORIGIN)).toEqual({
      title: "王*长 邀请你加入裂变商城",
      desc: "推三返一：下单后 30 天内邀请 3 位好友完成首单，你的订单全额返现。",
      link: "https://shop.example.com/r/ABC234",
      imgUrl: "https://shop.example.com/api/og/r/ABC234",
    });
  });

  it("the promote page shares the shopper's own link under their masked name, with the campaign's terms", () => {
    const half = { ...rebate, percent: 50, n: 2, windowDays: 7 };
    expect(promotionShareData(t, SHOP, { id: 5, referralCode: "XYZ789", nickname: "张三丰" }, half, ORIGIN)).toEqual({
      title: "张*丰 邀请你加入裂变商城",
      desc: "推三返一：下单后 7 天内邀请 2 位好友完成首单，你的订单返还 50%。",
      link: "https://shop.example.com/r/XYZ789",
      // Not the default offer: the picture's address names the offer's version (v=<shop, 0 for its defaults>-<offer>).
      imgUrl: expect.stringMatching(/^https:\/\/shop\.example\.com\/api\/og\/r\/XYZ789\?v=0-[0-9a-z]+$/),
    });
    // No display name: the member's generated default name, masked the same way (never a phone digit).
    expect(promotionShareData(t, SHOP, { id: 5, referralCode: "XYZ789", nickname: null }, rebate, ORIGIN).title).toBe(`${maskDisplayName(defaultDisplayName(5))} 邀请你加入裂变商城`);
    expect(promotionShareData(t, SHOP, { id: 5, referralCode: "XYZ789", nickname: null }, rebate, ORIGIN).title).toMatch(/^\p{Script=Han}\*\*\p{Script=Han} 邀请/u);
  });

  it("a product shows its name, description and first picture, made absolute; without a description its lowest price", () => {
    const p = { id: 7, name: "明前龙井 250g", description: "  西湖产区，明前头采。 ", images: ["/products/tea.jpg", "/products/tea-2.jpg"], priceFen: 12_800 };
    // A visitor (no share code of their own) forwards the product page itself.
    expect(productShareData(t, SHOP, p, ORIGIN)).toEqual({ title: "明前龙井 250g", desc: "西湖产区，明前头采。", link: "https://shop.example.com/product/7", imgUrl: "https://shop.example.com/products/tea.jpg" });
    expect(productShareData(t, SHOP, { ...p, description: null }, ORIGIN).desc).toBe("¥128.00 起，裂变商城好物推荐");
    expect(productShareData(t, SHOP, { ...p, images: ["https://cdn.example.com/a.png"] }, ORIGIN).imgUrl).toBe("https://cdn.example.com/a.png");
  });

  it("a member forwarding a product from WeChat's menu shares their own link with the product, as the page's share sheet does", () => {
    const p = { id: 7, name: "明前龙井 250g", description: "西湖产区", images: ["/products/tea.jpg"], priceFen: 12_800 };
    expect(productShareData(t, SHOP, p, ORIGIN, "XYZ789")).toEqual({ title: "明前龙井 250g", desc: "西湖产区", link: "https://shop.example.com/r/XYZ789?product=7", imgUrl: "https://shop.example.com/products/tea.jpg" });
  });

  it("a Markdown description is shown as its text: no marks, links as their words, no pictures or HTML, cut with an ellipsis", () => {
    const p = { id: 7, name: "明前龙井 250g", images: [], priceFen: 12_800 };
    const md = "## 产地\n\n**西湖**产区，[明前](https://example.com/tea)头采。\n\n- 一芽一叶\n- 手工炒制\n\n![茶汤](/products/tea.jpg)\n\n<b>好茶</b>";
    expect(productShareData(t, SHOP, { ...p, description: md }, ORIGIN).desc).toBe("产地 西湖产区，明前头采。 一芽一叶 手工炒制 好茶");
    // 130 characters: 119 of them and the ellipsis, 120 in all.
    expect(productShareData(t, SHOP, { ...p, description: "茶".repeat(130) }, ORIGIN).desc).toBe(`${"茶".repeat(119)}…`);
    expect(productShareData(t, SHOP, { ...p, description: "茶".repeat(120) }, ORIGIN).desc).toBe("茶".repeat(120));
    // Nothing but a picture: no text, so the price line.
    expect(productShareData(t, SHOP, { ...p, description: "![](/products/tea.jpg)" }, ORIGIN).desc).toBe("¥128.00 起，裂变商城好物推荐");
  });

  it("a share link carrying a product shows the product, who shares it, its picture, and keeps the product in the link", () => {
    const p = { id: 7, name: "明前龙井 250g", description: "**西湖**产区", images: ["/products/tea.jpg"], priceFen: 12_800 };
    expect(landingShareData(t, SHOP, { code: "ABC234", inviter: "王*长", rebate }, ORIGIN, null, p)).toEqual({
      title: "明前龙井 250g",
      desc: "王*长 推荐给你：西湖产区",
      link: "https://shop.example.com/r/ABC234?product=7",
      imgUrl: "https://shop.example.com/products/tea.jpg",
    });
    // A product without a picture keeps the landing's Open Graph picture.
    expect(landingShareData(t, SHOP, { code: "ABC234", inviter: "王*长", rebate }, ORIGIN, null, { ...p, images: [] }).imgUrl).toBe("https://shop.example.com/api/og/r/ABC234");
    // A member forwarding a friend's product link: their own code and name, the product kept.
    expect(promotionShareData(t, SHOP, { id: 5, referralCode: "XYZ789", nickname: "张三丰" }, rebate, ORIGIN, null, p)).toMatchObject({ desc: "张*丰 推荐给你：西湖产区", link: "https://shop.example.com/r/XYZ789?product=7" });
  });
});
