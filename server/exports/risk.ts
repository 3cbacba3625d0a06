// The risk queue's CSV (risk reviewers, owner): members with open flags, the rules, when.
import type { Db } from "../db";
import { countRiskQueue, riskQueueExportPage, riskQueueFilterSchema, riskQueueWhere, type RiskQueueFilter } from "../risk/view";
import type { Translator } from "@/lib/i18n/core";
import { afterLast, csvTimeFormat, exportTranslator, type CsvColumn } from "./csv";

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

function columns(timeZone: string, t: Translator = exportTranslator()): CsvColumn<Row>[] {
  const time = csvTimeFormat(timeZone);
  return [
    { header: t("mx.csv.memberId"), value: (r) => r.id },
    { header: t("mx.csv.member"), value: (r) => r.nickname || r.username },
    // The rules as the queue's page names them; a rule the messages lack keeps the engine's label.
    { header: t("mx.csv.flags"), value: (r) => r.flags.map((f) => t.opt(`mr.rule.${f.rule}`, f.label)).join("; ") },
    { header: t("mx.csv.lastFlaggedAt"), value: (r) => (r.latestAt ? time(r.latestAt) : "") },
    { header: t("mx.csv.joinedAt"), value: (r) => time(r.createdAt) },
    { header: t("mx.csv.rejections"), value: (r) => r.rejectionCount },
    { header: t("mx.csv.frozen"), value: (r) => t(r.frozen ? "mm.yes" : "mm.no") },
  ];
}

export const riskExport = {
  kind: "risk",
  area: "risk",
  title: "mx.csv.file.risk",
  fromSearch,
  parse: (p: unknown) => riskQueueFilterSchema.parse(p),
  count: async (db: Db, f: RiskQueueFilter) => countRiskQueue(db, await riskQueueWhere(db, f)),
  rows: (db: Db, f: RiskQueueFilter) => riskExportRows(db, f),
  columns,
} as const;
