// The rules page (/merchant/rules) in one language at a time: the config schema's messages, which the Chinese page
// shows as they are, are Chinese only (no "(L1 ≥ L2 ≥ L3)", no English message of zod's or the schema's), while the
// English page words each refusal in English; a rate with three decimals is told it has too many decimals, not that it
// is out of range; an L1 over 100% keeps its own message beside the rates' total-payout refusal in the form's errors;
// the shop's time zone reads as a name merchants use.
import { describe, expect, it } from "vitest";
import { zodResolver } from "@hookform/resolvers/zod";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { percentToBps } from "@/components/money";
import { yuanInputToFen } from "@/server/money";
import { checkRules, rulesFormSchema } from "@/app/merchant/rules/check";
import { beyondTwoDecimals } from "@/app/merchant/rules/inputs";
import { timeZoneName, utcOffset } from "@/app/merchant/rules/time-zone";
import { messageAt } from "@/components/merchant/FieldError";

const en = createT("en", MESSAGES.en);
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const HAN = /\p{Script=Han}/u;
const LATIN = /[A-Za-z]/;

/** The page's own check of `raw`, path → words. */
const words = (t: typeof en, raw: unknown) => Object.fromEntries(checkRules(t, raw).map((r) => [r.path.join("."), r.text]));

// One mistake each, on every kind of setting the page offers.
const BAD: Record<string, unknown> = {
  fourLevels: { commission: { ratesBps: [1000, 500, 200, 100] } },
  l2AboveL1: { commission: { ratesBps: [400, 600, 200] } },
  noLevel: { commission: { ratesBps: [] } },
  l1Over100: { commission: { ratesBps: [15000, 500, 200] } },
  tree: { commission: { tree: "ring" } },
  unlock: { commission: { unlockDeepLevelsAtDirects: 2000 } },
  mode: { commission: { distributorMode: "vip" } },
  spendZero: { commission: { distributorMode: "spend", distributorMinSpendFen: 0 } },
  rebateN: { rebate: { n: 1.5 } },
  rebateWindow: { rebate: { windowDays: 4000 } },
  payout: { rebate: { payout: "points" } },
  capNegative: { rebate: { capFen: -1 } },
  noTier: { tiers: [] },
  tierName: { tiers: [{ name: "" }] },
  tierGmv: { tiers: [{ name: "member", minGmv90Fen: -1 }] },
  tierDirects: { tiers: [{ name: "member", minDirects: -1 }] },
  bracketsDown: { stepBonus: { brackets: [{ minFen: 100_000, bps: 100 }, { minFen: 50_000, bps: 200 }] } },
  bracketRate: { stepBonus: { brackets: [{ minFen: 100_000, bps: 10_001 }] } },
  bracketMin: { stepBonus: { brackets: [{ minFen: -1, bps: 100 }] } },
  tooManyBrackets: { stepBonus: { brackets: Array.from({ length: 11 }, (_, i) => ({ minFen: (i + 1) * 100, bps: 1 })) } },
  returnWindow: { returnWindowDays: 400 },
  matrix: { matrix: { width: 1 } },
  timeZone: { timeZone: "Mars/Olympus" },
  feeRate: { withdrawal: { feeBps: 10_001 } },
  feeMin: { withdrawal: { feeMinFen: 10_000 } },
  approval: { adjustment: { approvalAboveFen: -1 } },
  paymentTimeout: { paymentTimeoutMinutes: 0 },
  autoDeliver: { autoDeliverDays: 0 },
  attribution: { attributionDays: 0 },
  claimTooLong: { compliance: { forbiddenClaims: ["一二三四五六七八九十一二三四五六七八九十一"] } },
  tooManyClaims: { compliance: { forbiddenClaims: Array.from({ length: 201 }, (_, i) => `词${i}`) } },
};

