// The staff accounts' CSV (owner, like the page): role, second factor, status, last sign-in. Never a
// password hash or a TOTP secret (listStaff selects only the public fields).
import { z } from "zod";
import type { Db } from "../db";
import { listStaff } from "../staff/accounts";
import type { Translator } from "@/lib/i18n/core";
import { csvTimeFormat, exportTranslator, type CsvColumn } from "./csv";

type Row = Awaited<ReturnType<typeof listStaff>>[number];
const noFilter = z.object({});

function columns(timeZone: string, t: Translator = exportTranslator()): CsvColumn<Row>[] {
  const time = csvTimeFormat(timeZone);
  return [
    { header: t("mx.csv.staffId"), value: (r) => r.id },
    { header: t("mx.csv.username"), value: (r) => r.username },
    { header: t("mx.csv.displayName"), value: (r) => r.displayName },
    { header: t("mx.csv.role"), value: (r) => t.opt(`m.role.${r.role}`, r.role) },
    { header: t("mx.csv.totp"), value: (r) => t(r.totpEnabledAt ? "mx.csv.totpOn" : "mx.csv.totpOff") },
    { header: t("mx.csv.status"), value: (r) => t(r.disabledAt ? "m.staff.disabled" : "mm.active") },
    { header: t("mx.csv.mustChangePassword"), value: (r) => (r.mustChangePassword ? t("mm.yes") : "") },
    { header: t("mx.csv.createdAt"), value: (r) => time(r.createdAt) },
    { header: t("mx.csv.lastSignInAt"), value: (r) => (r.lastSignInAt ? time(r.lastSignInAt) : "") },
  ];
}

export const staffExport = {
  kind: "staff",
  area: "staff",
  title: "mx.csv.file.staff",
  fromSearch: (): Record<string, never> => ({}),
  parse: (p: unknown) => noFilter.parse(p),
  count: (db: Db) => db.staffAccount.count(),
  async *rows(db: Db) {
    yield* await listStaff(db);
  },
  columns,
} as const;
