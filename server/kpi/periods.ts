// Dashboard periods in the merchant's calendar (pure: the page's picker and the server share it).
import { localParts } from "../clock/time";

/** "YYYY-MM-DD" of the merchant-local calendar day containing t. */
export function localDay(t: Date, tz: string): string {
  const p = localParts(t, tz);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

export const PERIOD_PRESETS = ["today", "7d", "30d", "month", "custom"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];
export const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
/** Longest period the dashboard shows (about three years of daily rows). */
export const MAX_PERIOD_DAYS = 1100;

export interface Period {
  from: string;
  to: string;
}

const dayMs = 86_400_000;
const dayNum = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / dayMs;
const dayStr = (n: number) => new Date(n * dayMs).toISOString().slice(0, 10);

export function addDays(day: string, n: number): string {
  return dayStr(dayNum(day) + n);
}

/** Every day from `from` to `to`, both included. */
export function daysOf(p: Period): string[] {
  const out: string[] = [];
  for (let n = dayNum(p.from); n <= dayNum(p.to); n++) out.push(dayStr(n));
  return out;
}

/** A request's periods and its merchant day (the days before it are cached for the member figures). */
export interface DashboardPeriods {
  current: Period;
  previous: Period;
  today: string;
}

/**
 * The same days of the month before `month` ("YYYY-MM"): its 1st to day `upTo`, capped at its last day
 * (12-01..12-04 → 11-01..11-04; 03-01..03-31 → 02-01..02-28).
 */
function previousMonthTo(month: string, upTo: number): Period {
  const [y, m] = month.split("-").map(Number) as [number, number];
  // Day 0 of this month is the last day of the one before.
  const last = new Date(Date.UTC(y, m - 1, 0));
  const prev = last.toISOString().slice(0, 8);
  return { from: `${prev}01`, to: `${prev}${String(Math.min(upTo, last.getUTCDate())).padStart(2, "0")}` };
}

/**
 * The period of a preset at `now` (merchant days, both ends included) and the one it is compared with:
 * for 本月, the previous calendar month up to the same day; otherwise as many days right before it.
 */
export function resolvePeriod(preset: PeriodPreset, now: Date, tz: string, custom?: Period): DashboardPeriods {
  const today = localDay(now, tz);
  let current: Period;
  if (preset === "today") current = { from: today, to: today };
  else if (preset === "7d") current = { from: addDays(today, -6), to: today };
  else if (preset === "30d") current = { from: addDays(today, -29), to: today };
  else if (preset === "month") return { current: { from: `${today.slice(0, 8)}01`, to: today }, previous: previousMonthTo(today.slice(0, 7), Number(today.slice(8, 10))), today };
  else {
    if (!custom || !DAY_RE.test(custom.from) || !DAY_RE.test(custom.to) || custom.from > custom.to) throw new RangeError("a custom period needs from ≤ to (YYYY-MM-DD)");
    if (dayNum(custom.to) - dayNum(custom.from) + 1 > MAX_PERIOD_DAYS) throw new RangeError(`a period is at most ${MAX_PERIOD_DAYS} days`);
    current = custom;
  }
  const len = dayNum(current.to) - dayNum(current.from) + 1;
  return { current, previous: { from: addDays(current.from, -len), to: addDays(current.from, -1) }, today };
}

