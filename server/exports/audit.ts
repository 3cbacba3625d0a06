// The audit log's CSV (owner, like the page): its filters, newest first, before/after as JSON; paged
// by id, so a large log is written by a background job.
import type { Db } from "../db";
import { auditExportBatch, auditFilterSchema, countAudit, type AuditFilter } from "../audit/query";
import { auditActionLabel, auditTargetLabel } from "../audit/display";
import type { Translator } from "@/lib/i18n/core";
import { csvTimeFormat, exportTranslator, inBatches, type CsvColumn } from "./csv";

type Row = Awaited<ReturnType<typeof auditExportBatch>>[number];

function fromSearch(params: URLSearchParams): AuditFilter | null {
  const parsed = auditFilterSchema.safeParse(Object.fromEntries([...params].filter(([, v]) => v.trim() !== "")));
  return parsed.success ? parsed.data : null;
}

const json = (v: unknown) => (v === null || v === undefined ? "" : JSON.stringify(v));

/** Who acted, by kind (system, staff, member); an unknown kind as its code. */
function actorTypeLabel(t: Translator, actorType: string): string {
  if (actorType === "system") return t("m.audit.system");
  return t.opt(`mx.csv.actor.${actorType}`, actorType);
}

function columns(timeZone: string, t: Translator = exportTranslator()): CsvColumn<Row>[] {
  const time = csvTimeFormat(timeZone);
  return [
    { header: t("mx.csv.time"), value: (r) => time(r.createdAt) },
    { header: t("mx.csv.actorType"), value: (r) => actorTypeLabel(t, r.actorType) },
    { header: t("mx.csv.actor"), value: (r) => r.actorName ?? "" },
    // The action's name as the log page shows it (the code where it has none).
    { header: t("mx.csv.action"), value: (r) => auditActionLabel(t, r.action) },
    // What the entry is about, in words as the log page shows it (the code where its kind has none).
    { header: t("mx.csv.target"), value: (r) => auditTargetLabel(t, r.target) },
    { header: t("mx.csv.before"), value: (r) => json(r.before) },
    { header: t("mx.csv.after"), value: (r) => json(r.after) },
    { header: t("mx.csv.data"), value: (r) => json(r.data) },
    { header: t("mx.csv.requestId"), value: (r) => r.requestId ?? "" },
  ];
}

export const auditExport = {
  kind: "audit",
  area: "audit",
  title: "m.audit.title",
  fromSearch,
  parse: (p: unknown) => auditFilterSchema.parse(p),
  count: (db: Db, f: AuditFilter, tz: string) => countAudit(db, f, tz),
  rows: (db: Db, f: AuditFilter, tz: string) => inBatches((before, take) => auditExportBatch(db, f, tz, before, take)),
  columns,
} as const;
