import { describe, expect, it } from "vitest";
import { normalCdf, twoProportionTest, wilson } from "@/server/experiments/stats";

// Expected values worked by hand (formulas in server/experiments/stats.ts), rounded to 4 places.
describe("experiment statistics", () => {
  it("normal distribution at known points", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 5);
  });

  it("Wilson interval of 30 successes in 100", () => {
    // centre = (0.3 + 3.8415/200) / 1.038415 = 0.307398; half = 1.96·√(0.0021 + 0.00009604) / 1.038415 = 0.088451
    const w = wilson(30, 100)!;
    expect(w.low).toBeCloseTo(0.2189, 4);
    expect(w.high).toBeCloseTo(0.3958, 4);
    expect(wilson(0, 0)).toBeNull();
    // 0 of 10 still has an upper bound above 0: z²/(n+z²) = 3.8415/13.8415 = 0.2775
    expect(wilson(0, 10)!.high).toBeCloseTo(0.2775, 4);
  });

  it("two-proportion test: 30/100 against 45/100", () => {
    // pooled 0.375; SE = √(0.375·0.625·0.02) = 0.068465; z = 0.15 / 0.068465 = 2.1909; p = 2·(1 − Φ(2.1909)) = 0.0285
    // unpooled SE = √(0.0021 + 0.002475) = 0.067639; interval 0.15 ± 1.96·0.067639 = [0.0174, 0.2826]
    const t = twoProportionTest(30, 100, 45, 100)!;
    expect(t.difference).toBeCloseTo(0.15, 10);
    expect(t.z).toBeCloseTo(2.1909, 3);
    expect(t.pValue).toBeCloseTo(0.0285, 3);
    expect(t.interval.low).toBeCloseTo(0.0174, 3);
    expect(t.interval.high).toBeCloseTo(0.2826, 3);
  });

  it("is symmetric and has no evidence without variance", () => {
    const ab = twoProportionTest(45, 100, 30, 100)!;
    expect(ab.z).toBeCloseTo(-2.1909, 3);
    expect(ab.pValue).toBeCloseTo(0.0285, 3);
    expect(twoProportionTest(0, 50, 0, 50)!.pValue).toBe(1);
    expect(twoProportionTest(1, 0, 1, 5)).toBeNull();
  });
});
