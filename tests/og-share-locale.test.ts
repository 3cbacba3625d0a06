// A share link's preview picture speaks the language of the page that named it: /r/[code]'s English metadata
// (og:title "王*长 invites you to join …") pointed at a picture that said 邀请你加入 / 推三返一. The crawler fetches
// the picture without cookies, so the language travels in its address as ?lang=en; a plain address stays Chinese.
import { describe, expect, it } from "vitest";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { landingImageUrl, landingShareData } from "@/app/_lib/wechat-share";
import { ogLocale, ogText } from "@/app/api/og/r/[code]/og-text";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfig } from "@/server/config/schema";

const ORIGIN = "https://shop.example.com";
const rebate = parseConfig({}).rebate; // 3 friends, 30 days, 100 % in cash

describe("the picture's address", () => {
  it("names English for an English page, nothing for a Chinese one, beside the shop's version", () => {
    expect(landingImageUrl(ORIGIN, "ABC234", rebate, null, "en")).toBe(`${ORIGIN}/api/og/r/ABC234?lang=en`);
    expect(landingImageUrl(ORIGIN, "ABC234", rebate, 17, "en")).toBe(`${ORIGIN}/api/og/r/ABC234?v=17&lang=en`);
    expect(landingImageUrl(ORIGIN, "ABC234", rebate, 17, "zh-CN")).toBe(`${ORIGIN}/api/og/r/ABC234?v=17`);
    expect(landingImageUrl(ORIGIN, "ABC234", rebate)).toBe(`${ORIGIN}/api/og/r/ABC234`);
  });

  it("the WeChat card of an English page carries the English picture", () => {
    const en = createT("en", MESSAGES.en);
    expect(landingShareData(en, "Fission Mall", { code: "ABC234", inviter: "王*长", rebate }, ORIGIN).imgUrl).toBe(`${ORIGIN}/api/og/r/ABC234?lang=en`);
  });

  it("the route reads the language from its address only: English for lang=en, else Chinese", () => {
    expect(ogLocale(`${ORIGIN}/api/og/r/ABC234?v=17&lang=en`)).toBe("en");
    expect(ogLocale(`${ORIGIN}/api/og/r/ABC234?v=17-1x2y3z&lang=en`)).toBe("en");
    expect(ogLocale(`${ORIGIN}/api/og/r/ABC234?v=0-1x2y3z`)).toBe("zh-CN");
    expect(ogLocale(`${ORIGIN}/api/og/r/ABC234`)).toBe("zh-CN");
    expect(ogLocale(`${ORIGIN}/api/og/r/ABC234?lang=fr`)).toBe("zh-CN");
  });
});

describe("the picture's words", () => {
  it("in English for an English address", () => {
    expect(ogText("en", "Fission Mall", { inviter: "王*长", rebate })).toEqual({
      headline: "王*长 invites you to join",
      badge: "Refer 3",
      offer: "3 friends order, you get a full cashback",
      footer: "Genuine goods · New members join free · Tap to see",
    });
    expect(ogText("en", "Fission Mall", null).headline).toBe("Fission Mall · Great goods, low prices");
  });

  it("in Chinese by default, the words the picture always had", () => {
    expect(ogText("zh-CN", "裂变商城", { inviter: "王*长", rebate })).toEqual({
      headline: "王*长 邀请你加入",
      badge: "推三返一",
      offer: "邀请 3 位好友首单，订单全额返现",
      footer: "正品好物 · 新人注册即可参与 · 点击查看",
    });
    expect(ogText("zh-CN", "裂变商城", null).headline).toBe("裂变商城 · 好物低价");
    expect(ogText("zh-CN", "一个名字很长很长的店铺旗舰店", { inviter: "王*长", rebate: { ...rebate, enabled: false } }).offer).toBe("新人注册即可购物");
    expect(ogText("zh-CN", "一个名字很长很长的店铺旗舰店", null).headline).toBe("精选好物 · 新人专享低价");
  });

  it("the bundled font (app/_lib/og/cjk-font) covers the English words: every character is in its latin subset", () => {
    const ranges = JSON.parse(readFileSync(join(import.meta.dirname, "../node_modules/@fontsource/noto-sans-sc/unicode.json"), "utf8")) as Record<string, string>;
    const latin = ranges.latin!.split(",").map((r) => r.replace(/^U\+/, "").split("-").map((h) => parseInt(h, 16)));
    const { headline, badge, offer, footer } = ogText("en", "Fission Mall", { inviter: "Ann", rebate });
    const missing = Array.from(headline + badge + offer + footer).filter((ch) => !latin.some(([lo, hi = lo]) => ch.codePointAt(0)! >= lo! && ch.codePointAt(0)! <= hi));
    expect(missing).toEqual([]);
  });
});
