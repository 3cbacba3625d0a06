// The one way to show a full instant (the back office; the shop's order, after-sales and wallet pages):
// "2026-12-04 06:16" (four-digit year, zero-padded, 24-hour clock) in the merchant's time zone, the same
// in every language, so lists, details and the account page agree. Shared by server and client code (no locale, no browser time zone involved).

/** The shop's time zone when a caller has no configured one (the config's default). */
export const MERCHANT_TIME_ZONE = "Asia/Shanghai";

export interface FormatDateOptions {
  /** IANA zone; Asia/Shanghai unless given. */
  timeZone?: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Only the parts are used (never the locale's layout), so the locale here changes nothing visible.
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function parts(instant: Date | string | number, timeZone: string) {
  const p: Record<string, string> = {};
  for (const { type, value } of formatter(timeZone).formatToParts(new Date(instant))) p[type] = value;
  const pad = (s: string | undefined, n: number) => (s ?? "").padStart(n, "0");
  return {
    date: `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}`,
    // hourCycle h23 never gives "24", but older engines did for midnight: read it as 00.
    time: `${pad(p.hour === "24" ? "0" : p.hour, 2)}:${pad(p.minute, 2)}`,
    seconds: pad(p.second, 2),
  };
}

/** "2026-12-04 06:16" (with `seconds`: "2026-12-04 06:16:05") in the merchant's time zone. */
export function formatDateTime(instant: Date | string | number, options: FormatDateOptions & { seconds?: boolean } = {}): string {
  const p = parts(instant, options.timeZone ?? MERCHANT_TIME_ZONE);
  return `${p.date} ${p.time}${options.seconds ? `:${p.seconds}` : ""}`;
}

/** "2026-12-04": the day in the merchant's time zone. */
export function formatDate(instant: Date | string | number, options: FormatDateOptions = {}): string {
  return parts(instant, options.timeZone ?? MERCHANT_TIME_ZONE).date;
}
