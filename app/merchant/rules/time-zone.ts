// The shop's time zone as the rules page shows it to a merchant: a zone with a name people use (rules.tz.name.<IANA
// name>, e.g. 北京时间 / China Standard Time (UTC+8)) by that name; any other zone by its IANA name and its UTC offset now.
import type { Translator } from "@/lib/i18n/core";

/** The zone's offset from UTC at `at`, as "UTC+8", "UTC+5:30", "UTC-3:30" or "UTC+0"; null for a zone Intl does not know. */
export function utcOffset(timeZone: string, at: Date = new Date()): string | null {
  let name: string | undefined;
  try {
    name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value;
  } catch {
    return null;
  }
  // "GMT+08:00", "GMT-03:30"; "GMT" for UTC itself.
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name ?? "");
  if (!m) return null;
  if (!m[1]) return "UTC+0";
  const hours = Number(m[2]);
  return `UTC${m[1]}${hours}${m[3] === "00" ? "" : `:${m[3]}`}`;
}

/** The merchant's words for the shop's zone: its common name where the messages have one, else "<IANA name> (UTC±h)". */
export function timeZoneName(t: Translator, timeZone: string, at: Date = new Date()): string {
  const offset = utcOffset(timeZone, at);
  const fallback = offset ? t("rules.tz.other", { tz: timeZone, offset }) : timeZone;
  return t.opt(`rules.tz.name.${timeZone}`, fallback);
}
