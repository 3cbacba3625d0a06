// A tier's commission bonus (SPEC §7 benefits) adds to the levels the rules pay, never to a level they leave
// at 0: a merchant on a 2-level plan (WeChat's own limit for shops) does not pay level 3 to a bonused tier.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../server/config/schema";
import { commissionAmount, levelRateBps } from "../server/commission";

describe("tier commission bonus", () => {
  const config = parseConfig({ commission: { ratesBps: [1000, 500, 0], categoryRatesBps: { tea: [800, 0, 0] } } });
  const lines = [
    { goodsFen: 10_000, category: "digital" },
    { goodsFen: 5_000, category: "tea" },
  ];

  it("adds to a paid level's rate and leaves an unpaid level at 0", () => {
    expect(levelRateBps(1000, 300)).toBe(1300);
    expect(levelRateBps(0, 300)).toBe(0);
  });

  it("per line, with each category's own levels", () => {
    // L1: 10000 × 13% + 5000 × 11% = 1300 + 550. L2: 10000 × 8% + tea unpaid = 800. L3: nobody.
    expect(commissionAmount({ config }, lines, 1, 300)).toBe(1850);
    expect(commissionAmount({ config }, lines, 2, 300)).toBe(800);
    expect(commissionAmount({ config }, lines, 3, 300)).toBe(0);
    // Without a bonus: 1000 + 400, then 500.
    expect(commissionAmount({ config }, lines, 1)).toBe(1400);
    expect(commissionAmount({ config }, lines, 2)).toBe(500);
  });
});
