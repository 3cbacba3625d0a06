// The product page's SKU picker (app/product/[id]): a sold-out 规格 says 已售罄 / Sold out and is not chosen; where
// option groups combine, a value is sold out only when every SKU it makes with the other choices is; the price range
// before a choice covers what can be bought; 推三返一 is stated once, the chosen SKU's amount, before a choice the
// highest (最高可返) when the buyable SKUs' differ. Expected values are worked out by hand from the SKUs below.
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { buyableOf, candidatesOf, cashbackClaim, priceRange, valueState } from "../app/product/[id]/sku-choice";
import { SkuPurchase, type PickerSku } from "../app/product/[id]/SkuPurchase";
import type { SkuOffer } from "../server/promotion/product-offer";
import { renderInProviders } from "./helpers/render";

const sku = (id: number, options: string[], priceFen: number, stock: number): PickerSku => ({ id, code: `s${id}`, options, priceFen, stock, imageUrl: null });

// The shopper walk's product: 大 ¥88.00 sold out, 小 ¥39.90 in stock.
const bigSmall = [sku(1, ["大"], 8800, 0), sku(2, ["小"], 3990, 12)];
// The demo seed's 丹东红颜草莓: 1kg 69.90 (240), 2kg 129.00 (150), the gift box 169.00 sold out.
const strawberry = [sku(11, ["1kg 尝鲜装"], 6990, 240), sku(12, ["2kg 家庭装"], 12900, 150), sku(13, ["2kg 精品礼盒（限量）"], 16900, 0)];
// Two groups: 黑/S sold out, 黑/M 2 left, 白/S 3 left; there is no 白/M.
const twoGroups = [sku(21, ["黑", "S"], 9900, 0), sku(22, ["黑", "M"], 9900, 2), sku(23, ["白", "S"], 12950, 3)];

describe("which values are sold out given the other choices", () => {
  it("one group: the sold-out SKU's value is sold out, the others available", () => {
    expect(valueState(bigSmall, [null], 0, "大")).toBe("sold_out");
    expect(valueState(bigSmall, [null], 0, "小")).toBe("available");
    expect(valueState(strawberry, [null], 0, "2kg 精品礼盒（限量）")).toBe("sold_out");
    expect(valueState(strawberry, [null], 0, "1kg 尝鲜装")).toBe("available");
    // The group's own choice does not count: with 小 chosen, 大 is still just sold out.
    expect(valueState(bigSmall, ["小"], 0, "大")).toBe("sold_out");
  });

  it("two groups: a value is sold out only when every SKU it makes with the other choices is", () => {
    // Nothing chosen: 黑 has 黑/M in stock, S has 白/S in stock.
    expect(valueState(twoGroups, [null, null], 0, "黑")).toBe("available");
    expect(valueState(twoGroups, [null, null], 1, "S")).toBe("available");
    // 黑 chosen: S with 黑 is only 黑/S, sold out; M is 黑/M, in stock.
    expect(valueState(twoGroups, ["黑", null], 1, "S")).toBe("sold_out");
    expect(valueState(twoGroups, ["黑", null], 1, "M")).toBe("available");
    // S chosen: 黑 with S is sold out, 白 with S in stock.
    expect(valueState(twoGroups, [null, "S"], 0, "黑")).toBe("sold_out");
    expect(valueState(twoGroups, [null, "S"], 0, "白")).toBe("available");
    // M chosen: there is no 白/M at all, which is not "sold out".
    expect(valueState(twoGroups, [null, "M"], 0, "白")).toBe("none");
  });
});

