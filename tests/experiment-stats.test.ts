import { describe, expect, it } from "vitest";
import { newcombeInterval, normalCdf, twoProportionTest, wilson } from "@/server/experiments/stats";

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
    // Newcombe's hybrid score interval of pB − pA from the Wilson intervals (z² = 3.841459):
    //   A = 30/100: [0.218949, 0.395849] (above)
    //   B = 45/100: centre = (0.45 + 0.019207) / 1.038415 = 0.451849; half = 1.96·√(0.002475 + 0.00009604) / 1.038415
    //               = 1.959964·0.050705 / 1.038415 = 0.095704 → [0.356145, 0.547554]
    //   low  = 0.15 − √((0.45 − 0.356145)² + (0.395849 − 0.30)²) = 0.15 − √(0.0088088 + 0.0091870) = 0.15 − 0.134148 = 0.015852
    //   high = 0.15 + √((0.547554 − 0.45)² + (0.30 − 0.218949)²) = 0.15 + √(0.0095168 + 0.0065693) = 0.15 + 0.126831 = 0.276831
    const t = twoProportionTest(30, 100, 45, 100)!;
    expect(t.difference).toBeCloseTo(0.15, 10);
    expect(t.z).toBeCloseTo(2.1909, 3);
    expect(t.pValue).toBeCloseTo(0.0285, 3);
    expect(t.interval.low).toBeCloseTo(0.015852, 5);
    expect(t.interval.high).toBeCloseTo(0.276831, 5);
    expect(newcombeInterval(30, 100, 45, 100)).toEqual(t.interval);
  });

  it("0/30 against 7/200: the interval of the difference includes 0, as the p-value says", () => {
    // Test: pooled 7/230 = 0.030435; SE = √(0.030435·0.969565·(1/30 + 1/200)) = √0.00113116 = 0.033633;
    //   z = 0.035 / 0.033633 = 1.0407; p = 2·(1 − Φ(1.0407)) = 0.2980: not significant.
    // (The former Wald interval: SE = √(0/30 + 0.035·0.965/200) = 0.012995, 0.035 ± 0.025470 = [0.0095, 0.0605], excluding 0.)
    // Wilson A = 0/30: low 0, high = z²/(n + z²) = 3.841459 / 33.841459 = 0.113513
    // Wilson B = 7/200: centre = (0.035 + 3.841459/400) / (1 + 3.841459/200) = 0.0446036 / 1.0192073 = 0.043763;
    //   half = 1.959964·√(0.035·0.965/200 + 3.841459/160000) / 1.0192073 = 1.959964·√(0.000168875 + 0.0000240091) / 1.0192073
    //        = 1.959964·0.0138883 / 1.0192073 = 0.026708 → [0.017056, 0.070471]
    // low  = 0.035 − √((0.035 − 0.017056)² + (0.113513 − 0)²) = 0.035 − √(0.000322 + 0.012885) = 0.035 − 0.114923 = −0.079923
    // high = 0.035 + √((0.070471 − 0.035)² + (0 − 0)²) = 0.070471 (B's Wilson upper bound)
    const t = twoProportionTest(0, 30, 7, 200)!;
    expect(t.difference).toBeCloseTo(0.035, 10);
    expect(t.z).toBeCloseTo(1.0407, 3);
    expect(t.pValue).toBeCloseTo(0.298, 3);
    expect(t.interval.low).toBeCloseTo(-0.079923, 5);
    expect(t.interval.high).toBeCloseTo(0.070471, 5);
    expect(t.interval.low).toBeLessThan(0);
    // Swapping the groups mirrors the interval.
    const swapped = twoProportionTest(7, 200, 0, 30)!;
    expect(swapped.interval.low).toBeCloseTo(-0.070471, 5);
    expect(swapped.interval.high).toBeCloseTo(0.079923, 5);
  });

  it("is symmetric and has no evidence without variance", () => {
    const ab = twoProportionTest(45, 100, 30, 100)!;
    expect(ab.z).toBeCloseTo(-2.1909, 3);
    expect(ab.pValue).toBeCloseTo(0.0285, 3);
    expect(twoProportionTest(0, 50, 0, 50)!.pValue).toBe(1);
    expect(twoProportionTest(1, 0, 1, 5)).toBeNull();
  });
});
