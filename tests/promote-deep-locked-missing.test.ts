// Levels 2–3 locked until N qualified directs (SPEC §4): besides the N, the promotion centre says how many are still
// missing (还差 X 位), counted from the member's qualified directs as the commission engine reads them.
import { describe, expect, it } from "vitest";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { parseConfig } from "../server/config/schema";
import { commissionRateOffer } from "../server/promotion/rates";
import { deepLockedMissingText } from "../app/promote/tier-text";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

describe("deep levels locked: how many qualified directs are still missing", () => {
  const config = parseConfig({ commission: { unlockDeepLevelsAtDirects: 3 } });

  it("1 of 3 qualified directs: 2 still missing for levels 2 and 3", () => {
    const offer = commissionRateOffer(config, { tier: "member", qualifiedDirects: 1 });
    expect(offer.deepLevelsMissingDirects).toBe(2);
    expect(deepLockedMissingText(zh, offer)).toBe("还差 2 位有效直推即可解锁二、三级佣金。");
    expect(deepLockedMissingText(en, offer)).toBe("2 more to unlock levels 2 and 3.");
  });

  it("none yet with only two paid levels: all 5 missing, for level 2", () => {
    const offer = commissionRateOffer(parseConfig({ commission: { ratesBps: [800, 300, 0], unlockDeepLevelsAtDirects: 5 } }), { tier: "member", qualifiedDirects: 0 });
    expect(deepLockedMissingText(zh, offer)).toBe("还差 5 位有效直推即可解锁二级佣金。");
  });

  it("unlocked (3 of 3) or no unlock rule: nothing to say", () => {
    expect(deepLockedMissingText(zh, commissionRateOffer(config, { tier: "member", qualifiedDirects: 3 }))).toBe("");
    expect(deepLockedMissingText(zh, commissionRateOffer(parseConfig({}), { tier: "member", qualifiedDirects: 0 }))).toBe("");
  });
});
