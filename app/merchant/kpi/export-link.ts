// The dashboard's 导出 CSV link (pure: the page and its test share it). A preset exports that preset; 自定义 exports the
// dates in the date fields, typed but not yet applied with 查看 or not, and none while they are no range the server takes.
import { isDay, MAX_PERIOD_DAYS, type PeriodPreset } from "@/server/kpi/periods";

const dayNumber = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;

/** The export's URL for the period on screen, or null while 自定义's dates are missing or no valid range. */
export function kpiExportHref(preset: PeriodPreset, draft: { from: string; to: string }): string | null {
  if (preset !== "custom") return `/merchant/kpi/export?${new URLSearchParams({ preset })}`;
  const { from, to } = draft;
  if (!isDay(from) || !isDay(to) || from > to || dayNumber(to) - dayNumber(from) + 1 > MAX_PERIOD_DAYS) return null;
  return `/merchant/kpi/export?${new URLSearchParams({ preset, from, to })}`;
}
