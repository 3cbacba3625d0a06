// The shop's own name (店铺资料) in what shoppers read: no message carries the app's name itself (each takes the
// shop's as {shop}), and the WeChat share cards are worded in the name the owner set, in the page's language.
// The pages, metadata and pictures that pass the name are in tests/providers/shop-name-pages.test.ts.
import { describe, expect, it } from "vitest";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { zhCN } from "../lib/i18n/messages/zh-CN";
import { en } from "../lib/i18n/messages/en";
import { landingShareData, productShareData, promotionShareData } from "../app/_lib/wechat-share";
import { parseConfig } from "../server/config/schema";
import { shopDisplayName } from "../server/shop/profile";

const XIAOMAN = { name: "小满优选", nameEn: "Xiaoman Select" };
const ORIGIN = "https://shop.example.com";
const rebate = parseConfig({}).rebate; // n 3, 30 days, 100 %

describe("messages", () => {
  it("no message but the default shop name (app.name) names the app: the shop's name comes in as {shop}", () => {
    for (const [key, text] of Object.entries(zhCN)) if (key !== "app.name") expect(text, key).not.toContain("裂变商城");
    for (const [key, text] of Object.entries(en)) if (key !== "app.name") expect(text, key).not.toContain("Fission Mall");
    for (const key of ["app.titleTemplate", "landing.title", "joined.banner", "joined.bannerNoSponsor", "share.productDesc"] as const) {
      expect(zhCN[key], key).toContain("{shop}");
      expect(en[key], key).toContain("{shop}");
    }
  });
});

describe("WeChat share cards in the shop's name", () => {
  const zh = createT("zh-CN", MESSAGES["zh-CN"]);
  const t = createT("en", MESSAGES.en);
  const product = { id: 7, name: "明前龙井 250g", description: null, images: [], priceFen: 12_800 };

  it("a share link, the promote page's own link and a product without a description, in Chinese", () => {
    const shop = shopDisplayName(XIAOMAN, "zh-CN");
    expect(landingShareData(zh, shop, { code: "ABC234", inviter: "王*长", rebate }, ORIGIN).title).toBe("王*长 邀请你加入小满优选");
    expect(promotionShareData(zh, shop, { id: 5, referralCode: "XYZ789", nickname: "张三丰" }, rebate, ORIGIN).title).toBe("张*丰 邀请你加入小满优选");
    expect(productShareData(zh, shop, product, ORIGIN).desc).toBe("¥128.00 起，小满优选好物推荐");
  });

  it("in English: the English name the owner gave", () => {
    const shop = shopDisplayName(XIAOMAN, "en");
    expect(landingShareData(t, shop, { code: "ABC234", inviter: "王*长", rebate }, ORIGIN).title).toBe("王*长 invites you to join Xiaoman Select");
    expect(promotionShareData(t, shop, { id: 5, referralCode: "XYZ789", nickname: "张三丰" }, rebate, ORIGIN).title).toBe("张*丰 invites you to join Xiaoman Select");
    expect(productShareData(t, shop, product, ORIGIN).desc).toBe("From ¥128.00 at Xiaoman Select");
  });
});
