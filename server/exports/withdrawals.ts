// The finance CSV of withdrawals (issue 9): the queue's filters, money in 元 with two decimals, the
// fee and the amount paid out, who asked and who decided.
import type { Db } from "../db";
import { WITHDRAWAL_SORTS, withdrawalFilterSchema, withdrawalExportPage, countWithdrawals, type WithdrawalFilter } from "../wallet/review";
import { WITHDRAWAL_LABEL } from "../wallet/view";
import { yuanInputToFen } from "../money";
import { afterLast, yuanCell, type CsvColumn } from "./csv";

type Row = Awaited<ReturnType<typeof withdrawalExportPage>>[number];

/** Every withdrawal of the filter in the queue's order, `take` per query, each page seeking after the last row written. */
export function withdrawalExportRows(db: Db, f: WithdrawalFilter, tz: string, take = 500): AsyncGenerator<Row> {
  return afterLast((after, n) => withdrawalExportPage(db, f, tz, after, n), take);
}

/** The page's URL parameters (amounts typed in 元) as the queue's filter; null when malformed. */
export function withdrawalFilterFromSearch(params: URLSearchParams): WithdrawalFilter | null {
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const fen = (k: string) => {
    const v = get(k);
    if (v === undefined) return undefined;
    return yuanInputToFen(v) ?? Number.NaN;
  };
  // The table's sort only when it is one the export knows (a column without server sort is ignored).
  const sort = (WITHDRAWAL_SORTS as readonly string[]).includes(get("sort") ?? "") ? get("sort") : undefined;
  const parsed = withdrawalFilterSchema.safeParse({ status: get("status"), from: get("from"), to: get("to"), member: get("member"), minFen: fen("min"), maxFen: fen("max"), sort });
  return parsed.success ? parsed.data : null;
}

export function withdrawalCsvColumns(timeZone: string): CsvColumn<Row>[] {
  const time = new Intl.DateTimeFormat("zh-CN", { timeZone, dateStyle: "short", timeStyle: "medium" });
  return [
    { header: "提现单号", value: (r) => r.payoutNo ?? `WD${r.id}` },
    { header: "会员 ID", value: (r) => r.memberId },
    { header: "会员", value: (r) => r.member.nickname ?? r.member.username },
    { header: "手机号", value: (r) => r.member.phoneMasked ?? "" },
    { header: "申请金额(元)", value: (r) => yuanCell(r.amountFen) },
    { header: "手续费(元)", value: (r) => yuanCell(r.feeFen) },
    { header: "实际打款(元)", value: (r) => yuanCell(r.netFen) },
    { header: "状态", value: (r) => WITHDRAWAL_LABEL[r.status] },
    { header: "需审核人数", value: (r) => r.approvalsNeeded },
    { header: "审核记录", value: (r) => r.approvals.map((a) => `${a.staff.displayName}:${a.decision === "approve" ? "通过" : "驳回"}`).join("; ") },
    { header: "申请时间", value: (r) => time.format(r.createdAt) },
    { header: "处理时间", value: (r) => (r.decidedAt ? time.format(r.decidedAt) : "") },
    { header: "失败/驳回原因", value: (r) => r.failReason ?? "" },
  ];
}

export const withdrawalExport = {
  kind: "withdrawals",
  area: "moneyExports",
  title: "提现记录",
  fromSearch: withdrawalFilterFromSearch,
  parse: (p: unknown) => withdrawalFilterSchema.parse(p),
  count: (db: Db, f: WithdrawalFilter, tz: string) => countWithdrawals(db, f, tz),
  rows: (db: Db, f: WithdrawalFilter, tz: string) => withdrawalExportRows(db, f, tz),
  columns: withdrawalCsvColumns,
} as const;
