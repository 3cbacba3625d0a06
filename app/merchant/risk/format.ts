import { formatYuanGrouped } from "@/components/money";
import { formatDateTime } from "@/lib/format-date";

export function fmtTime(d: Date | string | null | undefined, timeZone: string): string {
  return d ? formatDateTime(d, { timeZone }) : "";
}

/**
 * One row per evidence field: its key (labelled by the page, mr.evidence.<key>) and a readable value (fen as 元 grouped by thousands, lists joined); evidence that is not an object is one row keyed "value".
 * A field the retention sweep cleared (listed under "retentionCleared", server/privacy/retention.ts) is a row marked `cleared`, without a value.
 */
export function evidenceRows(evidence: unknown): { key: string; value: string; cleared?: true }[] {
  if (evidence === null || evidence === undefined) return [];
  if (typeof evidence !== "object" || Array.isArray(evidence)) return [{ key: "value", value: show("value", evidence) }];
  const { retentionCleared, ...fields } = evidence as Record<string, unknown>;
  const cleared = Array.isArray(retentionCleared) ? retentionCleared.filter((k): k is string => typeof k === "string") : [];
  return [...Object.entries(fields).map(([key, v]) => ({ key, value: show(key, v) })), ...cleared.map((key) => ({ key, value: "", cleared: true as const }))];
}

function show(key: string, v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number" && /Fen$/.test(key) && Number.isSafeInteger(v)) return formatYuanGrouped(v);
  if (Array.isArray(v)) return v.map((x) => show(key, x)).join("、");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}
