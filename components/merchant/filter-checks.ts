// What is wrong with a list's filters as they stand in the URL, so the page says so beside the field
// instead of silently showing nothing (a reversed range) or everything (an amount that is not one).
import { yuanInputToFen } from "@/server/money";

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Both days given (YYYY-MM-DD) and the first after the second. */
export function reversedDates(from: string, to: string): boolean {
  return DAY_RE.test(from) && DAY_RE.test(to) && from > to;
}

/** Something typed that is not an amount in 元 (blank is no filter). */
export function notAnAmount(raw: string): boolean {
  return raw.trim() !== "" && yuanInputToFen(raw) === null;
}

/** Both amounts readable and the minimum above the maximum. */
export function reversedAmounts(min: string, max: string): boolean {
  const lo = yuanInputToFen(min);
  const hi = yuanInputToFen(max);
  return lo !== null && hi !== null && lo > hi;
}
