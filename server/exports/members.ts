// The member list's CSV (operator, support, owner): the list's filters, sort and columns, phone masked,
// commission money in 元 with two decimals; paged by keyset in the list's order, so a large export runs as a background job.
import { z } from "zod";
import type { Db } from "../db";
import { loadConfig } from "../context";
import { countMembers, MEMBER_SORT_KEYS, memberExportPage, memberFilterSchema, type MemberListRow } from "../members/admin";
import type { Translator } from "@/lib/i18n/core";
import { afterLast, csvTimeFormat, exportTranslator, yuanCell, type CsvColumn } from "./csv";

type SortParam = `${(typeof MEMBER_SORT_KEYS)[number]}.${"asc" | "desc"}`;
/** The list's sort as its URL carries it ("teamSize.asc"); none is the list's default, newest first. */
const SORTS = MEMBER_SORT_KEYS.flatMap((k) => [`${k}.desc`, `${k}.asc`] as const) as [SortParam, ...SortParam[]];
const filterSchema = memberFilterSchema.extend({ sort: z.enum(SORTS).optional() });
export type MemberExportFilter = z.infer<typeof filterSchema>;

function fromSearch(params: URLSearchParams): MemberExportFilter | null {
  // The table's sort only when the list sorts by it: the list ignores any other too.
  const given = [...params].filter(([k, v]) => v.trim() !== "" && (k !== "sort" || (SORTS as string[]).includes(v)));
  const parsed = filterSchema.safeParse(Object.fromEntries(given));
  return parsed.success ? parsed.data : null;
}

/** Every member of the filter in the list's order, `take` per query, each page seeking after the last row written. */
export async function* memberExportRows(db: Db, f: MemberExportFilter, take = 500): AsyncGenerator<MemberListRow> {
  const config = await loadConfig(db);
  const [id, dir] = (f.sort ?? "createdAt.desc").split(".") as [string, string];
  yield* afterLast((after, n) => memberExportPage(db, config, f, { id, desc: dir === "desc" }, after, n), take);
}

function columns(timeZone: string, t: Translator = exportTranslator()): CsvColumn<MemberListRow>[] {
  const time = csvTimeFormat(timeZone);
  const yesNo = (v: boolean) => t(v ? "mm.yes" : "mm.no");
  return [
    { header: t("mx.csv.memberId"), value: (r) => r.id },
    { header: t("mx.csv.nickname"), value: (r) => r.nickname ?? r.username },
    { header: t("mx.csv.phone"), value: (r) => r.phoneMasked ?? "" },
    { header: t("mx.csv.referralCode"), value: (r) => r.referralCode },
    // The tier as the member list names it: the shop's translation, else the configured name.
    { header: t("mx.csv.tier"), value: (r) => t.opt(`tier.${r.tier}`, r.tier) },
    { header: t("mx.csv.sponsor"), value: (r) => (r.sponsor ? `${r.sponsor.name} (#${r.sponsor.id})` : "") },
    { header: t("mx.csv.distributor"), value: (r) => yesNo(r.distributor) },
    { header: t("mx.csv.frozen"), value: (r) => yesNo(r.frozen) },
    { header: t("mx.csv.directs"), value: (r) => r.directs },
    { header: t("mx.csv.teamSize"), value: (r) => r.teamSize },
    { header: t("mx.csv.earnedYuan"), value: (r) => yuanCell(r.earnedFen) },
    { header: t("mx.csv.pendingYuan"), value: (r) => yuanCell(r.pendingFen) },
    { header: t("mx.csv.withdrawnYuan"), value: (r) => yuanCell(r.withdrawnFen) },
    { header: t("mx.csv.promotionOrders"), value: (r) => r.promotionOrders },
    { header: t("mx.csv.promotionYuan"), value: (r) => yuanCell(r.promotionFen) },
    { header: t("mx.csv.joinedAt"), value: (r) => time(r.createdAt) },
    { header: t("mx.csv.lastActiveAt"), value: (r) => (r.lastActiveAt ? time(r.lastActiveAt) : "") },
    // Last, so the columns before keep their places in the spreadsheets merchants already use.
    { header: t("mx.csv.deletedAt"), value: (r) => (r.deletedAt ? time(r.deletedAt) : "") },
  ];
}

export const memberExport = {
  kind: "members",
  area: "membersRead",
  title: "mx.csv.file.members",
  fromSearch,
  parse: (p: unknown) => filterSchema.parse(p),
  count: async (db: Db, f: MemberExportFilter) => countMembers(db, await loadConfig(db), f),
  rows: (db: Db, f: MemberExportFilter) => memberExportRows(db, f),
  columns,
} as const;
