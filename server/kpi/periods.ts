// Dashboard periods in the merchant's calendar (pure: the page's picker and the server share it).
import { localParts, zonedMidnight, zonedWallTime } from "../clock/time";

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

/** A real calendar day "YYYY-MM-DD" (2026-02-31 has the right shape but is no day). */
export const isDay = (d: string) => DAY_RE.test(d) && dayStr(dayNum(d)) === d;

/**
 * The part of the previous period's last day that counts: from its midnight (`from`, ISO instant) to the
 * same local time of day as now (`to`, shown as `time`, "HH:MM").
 */
export interface PartialDay {
  from: string;
  to: string;
  time: string;
}

/**
 * A request's periods and its merchant day (the days before it are cached for the member figures).
 * When the current period runs to now, `previousCut` limits the previous period's last day to the same time.
 */
export interface DashboardPeriods {
  current: Period;
  previous: Period;
  today: string;
  previousCut: PartialDay | null;
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
 * A custom period ends today at the latest. A current period ending today holds today only up to now:
 * the previous one's last day is cut at the same local time, so both cover the same span (unless 本月's day is past the last one of last month).
 */
export function resolvePeriod(preset: PeriodPreset, now: Date, tz: string, custom?: Period): DashboardPeriods {
  const today = localDay(now, tz);
  let current: Period;
  let previous: Period | null = null;
  if (preset === "today") current = { from: today, to: today };
  else if (preset === "7d") current = { from: addDays(today, -6), to: today };
  else if (preset === "30d") current = { from: addDays(today, -29), to: today };
  else if (preset === "month") {
    current = { from: `${today.slice(0, 8)}01`, to: today };
    previous = previousMonthTo(today.slice(0, 7), Number(today.slice(8, 10)));
  } else {
    if (!custom || !isDay(custom.from) || !isDay(custom.to) || dayNum(custom.from) > dayNum(custom.to)) throw new RangeError("a custom period needs real days from ≤ to (YYYY-MM-DD)");
    if (dayNum(custom.to) - dayNum(custom.from) + 1 > MAX_PERIOD_DAYS) throw new RangeError(`a period is at most ${MAX_PERIOD_DAYS} days`);
    if (dayNum(custom.from) > dayNum(today)) throw new RangeError("a custom period starts today at the latest");
    // Days to come hold nothing yet: a range reaching past today ends today, compared up to now like the presets.
    current = { from: custom.from, to: dayNum(custom.to) > dayNum(today) ? today : custom.to };
  }
  if (!previous) {
    const len = dayNum(current.to) - dayNum(current.from) + 1;
    previous = { from: addDays(current.from, -len), to: addDays(current.from, -1) };
  }
  // 本月 on the 31st against a 30-day month: last month is whole, there is no same day to cut.
  const sameDay = preset !== "month" || previous.to.slice(8) === today.slice(8);
  return { current, previous, today, previousCut: current.to === today && sameDay ? cutAt(previous.to, now, tz) : null };
}

/** `day` from its midnight up to the local time of day of `now` (its wall-clock time, also on a DST change day). */
function cutAt(day: string, now: Date, tz: string): PartialDay {
  const p = localParts(now, tz);
  const from = zonedMidnight(Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10)), tz);
  const time = `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
  // Not midnight + the time elapsed today: on a DST change day the same clock time comes an hour sooner or later.
  const to = zonedWallTime(`${day}T${time}:${String(p.second).padStart(2, "0")}`, tz)!.getTime() + now.getUTCMilliseconds();
  return { from: from.toISOString(), to: new Date(to).toISOString(), time };
}
