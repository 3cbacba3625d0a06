// The statistics of an A/B experiment: Wilson intervals per variant, a two-proportion z-test of the
// difference (pooled standard error) and Newcombe's hybrid score interval of the difference (method 10,
// built from the two Wilson intervals: unlike the Wald interval it does not collapse at 0 or 100%).
import { errorFunction } from "simple-statistics";

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** Standard normal cumulative distribution. */
export function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

/** Wilson score interval of successes/n (null when n = 0). */
export function wilson(successes: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface TwoProportionTest {
  /** pB − pA. */
  difference: number;
  /** 95% interval of pB − pA (Newcombe's hybrid score interval). */
  interval: Interval;
  z: number;
  /** Two-sided p-value; 1 when both proportions are 0 or 1 (no variance, no evidence). */
  pValue: number;
}

/** Two-proportion z-test of B against A (null when either group is empty). */
export function twoProportionTest(successesA: number, nA: number, successesB: number, nB: number): TwoProportionTest | null {
  if (nA <= 0 || nB <= 0) return null;
  const pA = successesA / nA;
  const pB = successesB / nB;
  const pooled = (successesA + successesB) / (nA + nB);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  const difference = pB - pA;
  const z = sePooled === 0 ? 0 : difference / sePooled;
  const pValue = sePooled === 0 ? 1 : Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
  return { difference, interval: newcombeInterval(successesA, nA, successesB, nB), z, pValue };
}

/**
 * Newcombe's hybrid score interval (1998, method 10) of pB − pA at 95%, from the Wilson intervals
 * [lA, uA] and [lB, uB]: low = (pB − pA) − √((pB − lB)² + (uA − pA)²), high = (pB − pA) + √((uB − pB)² + (pA − lA)²).
 */
export function newcombeInterval(successesA: number, nA: number, successesB: number, nB: number): Interval {
  const a = wilson(successesA, nA);
  const b = wilson(successesB, nB);
  if (!a || !b) throw new RangeError("newcombeInterval needs two non-empty groups");
  const pA = successesA / nA;
  const pB = successesB / nB;
  const difference = pB - pA;
  return {
    low: Math.max(-1, difference - Math.hypot(pB - b.low, a.high - pA)),
    high: Math.min(1, difference + Math.hypot(b.high - pB, pA - a.low)),
  };
}
