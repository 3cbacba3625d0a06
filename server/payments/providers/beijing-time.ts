// WeChat Pay and Alipay speak Beijing time (UTC+8, no daylight saving), whatever the merchant's time zone.
const BEIJING_OFFSET_MS = 8 * 3600_000;

/** "yyyy-MM-dd HH:mm:ss" in Beijing time, cut to the second (never later than the instant). */
export function beijingWallTime(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ");
}

/** RFC 3339 with the +08:00 offset, cut to the second: "2026-12-20T10:30:00+08:00". */
export function beijingRfc3339(at: Date): string {
  return `${beijingWallTime(at).replace(" ", "T")}+08:00`;
}

/** A provider's time ("yyyy-MM-dd HH:mm:ss[.SSS]" Beijing, or RFC 3339) as an instant; undefined when it is none. */
export function parseProviderTime(text: unknown): Date | undefined {
  if (typeof text !== "string") return undefined;
  // Alipay's refund notice writes gmt_refund with milliseconds ("2015-04-28 15:45:57.320").
  const wall = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,3})?$/.test(text);
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text);
  if (!wall && !rfc3339) return undefined;
  const ms = Date.parse(wall ? `${text.replace(" ", "T")}+08:00` : text);
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}
