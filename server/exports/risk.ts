// The risk queue's CSV (risk reviewers, owner): members with open flags, the rules, when.
import type { Db } from "../db";
import { countRiskQueue, riskQueueExportPage, riskQueueFilterSchema, riskQueueWhere, type RiskQueueFilter } from "../risk/view";
import { afterLast, type CsvColumn } from "./csv";

type Row = Awaited<ReturnType<typeof riskQueueExportPage>>[number];

function fromSearch(params: URLSearchParams): RiskQueueFilter | null {
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const parsed = riskQueueFilterSchema.safeParse({ rule: get("rule"), member: get("member") });
  return parsed.success ? parsed.data : null;
}

/** Every member of the queue in its order, `take` per page, each page seeking after the last row written. */
export async function* riskExportRows(db: Db, f: RiskQueueFilter, take = 500): AsyncGenerator<Row> {
  // A nickname is resolved to member ids once for the whole file, not once a page.
  const where = await riskQueueWhere(db, f);
  yield* afterLast((after, n) => riskQueueExportPage(db, where, after, n), take);
}

function columns(timeZone: string): CsvColumn<Row>[] {
  const time = new Intl.DateTimeFormat("zh-CN", { timeZone, dateStyle: "short", timeStyle: "medium" });
  return [
    { header: "会员 ID", value: (r) => r.id },
    { header: "会员", value: (r) => r.nickname || r.username },
    { header: "风险标记", value: (r) => r.flags.map((f) => f.label).join("; ") },
    { header: "最近标记时间", value: (r) => (r.latestAt ? time.format(r.latestAt) : "") },
    { header: "注册时间", value: (r) => time.format(r.createdAt) },
    { header: "已驳回次数", value: (r) => r.rejectionCount },
    { header: "冻结", value: (r) => (r.frozen ? "是" : "否") },
  ];
}

export const riskExport = {
  kind: "risk",
  area: "risk",
  title: "风控待审核",
  fromSearch,
  parse: (p: unknown) => riskQueueFilterSchema.parse(p),
  count: async (db: Db, f: RiskQueueFilter) => countRiskQueue(db, await riskQueueWhere(db, f)),
  rows: (db: Db, f: RiskQueueFilter) => riskExportRows(db, f),
  columns,
} as const;
