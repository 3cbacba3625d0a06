// The CSV of manual ledger adjustments (finance): signed amounts in 元 with two decimals, who asked,
// who decided, the reason.
import type { Db } from "../db";
import { adjustmentExportPage, countAdjustments } from "../wallet/adjustments";
import { adjustmentFilterSchema, type ADJUSTMENT_STATUSES, type AdjustmentFilter } from "../wallet/schemas";
import { BUCKET_LABEL } from "../wallet/view";
import type { Bucket } from "../wallet/ledger";
import { afterLast, yuanCell, type CsvColumn } from "./csv";

type Row = Awaited<ReturnType<typeof adjustmentExportPage>>[number];

/** Every adjustment of the filter in the list's order, `take` per query, each page seeking after the last row written. */
export function adjustmentExportRows(db: Db, f: AdjustmentFilter, take = 500): AsyncGenerator<Row> {
  return afterLast((after, n) => adjustmentExportPage(db, f, after, n), take);
}

const STATUS_LABEL: Record<(typeof ADJUSTMENT_STATUSES)[number], string> = { PENDING_APPROVAL: "待审批", APPLIED: "已生效", REJECTED: "已驳回" };

export function adjustmentFilterFromSearch(params: URLSearchParams): AdjustmentFilter | null {
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const parsed = adjustmentFilterSchema.safeParse({ status: get("status"), member: get("member") });
  return parsed.success ? parsed.data : null;
}

function columns(timeZone: string): CsvColumn<Row>[] {
  const time = new Intl.DateTimeFormat("zh-CN", { timeZone, dateStyle: "short", timeStyle: "medium" });
  return [
    { header: "编号", value: (r) => r.id },
    { header: "会员 ID", value: (r) => r.memberId },
    { header: "会员", value: (r) => r.member.nickname ?? r.member.username },
    { header: "账户", value: (r) => BUCKET_LABEL[r.bucket as Bucket] ?? r.bucket },
    { header: "金额(元)", value: (r) => yuanCell(r.amountFen) },
    { header: "原因", value: (r) => r.reason },
    { header: "状态", value: (r) => STATUS_LABEL[r.status] },
    { header: "申请人", value: (r) => r.requestedBy.displayName },
    { header: "申请时间", value: (r) => time.format(r.requestedAt) },
    { header: "审批人", value: (r) => r.decidedBy?.displayName ?? "" },
    { header: "处理时间", value: (r) => (r.decidedAt ? time.format(r.decidedAt) : "") },
    { header: "驳回说明", value: (r) => r.decisionNote ?? "" },
  ];
}

export const adjustmentExport = {
  kind: "adjustments",
  area: "moneyExports",
  title: "手工调账",
  fromSearch: adjustmentFilterFromSearch,
  parse: (p: unknown) => adjustmentFilterSchema.parse(p),
  count: (db: Db, f: AdjustmentFilter) => countAdjustments(db, f),
  rows: (db: Db, f: AdjustmentFilter) => adjustmentExportRows(db, f),
  columns,
} as const;
