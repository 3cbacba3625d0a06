// The commission-rate line under 佣金明细 (SPEC §4): what the rules would pay this member now, worded truly — maxima when
// categories differ, the member's tier bonus included, the qualified directs that unlock levels 2–3, and no "好友的好友"
// under the matrix tree (there level 1 is the seat above the buyer, not necessarily who invited them).
import { describe, expect, it } from "vitest";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { parseConfig } from "../server/config/schema";
import { commissionRateOffer } from "../server/promotion/rates";
import { commissionRatesText } from "../app/promote/commission-rates";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
const member = { tier: "member", qualifiedDirects: 0 };
const text = (config: ReturnType<typeof parseConfig>, m = member) => commissionRatesText(zh, commissionRateOffer(config, m));

describe("commission-rate promise on the promotion centre", () => {
  it("default rules: 10% / 5% / 2% to friends, their friends and one level further", () => {
    expect(commissionRateOffer(parseConfig({}), member)).toEqual({ ratesBps: [1000, 500, 200], byCategory: false, tree: "sponsor", deepLevelsNeedDirects: null });
    expect(text(parseConfig({}))).toBe("好友购物你得 10%，好友的好友 5%，再下一级 2%（最多三级）。订单完成后次日结算到钱包。");
  });

  it("category rates that differ: the highest per level, said to be a maximum and to vary by category", () => {
    // Default 10/5/2, 美妆 15/6/3, 数码 5/2/0: the highest per level is 15% / 6% / 3%.
    const config = parseConfig({ commission: { ratesBps: [1000, 500, 200], categoryRatesBps: { beauty: [1500, 600, 300], digital: [500, 200, 0] } } });
    expect(commissionRateOffer(config, member)).toMatchObject({ ratesBps: [1500, 600, 300], byCategory: true });
    expect(text(config)).toBe("好友购物你得最高 15%，好友的好友最高 6%，再下一级最高 3%（最多三级）。不同品类比例不同。订单完成后次日结算到钱包。");
    expect(commissionRatesText(en, commissionRateOffer(config, member))).toBe(
      "You earn up to 15% on your friends' purchases, up to 6% on their friends', and up to 3% one level further (three levels at most). Rates differ by category. Commissions settle to your wallet the day after the order completes.",
    );
    // A category listed with the default's own rates changes nothing.
    expect(commissionRateOffer(parseConfig({ commission: { categoryRatesBps: { tea: [1000, 500, 200] } } }), member).byCategory).toBe(false);
  });

  it("the member's tier bonus is added to every paid level, an unpaid level stays unpaid", () => {
    const config = parseConfig({
      commission: { ratesBps: [1000, 500, 0] },
      tiers: [{ name: "member", label: "会员" }, { name: "promoter", label: "推广员", minDirects: 3, benefits: { commissionBonusBps: 100 } }],
    });
    expect(commissionRateOffer(config, { tier: "promoter", qualifiedDirects: 3 }).ratesBps).toEqual([1100, 600]);
    expect(text(config, { tier: "promoter", qualifiedDirects: 3 })).toBe("好友购物你得 11%，好友的好友 6%。订单完成后次日结算到钱包。");
    expect(text(config)).toBe("好友购物你得 10%，好友的好友 5%。订单完成后次日结算到钱包。");
  });

  it("levels 2–3 locked until N qualified directs: said while the member has fewer", () => {
    const config = parseConfig({ commission: { unlockDeepLevelsAtDirects: 3 } });
    expect(text(config, { tier: "member", qualifiedDirects: 2 })).toBe("好友购物你得 10%，好友的好友 5%，再下一级 2%（最多三级）。二、三级佣金需 3 位有效直推。订单完成后次日结算到钱包。");
    expect(commissionRatesText(en, commissionRateOffer(config, { tier: "member", qualifiedDirects: 0 }))).toContain("Levels 2 and 3 need 3 qualified direct referrals.");
    expect(commissionRateOffer(config, { tier: "member", qualifiedDirects: 3 }).deepLevelsNeedDirects).toBeNull();
    // Only two levels paid: only level 2 is locked.
    expect(text(parseConfig({ commission: { ratesBps: [800, 300, 0], unlockDeepLevelsAtDirects: 5 } }))).toBe("好友购物你得 8%，好友的好友 3%。二级佣金需 5 位有效直推。订单完成后次日结算到钱包。");
  });

  it("matrix tree: the team's layers, never 好友的好友", () => {
    const config = parseConfig({ commission: { tree: "matrix" } });
    const zhText = text(config);
    expect(zhText).toBe("团队第 1 层成员购物你得 10%，第 2 层 5%，第 3 层 2%（最多三级）。订单完成后次日结算到钱包。");
    expect(zhText).not.toContain("好友");
    expect(commissionRatesText(en, commissionRateOffer(config, member))).toBe(
      "You earn 10% on purchases by layer 1 of your team, 5% on layer 2 and 2% on layer 3 (three levels at most). Commissions settle to your wallet the day after the order completes.",
    );
  });
});
