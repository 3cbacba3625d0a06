// Calendar helpers. Durations are 24-hour days; only T+1 and months follow the merchant
// calendar (SPEC §8 fine points), which these functions compute in the merchant's time zone.

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function addMs(t: Date, ms: number): Date {
  return new Date(t.getTime() + ms);
}

interface LocalParts {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The last instant converted: one transaction dates all its rows with the same `now`, and formatToParts is slow. */
let lastParts: { ms: number; tz: string; parts: LocalParts } | null = null;

export function localParts(t: Date, tz: string): LocalParts {
  const ms = t.getTime();
  if (lastParts && lastParts.ms === ms && lastParts.tz === tz) return { ...lastParts.parts };
  const parts = formatter(tz).formatToParts(t);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
  lastParts = { ms, tz, parts: local };
  return { ...local };
}

/** Offset (ms) of the zone at instant t: local wall time minus UTC. */
function offsetAt(t: Date, tz: string): number {
  const p = localParts(t, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(t.getTime() / 1000) * 1000;
}

/**
 * The UTC instant the given calendar date begins in tz: local midnight, or where the clocks skip midnight (a DST
 * change at 00:00, e.g. America/Santiago, Asia/Beirut) the change itself, the first instant of that day.
 */
export function zonedMidnight(year: number, month: number, day: number, tz: string): Date {
  const guess = Date.UTC(year, month - 1, day);
  // Midnight under the offset at two probes: equal unless a DST change falls near midnight.
  const a = guess - offsetAt(new Date(guess), tz);
  const b = guess - offsetAt(new Date(a), tz);
  if (a === b) return new Date(a);
  // The two offsets either side of the change: the earlier candidate that falls on the day is its first instant.
  const onDay = (t: number) => {
    const p = localParts(new Date(t), tz);
    return p.year === year && p.month === month && p.day === day;
  };
  const starts = [a, b].filter(onDay);
  return new Date(starts.length > 0 ? Math.min(...starts) : b);
}

/** T+1: 00:00 (merchant time) of the calendar day after the day containing t (SPEC §4). */
export function nextLocalMidnight(t: Date, tz: string): Date {
  const p = localParts(t, tz);
  const next = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
  return zonedMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), tz);
}

/** 00:00 (merchant time) of the 1st of the month after the month containing t. */
export function nextMonthStart(t: Date, tz: string): Date {
  const p = localParts(t, tz);
  const y = p.month === 12 ? p.year + 1 : p.year;
  const m = p.month === 12 ? 1 : p.month + 1;
  return zonedMidnight(y, m, 1, tz);
}

/** 00:00 (merchant time) of the 1st of the month containing t. */
export function monthStart(t: Date, tz: string): Date {
  const p = localParts(t, tz);
  return zonedMidnight(p.year, p.month, 1, tz);
}

/** "YYYY-MM" of the month containing t, merchant calendar. */
export function monthKey(t: Date, tz: string): string {
  const p = localParts(t, tz);
  return `${p.year}-${String(p.month).padStart(2, "0")}`;
}

/** A merchant-calendar period a recurring job runs once in (nightly tier review, monthly bonuses). */
export type LocalPeriod = "day" | "month";

/** The first instant of the local day (or month) containing t. */
export function localPeriodStart(t: Date, tz: string, period: LocalPeriod): Date {
  const p = localParts(t, tz);
  return zonedMidnight(p.year, p.month, period === "day" ? p.day : 1, tz);
}

/** The first instant of the local day (or month) after the one containing t. */
export function nextLocalPeriodStart(t: Date, tz: string, period: LocalPeriod): Date {
  return period === "day" ? nextLocalMidnight(t, tz) : nextMonthStart(t, tz);
}

/**
 * The instant a wall-clock time "YYYY-MM-DDTHH:mm[:ss]" (an <input type="datetime-local"> value) shows in tz, whatever
 * the process's own zone; null when it is no such time. Like Temporal's "compatible": a time the clocks skip is
 * moved on by the skip, a time they repeat is its first occurrence.
 */
export function zonedWallTime(local: string, tz: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((s) => Number(s ?? 0)) as [number, number, number, number, number, number];
  const guess = Date.UTC(year, month - 1, day, hour, minute, second);
  const asWall = new Date(guess);
  // Date.UTC rolls 02-30 over into March: a date or time that does not exist is refused, not moved.
  if (asWall.getUTCMonth() !== month - 1 || asWall.getUTCDate() !== day || asWall.getUTCHours() !== hour || asWall.getUTCMinutes() !== minute) return null;
  const a = guess - offsetAt(new Date(guess), tz);
  const b = guess - offsetAt(new Date(a), tz);
  const shows = (t: number) => {
    const p = localParts(new Date(t), tz);
    return p.year === year && p.month === month && p.day === day && p.hour === hour && p.minute === minute && p.second === second;
  };
  const exact = [a, b].filter(shows);
  return new Date(exact.length > 0 ? Math.min(...exact) : Math.max(a, b));
}
