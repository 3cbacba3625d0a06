// The member list's CSV (operator, support, owner): the list's filters, sort and columns, phone masked,
// commission money in 元 with two decimals; paged by keyset in the list's order, so a large export runs as a background job.
import { z } from "zod";
import type { Db } from "../db";
import { loadConfig } from "../context";
import { countMembers, MEMBER_SORT_KEYS, memberExportPage, memberFilterSchema, type MemberListRow } from "../members/admin";
import { afterLast, yuanCell, type CsvColumn } from "./csv";

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

function columns(timeZone: string): CsvColumn<MemberListRow>[] {
  const time = new Intl.DateTimeFormat("zh-CN", { timeZone, dateStyle: "short", timeStyle: "medium" });
  return [
    { header: "会员 ID", value: (r) => r.id },
    { header: "昵称", value: (r) => r.nickname ?? r.username },
    { header: "手机号", value: (r) => r.phoneMasked ?? "" },
    { header: "邀请码", value: (r) => r.referralCode },
    { header: "等级", value: (r) => r.tier },
    { header: "推荐人", value: (r) => (r.sponsor ? `${r.sponsor.name} (#${r.sponsor.id})` : "") },
    { header: "分销资格", value: (r) => (r.distributor ? "是" : "否") },
    { header: "冻结", value: (r) => (r.frozen ? "是" : "否") },
    { header: "直推人数", value: (r) => r.directs },
    { header: "团队人数", value: (r) => r.teamSize },
    { header: "已结算佣金(元)", value: (r) => yuanCell(r.earnedFen) },
    { header: "待结算佣金(元)", value: (r) => yuanCell(r.pendingFen) },
    { header: "已提现(元)", value: (r) => yuanCell(r.withdrawnFen) },
    { header: "推广订单", value: (r) => r.promotionOrders },
    { header: "推广金额(元)", value: (r) => yuanCell(r.promotionFen) },
    { header: "注册时间", value: (r) => time.format(r.createdAt) },
    { header: "最近活跃", value: (r) => (r.lastActiveAt ? time.format(r.lastActiveAt) : "") },
    // Last, so the columns before keep their places in the spreadsheets merchants already use.
    { header: "注销时间", value: (r) => (r.deletedAt ? time.format(r.deletedAt) : "") },
  ];
}

export const memberExport = {
  kind: "members",
  area: "membersRead",
  title: "会员列表",
  fromSearch,
  parse: (p: unknown) => filterSchema.parse(p),
  count: async (db: Db, f: MemberExportFilter) => countMembers(db, await loadConfig(db), f),
  rows: (db: Db, f: MemberExportFilter) => memberExportRows(db, f),
  columns,
} as const;
