// Back-office lists count their matches up to a cap ("10000+"): an exact count of millions of rows is a
// scan on every page view, and nobody pages through ten thousand rows without narrowing the filter.
export const LIST_COUNT_CAP = 10_000;

/** What a list shows for a count taken with `take: cap + 1`: at most `cap`, and `more` past it. */
export function cappedTotal(counted: number, cap = LIST_COUNT_CAP): { total: number; more: boolean } {
  return { total: Math.min(counted, cap), more: counted > cap };
}