describe("the price range before a choice covers the SKUs that can be bought", () => {
  it("a sold-out SKU's price is left out", () => {
    expect(priceRange(buyableOf(candidatesOf(bigSmall, [null])))).toEqual({ minFen: 3990, maxFen: 3990 });
    expect(priceRange(buyableOf(candidatesOf(strawberry, [null])))).toEqual({ minFen: 6990, maxFen: 12900 });
    expect(priceRange(buyableOf(candidatesOf(twoGroups, [null, "S"])))).toEqual({ minFen: 12950, maxFen: 12950 });
  });

  it("all SKUs only when every one is sold out", () => {
    const gone = [sku(1, ["大"], 8800, 0), sku(2, ["小"], 3990, 0)];
    expect(buyableOf(gone).map((s) => s.id)).toEqual([1, 2]);
    expect(priceRange(buyableOf(candidatesOf(gone, [null])))).toEqual({ minFen: 3990, maxFen: 8800 });
  });
});

describe("the 推三返一 amount stated", () => {
  it("one amount as is; several: the highest, marked 最高 when they differ; none earned: null", () => {
    expect(cashbackClaim([3990])).toEqual({ fen: 3990, upTo: false });
    expect(cashbackClaim([6990, 12900])).toEqual({ fen: 12900, upTo: true });
    expect(cashbackClaim([5000, 5000])).toEqual({ fen: 5000, upTo: false }); // e.g. both capped at ¥50.00
    expect(cashbackClaim([0, 8800])).toEqual({ fen: 8800, upTo: true }); // one under minAnchorFen
    expect(cashbackClaim([0, 0])).toBeNull();
    expect(cashbackClaim([])).toBeNull();
  });
});

describe("the SKU picker as the page first renders it", () => {
  // Default campaign (percent 100, no cap, no minimum): each SKU's cashback is its price.
  const offers = (skus: PickerSku[]): SkuOffer[] => skus.map((s) => ({ skuId: s.id, shareEarnFen: 0, cashbackFen: s.priceFen }));
  const render = (skus: PickerSku[], locale: "zh-CN" | "en" = "zh-CN") =>
    renderInProviders(
      createElement(SkuPurchase, {
        productId: 7,
        name: "丹东红颜草莓 现摘现发",
        categoryName: null,
        images: [],
        optionGroups: [{ name: "规格", values: skus.map((s) => s.options[0]!) }],
        skus,
        signedIn: false,
        salesCount: 0,
        offers: offers(skus),
        rebate: { n: 3, windowDays: 30, terms: "", offerText: "OFFER" },
        shareLink: null,
      }),
      locale,
    ).html;
  const chip = (html: string, value: string) => new RegExp(`<button[^>]*role="radio"[^>]*>${value.replace(/[()（）]/g, "\\$&")}.*?</button>`).exec(html)?.[0] ?? "";

  it("the sold-out gift box says 已售罄, is named so for a screen reader and is not chosen; the others read plainly", () => {
    const html = render(strawberry);
    const gift = chip(html, "2kg 精品礼盒（限量）");
    expect(gift).toContain("已售罄");
    expect(gift).toContain('aria-label="2kg 精品礼盒（限量），已售罄"');
    expect(gift).toContain('aria-disabled="true"');
    expect(gift).not.toContain("line-through");
    const kg1 = chip(html, "1kg 尝鲜装");
    expect(kg1).not.toContain("已售罄");
    expect(kg1).not.toContain("aria-disabled");
    expect(render(strawberry, "en")).toContain('aria-label="2kg 精品礼盒（限量）, sold out"');
  });

  it("the price reads ¥69.90-¥129.00 (not -¥169.00) and the cashback 最高可返 ¥129.00, stated once", () => {
    const html = render(strawberry);
    expect(html).toMatch(/data-testid="product-price" data-fen="6990"/);
    expect(html).toContain("129</span>");
    expect(html).not.toContain("169</span>");
    expect(html.match(/data-testid="product-cashback"/g)).toHaveLength(1);
    expect(html).toContain("买下它，30 天内邀请 3 位好友首单，最高可返 ¥129.00");
  });

  it("大 sold out, 小 in stock: the price is ¥39.90 alone and the cashback 可返 ¥39.90", () => {
    const html = render(bigSmall);
    expect(html).toMatch(/data-testid="product-price" data-fen="3990"/);
    expect(html).not.toContain("88</span>");
    expect(html).toContain("可返 ¥39.90");
    expect(html).not.toContain("最高可返");
  });
});
