import { INT4_MAX, INT4_MIN } from "./validation";

// Back-office lists count their matches up to a cap ("10000+"): an exact count of millions of rows is a
// scan on every page view, and nobody pages through ten thousand rows without narrowing the filter.
export const LIST_COUNT_CAP = 10_000;

/** What a list shows for a count taken with `take: cap + 1`: at most `cap`, and `more` past it. */
export function cappedTotal(counted: number, cap = LIST_COUNT_CAP): { total: number; more: boolean } {
  return { total: Math.min(counted, cap), more: counted > cap };
}

// Keyset paging (issue 14): a page starts after the previous page's last row, found by its sort key and id, so
// page N seeks in the index instead of reading and discarding N × size rows; a row added or removed meanwhile
// shifts nothing (an offset would repeat or skip one).

/** A keyset cursor over integer keys (the sort key's values, then the id): "3.17", or "-1.5" for a negative sort. */
const INT_KEYSET_CURSOR = /^-?\d{1,10}(?:\.-?\d{1,10}){0,3}$/;

export function intKeysetCursor(values: number[]): string {
  return values.join(".");
}

/** The keys of a cursor made by intKeysetCursor, or null when it has another number of keys or a key beyond int4. */
export function parseIntKeysetCursor(cursor: string, keys: number): number[] | null {
  if (!INT_KEYSET_CURSOR.test(cursor)) return null;
  const values = cursor.split(".").map(Number);
  return values.length === keys && values.every((v) => v >= INT4_MIN && v <= INT4_MAX) ? values : null;
}