describe("each refusal in the page's language only", () => {
  it.each(Object.entries(BAD))("%s: Chinese without Latin letters, English without Chinese", (_, raw) => {
    const zhWords = Object.values(words(zh, raw));
    expect(zhWords.length).toBeGreaterThan(0);
    for (const text of zhWords) expect(text).not.toMatch(LATIN);
    for (const text of Object.values(words(en, raw))) expect(text.replaceAll(/"[^"]*"/g, "")).not.toMatch(HAN);
  });

  it("the commission rules in Chinese, as the walker saw them without their English", () => {
    expect(words(zh, BAD.fourLevels)).toEqual({ "commission.ratesBps": "合规红线：最多 3 级佣金" });
    expect(words(zh, BAD.l2AboveL1)).toEqual({ "commission.ratesBps": "佣金比例须满足 一级 ≥ 二级 ≥ 三级" });
    expect(words(zh, BAD.bracketsDown)).toEqual({ "stepBonus.brackets.1.minFen": "月销售额门槛须高于上一档（1000.00 元）：阶梯须逐档递增" });
    expect(words(zh, BAD.timeZone)).toEqual({ timeZone: "未知的时区" });
  });
});

describe("more than two decimals", () => {
  it("a rate typed as 10.555% holds a fraction of a bps (10.550% is 1055 bps); an amount likewise in fen", () => {
    expect(beyondTwoDecimals("10.555", percentToBps)).toBe(1055.5);
    expect(beyondTwoDecimals("10.550", percentToBps)).toBe(1055);
    expect(beyondTwoDecimals("1.234", yuanInputToFen)).toBe(123.5);
    for (const s of ["10.5", "abc", "-1.234", "1000.555"]) expect(beyondTwoDecimals(s, percentToBps)).toBeNull();
  });

  it("is told so, not that the rate must be from 0% to 100%", () => {
    const raw = { commission: { ratesBps: [1055.5, 500, 200] } };
    expect(words(zh, raw)).toEqual({ "commission.ratesBps.0": "1级佣金比例：最多两位小数" });
    expect(words(en, raw)).toEqual({ "commission.ratesBps.0": "Level 1 commission rate: must have at most 2 decimal places" });
    expect(words(zh, { withdrawal: { feeMinFen: 123.5 } })).toEqual({ "withdrawal.feeMinFen": "最低提现手续费：最多两位小数" });
  });
});

describe("L1 over 100% in the form", () => {
  it("keeps its own message beside the rates' total-payout refusal (on the rates' root)", async () => {
    const values = { commission: { ratesBps: [15000, 500, 200] } };
    const resolve = zodResolver(rulesFormSchema(zh));
    const { errors } = await resolve(values as never, undefined, { fields: {}, names: ["commission.ratesBps"], shouldUseNativeValidation: false } as never);
    expect(messageAt(errors, "commission.ratesBps.0")).toBe("佣金比例不能超过 100%");
    expect(messageAt(errors, "commission.ratesBps")).toMatch(/^合规红线：佣金与奖励合计不能超过成交额的 100%/);
  });
});

describe("the shop's time zone", () => {
  const winter = new Date("2026-12-07T12:00:00Z");
  const summer = new Date("2026-07-01T12:00:00Z");
  it("Asia/Shanghai by the name merchants use", () => {
    expect(timeZoneName(zh, "Asia/Shanghai", winter)).toBe("北京时间");
    expect(timeZoneName(en, "Asia/Shanghai", winter)).toBe("China Standard Time (UTC+8)");
    expect(zh("rules.f.timeZone", { tz: timeZoneName(zh, "Asia/Shanghai", winter) })).toBe("商户时区：北京时间（结算日按此计算，不可修改）");
    expect(zh("rules.effective.zone", { tz: timeZoneName(zh, "Asia/Shanghai", winter) })).toBe("按店铺时间（北京时间）");
    // English names carry their own brackets: the sentences around them add none.
    expect(en("rules.f.timeZone", { tz: timeZoneName(en, "Asia/Shanghai", winter) })).toBe("Merchant time zone: China Standard Time (UTC+8). It is fixed: settlement days follow it.");
    expect(en("rules.effective.zone", { tz: timeZoneName(en, "Asia/Shanghai", winter) })).toBe("in shop time, China Standard Time (UTC+8)");
  });

  it("any other zone by its IANA name and its offset from UTC at the time", () => {
    expect(timeZoneName(zh, "Asia/Kolkata", winter)).toBe("Asia/Kolkata（UTC+5:30）");
    expect(timeZoneName(zh, "America/New_York", winter)).toBe("America/New_York（UTC-5）");
    expect(timeZoneName(en, "America/New_York", summer)).toBe("America/New_York (UTC-4)");
    expect(timeZoneName(en, "UTC", winter)).toBe("UTC (UTC+0)");
    expect(utcOffset("Mars/Olympus", winter)).toBeNull();
    expect(timeZoneName(en, "Mars/Olympus", winter)).toBe("Mars/Olympus");
  });
});
