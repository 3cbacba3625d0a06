// The audit log's CSV (owner, like the page): its filters, newest first, before/after and details in the
// page's words ("label: value; …"); paged by id, so a large log is written by a background job.
import type { Db } from "../db";
import { auditExportBatch, auditFilterSchema, countAudit, type AuditFilter } from "../audit/query";
import { auditActionLabel, auditChanges, auditFields, auditTargetLabel } from "../audit/display";
import type { Translator } from "@/lib/i18n/core";
import { formatYuan } from "@/components/money";
import { csvTimeFormat, exportTranslator, inBatches, type CsvColumn } from "./csv";

type Row = Awaited<ReturnType<typeof auditExportBatch>>[number];

function fromSearch(params: URLSearchParams): AuditFilter | null {
  const parsed = auditFilterSchema.safeParse(Object.fromEntries([...params].filter(([, v]) => v.trim() !== "")));
  return parsed.success ? parsed.data : null;
}

/** "label: value; …": the facts of one side of an entry, or its details, as one cell. */
const facts = (pairs: { label: string; value: string | undefined }[]) =>
  pairs.flatMap((p) => (p.value === undefined ? [] : [`${p.label}: ${p.value}`])).join("; ");

/**
 * Before and after as the log page shows the change (server/audit/display.ts auditChanges: its labels and values, a
 * key that did not change left out), one cell per side as the file's columns always were; amounts ungrouped, as every CSV.
 */
function changeCells(t: Translator, timeZone: string, r: Row): { before: string; after: string } {
  const changes = auditChanges(t, timeZone, r.before, r.after, r.action, formatYuan, r.names);
  return {
    before: facts(changes.map((c) => ({ label: c.label, value: c.before }))),
    after: facts(changes.map((c) => ({ label: c.label, value: c.after }))),
  };
}

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
    { header: t("mx.csv.target"), value: (r) => auditTargetLabel(t, r.target, r.names) },
    { header: t("mx.csv.before"), value: (r) => changeCells(t, timeZone, r).before },
    { header: t("mx.csv.after"), value: (r) => changeCells(t, timeZone, r).after },
    { header: t("mx.csv.data"), value: (r) => facts(auditFields(t, timeZone, r.data, r.action, r.after, formatYuan, r.names)) },
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
