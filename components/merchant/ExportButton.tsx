"use client";

import { useSearchParams } from "next/navigation";
import { useT } from "@/lib/i18n/client";

/**
 * Downloads the list's CSV from `href` with the page's current filters and sort (not its page). A plain
 * link, not `download`: a large list answers with a redirect to 导出记录 (the background job's progress),
 * which must open as a page rather than be saved as a file.
 */
export function ExportButton({ href, label }: { href: string; label?: string }) {
  const t = useT();
  const params = new URLSearchParams(useSearchParams().toString());
  params.delete("page");
  params.delete("size");
  const qs = params.toString();
  return (
    <a href={qs ? `${href}?${qs}` : href} className="rounded-md border border-neutral-300 bg-white px-3 py-1.5 text-sm" data-testid="export-csv">
      {label ?? t("m.export.csv")}
    </a>
  );
}
