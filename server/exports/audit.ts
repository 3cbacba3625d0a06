// The audit log's CSV (owner, like the page): its filters, newest first, before/after as JSON; paged
// by id, so a large log is written by a background job.
import type { Db } from "../db";
import { auditExportBatch, auditFilterSchema, countAudit, type AuditFilter } from "../audit/query";
import { inBatches, type CsvColumn } from "./csv";

type Row = Awaited<ReturnType<typeof auditExportBatch>>[number];

function fromSearch(params: URLSearchParams): AuditFilter | null {
  const parsed = auditFilterSchema.safeParse(Object.fromEntries([...params].filter(([, v]) => v.trim() !== "")));
  return parsed.success ? parsed.data : null;
}

const json = (v: unknown) => (v === null || v === undefined ? "" : JSON.stringify(v));

function columns(timeZone: string): CsvColumn<Row>[] {
  const time = new Intl.DateTimeFormat("zh-CN", { timeZone, dateStyle: "short", timeStyle: "medium" });
  return [
    { header: "时间", value: (r) => time.format(r.createdAt) },
    { header: "操作人类型", value: (r) => r.actorType },
    { header: "操作人", value: (r) => r.actorName ?? "" },
    { header: "操作", value: (r) => r.action },
    { header: "对象", value: (r) => r.target },
    { header: "变更前", value: (r) => json(r.before) },
    { header: "变更后", value: (r) => json(r.after) },
    { header: "详情", value: (r) => json(r.data) },
    { header: "请求 ID", value: (r) => r.requestId ?? "" },
  ];
}

export const auditExport = {
  kind: "audit",
  area: "audit",
  title: "操作日志",
  fromSearch,
  parse: (p: unknown) => auditFilterSchema.parse(p),
  count: (db: Db, f: AuditFilter, tz: string) => countAudit(db, f, tz),
  rows: (db: Db, f: AuditFilter, tz: string) => inBatches((before, take) => auditExportBatch(db, f, tz, before, take)),
  columns,
} as const;
