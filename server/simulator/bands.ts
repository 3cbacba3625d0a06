// Bands of the simulator's earnings distribution; its own module so the page can import it without the engine.

/** Earnings per member (final wallet, all buckets), in fen: [lower, upper) bands; upper null = no limit. */
export const EARNING_BANDS: [number, number | null][] = [
  [0, 1],
  [1, 1_000],
  [1_000, 5_000],
  [5_000, 20_000],
  [20_000, 100_000],
  [100_000, null],
];
