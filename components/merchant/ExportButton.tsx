"use client";

import { useSearchParams } from "next/navigation";
import { useT } from "@/lib/i18n/client";

/** Downloads the list's CSV from `href` with the page's current filters and sort (not its page). */
export function ExportButton({ href }: { href: string }) {
  const t = useT();
  const params = new URLSearchParams(useSearchParams().toString());
  params.delete("page");
  params.delete("size");
  const qs = params.toString();
  return (
    <a href={qs ? `${href}?${qs}` : href} download className="rounded-md border border-neutral-300 bg-white px-3 py-1.5 text-sm" data-testid="export-csv">
      {t("m.export.csv")}
    </a>
  );
}
