// The CSV of manual ledger adjustments (finance): signed amounts in 元 with two decimals, who asked,
// who decided, the reason.
import type { Db } from "../db";
import { adjustmentExportPage, countAdjustments } from "../wallet/adjustments";
import { adjustmentFilterSchema, type AdjustmentFilter } from "../wallet/schemas";
import { BUCKET_LABEL } from "../wallet/view";
import type { Bucket } from "../wallet/ledger";
import type { Translator } from "@/lib/i18n/core";
import { afterLast, csvTimeFormat, exportTranslator, yuanCell, type CsvColumn } from "./csv";

type Row = Awaited<ReturnType<typeof adjustmentExportPage>>[number];

/** Every adjustment of the filter in the list's order, `take` per query, each page seeking after the last row written. */
export function adjustmentExportRows(db: Db, f: AdjustmentFilter, take = 500): AsyncGenerator<Row> {
  return afterLast((after, n) => adjustmentExportPage(db, f, after, n), take);
}

export function adjustmentFilterFromSearch(params: URLSearchParams): AdjustmentFilter | null {
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const parsed = adjustmentFilterSchema.safeParse({ status: get("status"), member: get("member") });
  return parsed.success ? parsed.data : null;
}

function columns(timeZone: string, t: Translator = exportTranslator()): CsvColumn<Row>[] {
  const time = csvTimeFormat(timeZone);
  return [
    { header: t("mx.csv.id"), value: (r) => r.id },
    { header: t("mx.csv.memberId"), value: (r) => r.memberId },
    { header: t("mx.csv.member"), value: (r) => r.member.nickname ?? r.member.username },
    // The accounts as the page names them.
    { header: t("mx.csv.bucket"), value: (r) => t.opt(`bucket.${r.bucket}`, BUCKET_LABEL[r.bucket as Bucket] ?? r.bucket) },
    { header: t("mx.csv.amountYuan"), value: (r) => yuanCell(r.amountFen) },
    { header: t("mx.csv.reason"), value: (r) => r.reason },
    { header: t("mx.csv.status"), value: (r) => t(`ma.status.${r.status}`) },
    { header: t("mx.csv.requestedBy"), value: (r) => r.requestedBy.displayName },
    { header: t("mx.csv.requestedAt"), value: (r) => time(r.requestedAt) },
    { header: t("mx.csv.decidedBy"), value: (r) => r.decidedBy?.displayName ?? "" },
    { header: t("mx.csv.decidedAt"), value: (r) => (r.decidedAt ? time(r.decidedAt) : "") },
    { header: t("mx.csv.rejectNote"), value: (r) => r.decisionNote ?? "" },
  ];
}

export const adjustmentExport = {
  kind: "adjustments",
  area: "moneyExports",
  title: "ma.title",
  fromSearch: adjustmentFilterFromSearch,
  parse: (p: unknown) => adjustmentFilterSchema.parse(p),
  count: (db: Db, f: AdjustmentFilter) => countAdjustments(db, f),
  rows: (db: Db, f: AdjustmentFilter) => adjustmentExportRows(db, f),
  columns,
} as const;
