// The finance CSV of withdrawals (issue 9): the queue's filters, money in 元 with two decimals, the
// fee and the amount paid out, who asked and who decided.
import type { Db } from "../db";
import { WITHDRAWAL_SORTS, withdrawalFilterSchema, withdrawalExportPage, countWithdrawals, reasonNow, riskHeldNow, type WithdrawalFilter } from "../wallet/review";
import { WITHDRAWAL_LABEL } from "../wallet/view";
import { yuanInputToFen } from "../money";
import type { Translator } from "@/lib/i18n/core";
import { afterLast, csvTimeFormat, exportTranslator, yuanCell, type CsvColumn } from "./csv";

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
  const parsed = withdrawalFilterSchema.safeParse({ status: get("status"), from: get("from"), to: get("to"), member: get("member"), minFen: fen("min"), maxFen: fen("max"), flagged: get("risk") === "flagged" || undefined, blocked: get("payout") === "blocked" || undefined, sort });
  return parsed.success ? parsed.data : null;
}

export function withdrawalCsvColumns(timeZone: string, t: Translator = exportTranslator()): CsvColumn<Row>[] {
  const time = csvTimeFormat(timeZone);
  return [
    { header: t("mx.csv.withdrawalNo"), value: (r) => r.payoutNo ?? `WD${r.id}` },
    { header: t("mx.csv.memberId"), value: (r) => r.memberId },
    { header: t("mx.csv.member"), value: (r) => r.member.nickname ?? r.member.username },
    { header: t("mx.csv.phone"), value: (r) => r.member.phoneMasked ?? "" },
    { header: t("mx.csv.requestedYuan"), value: (r) => yuanCell(r.amountFen) },
    { header: t("mx.csv.feeYuan"), value: (r) => yuanCell(r.feeFen) },
    { header: t("mx.csv.netYuan"), value: (r) => yuanCell(r.netFen) },
    { header: t("mx.csv.status"), value: (r) => t.opt(`withdrawal.status.${r.status}`, WITHDRAWAL_LABEL[r.status]) },
    { header: t("mx.csv.approvalsNeeded"), value: (r) => r.approvalsNeeded },
    { header: t("mx.csv.approvalLog"), value: (r) => r.approvals.map((a) => `${a.staff.displayName}:${t(a.decision === "approve" ? "mx.csv.approved" : "mx.csv.rejected")}`).join("; ") },
    { header: t("mx.csv.requestedAt"), value: (r) => time(r.createdAt) },
    { header: t("mx.csv.decidedAt"), value: (r) => (r.decidedAt ? time(r.decidedAt) : "") },
    { header: t("mx.csv.failReason"), value: (r) => (riskHeldNow(r) ? t("mw.risk.held") : (reasonNow(r) ?? "")) },
  ];
}

export const withdrawalExport = {
  kind: "withdrawals",
  area: "moneyExports",
  title: "mx.csv.file.withdrawals",
  fromSearch: withdrawalFilterFromSearch,
  parse: (p: unknown) => withdrawalFilterSchema.parse(p),
  count: (db: Db, f: WithdrawalFilter, tz: string) => countWithdrawals(db, f, tz),
  rows: (db: Db, f: WithdrawalFilter, tz: string) => withdrawalExportRows(db, f, tz),
  columns: withdrawalCsvColumns,
} as const;
