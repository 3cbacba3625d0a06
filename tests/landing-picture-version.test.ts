// The share link's Open Graph picture (app/api/og/r/[code]) draws the 推三返一 offer in force, and WeChat and CDNs keep a
// picture by its address (max-age=600, stale-while-revalidate=86400): a changed or switched-off campaign's picture is a
// new address, while the same offer keeps its address (the share card, the page's metadata and the promote page agree).
import { describe, expect, it } from "vitest";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { landingImageUrl, landingShareData, promotionShareData } from "@/app/_lib/wechat-share";
import { parseConfig } from "@/server/config/schema";

const ORIGIN = "https://shop.example.com";
const rebate = parseConfig({}).rebate; // the default rules: 3 friends, 30 days, 100 % in cash
const t = createT("zh-CN", MESSAGES["zh-CN"]);

describe("the picture's address follows the offer in force", () => {
  it("a changed offer, or the campaign switched off, is another address; the shop's version stays in it", () => {
    const plain = landingImageUrl(ORIGIN, "ABC234", rebate, 17);
    const half = landingImageUrl(ORIGIN, "ABC234", { ...rebate, percent: 50 }, 17);
    const five = landingImageUrl(ORIGIN, "ABC234", { ...rebate, n: 5 }, 17);
    const off = landingImageUrl(ORIGIN, "ABC234", { ...rebate, enabled: false }, 17);
    const capped = landingImageUrl(ORIGIN, "ABC234", { ...rebate, capFen: 5_000 }, 17);
    expect(new Set([plain, half, five, off, capped]).size).toBe(5);
    for (const url of [half, five, off, capped]) expect(url).toMatch(/^https:\/\/shop\.example\.com\/api\/og\/r\/ABC234\?v=17-[0-9a-z]+$/);
    // A renamed shop with the same offer is yet another address.
    expect(landingImageUrl(ORIGIN, "ABC234", { ...rebate, percent: 50 }, 18)).not.toBe(half);
  });

  it("the same offer keeps its address, however it is handed over (a fresh copy, the promote page's subset of the rules)", () => {
    const half = { ...rebate, percent: 50, n: 2 };
    const url = landingImageUrl(ORIGIN, "ABC234", half, 17, "en");
    expect(landingImageUrl(ORIGIN, "ABC234", structuredClone(half), 17, "en")).toBe(url);
    const { enabled, n, percent, windowDays, capFen, minAnchorFen, payout } = half;
    expect(landingImageUrl(ORIGIN, "ABC234", { enabled, n, percent, windowDays, capFen, minAnchorFen, payout }, 17, "en")).toBe(url);
    expect(url).toMatch(/\?v=17-[0-9a-z]+&lang=en$/);
  });

  it("the default rules' offer keeps the plain address, as before", () => {
    expect(landingImageUrl(ORIGIN, "ABC234", parseConfig({}).rebate)).toBe(`${ORIGIN}/api/og/r/ABC234`);
    expect(landingImageUrl(ORIGIN, "ABC234", rebate, 17)).toBe(`${ORIGIN}/api/og/r/ABC234?v=17`);
  });

  it("the landing's and the promote page's share cards name the same picture for the same link and offer", () => {
    const off = { ...rebate, enabled: false };
    const landing = landingShareData(t, "裂变商城", { code: "XYZ789", inviter: "张*丰", rebate: off }, ORIGIN, 17).imgUrl;
    const promote = promotionShareData(t, "裂变商城", { id: 5, referralCode: "XYZ789", nickname: "张三丰" }, off, ORIGIN, 17).imgUrl;
    expect(promote).toBe(landing);
    expect(landing).not.toBe(landingShareData(t, "裂变商城", { code: "XYZ789", inviter: "张*丰", rebate }, ORIGIN, 17).imgUrl);
  });
});
