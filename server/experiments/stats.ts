// The statistics of an A/B experiment: Wilson intervals per variant, a two-proportion z-test of the
// difference (pooled standard error) and Newcombe's hybrid score interval of the difference (method 10,
// built from the two Wilson intervals: unlike the Wald interval it does not collapse at 0 or 100%), and a
// delta-method test of the difference of two ratios of means (cost per new paying member).
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

/**
 * Sums over a group's independent units (members) of x (cashback, fen) and y (new paying members), for
 * the ratio of means R = Σx ÷ Σy (cost per new paying member).
 */
export interface RatioSums {
  units: number;
  sumX: number;
  sumY: number;
  sumXX: number;
  sumXY: number;
  sumYY: number;
}

export interface RatioDifferenceTest {
  /** R_B − R_A, in x's unit per y (fen per new paying member). */
  difference: number;
  /** 95% interval of R_B − R_A. */
  interval: Interval;
  z: number;
  /** Two-sided p-value; 1 when neither ratio varies between units (no variance, no evidence). */
  pValue: number;
}

/**
 * Delta method for a ratio of means over m independent units: Var(R) ≈ m ÷ (m − 1) · Σ(xᵢ − R·yᵢ)² ÷ (Σy)²,
 * with Σ(xᵢ − R·yᵢ)² = Σx² − 2R·Σxy + R²·Σy²; the two groups' variances add, Wald interval and z-test at 95%.
 */
export function ratioVariance(s: RatioSums): number | null {
  if (s.units < 2 || s.sumY <= 0) return null;
  const r = s.sumX / s.sumY;
  // Clamped: rounding may take an exact 0 just below it.
  const residuals = Math.max(0, s.sumXX - 2 * r * s.sumXY + r * r * s.sumYY);
  return ((s.units / (s.units - 1)) * residuals) / (s.sumY * s.sumY);
}

/** B's ratio of means against A's (null when a group has fewer than 2 units or no y at all). */
export function ratioDifferenceTest(a: RatioSums, b: RatioSums): RatioDifferenceTest | null {
  const varA = ratioVariance(a);
  const varB = ratioVariance(b);
  if (varA === null || varB === null) return null;
  const difference = b.sumX / b.sumY - a.sumX / a.sumY;
  const se = Math.sqrt(varA + varB);
  const z = se === 0 ? 0 : difference / se;
  const pValue = se === 0 ? 1 : Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
  return { difference, interval: { low: difference - Z95 * se, high: difference + Z95 * se }, z, pValue };
}
