// The one way to show a full instant (the back office; the shop's order, after-sales and wallet pages):
// "2026-12-04 06:16" (four-digit year, zero-padded, 24-hour clock) in the merchant's time zone, the same
// in every language, so lists, details and the account page agree. Shared by server and client code
// (no locale, no browser time zone involved): callers pass the configured zone, requestTimeZone() on the
// server (app/_lib/time-zone.ts), useTimeZone() in client components (lib/time-zone.tsx).
import { localParts } from "@/server/clock/time";

/** The shop's time zone when nothing is configured (the config's default); every page passes the configured one. */
export const MERCHANT_TIME_ZONE = "Asia/Shanghai";

export interface FormatDateOptions {
  /** IANA zone: the merchant's configured `timeZone`; Asia/Shanghai only when none is given. */
  timeZone?: string;
}

function parts(instant: Date | string | number, timeZone: string) {
  const p = localParts(new Date(instant), timeZone);
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  return {
    date: `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}`,
    time: `${pad(p.hour, 2)}:${pad(p.minute, 2)}`,
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
