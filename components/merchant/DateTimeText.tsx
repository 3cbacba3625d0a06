// A date-time in a back-office table cell: "2026-12-07 17:20" (formatDateTime, the merchant's time zone) whose date and
// time are each kept whole. A squeezed column puts the time under the date, never "2026-12-" over "07 17:20" (a
// hyphen is a line-break opportunity, which keep-all does not remove). The text stays the same as formatDateTime's.
import { formatDateTime } from "@/lib/format-date";

export function DateTimeText({ at, timeZone, seconds, className = "" }: { at: Date | string | number; timeZone: string; seconds?: boolean; className?: string }) {
  const [date, time] = formatDateTime(at, { timeZone, seconds }).split(" ");
  return (
    <span className={`tabular-nums ${className}`.trim()} data-testid="date-time">
      <span className="whitespace-nowrap">{date}</span> <span className="whitespace-nowrap">{time}</span>
    </span>
  );
}
