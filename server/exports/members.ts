// The member list's CSV (operator, support, owner): the list's filters and columns, phone masked,
// commission money in 元 with two decimals; paged by id, so a large export runs as a background job.
import type { Db } from "../db";
import { loadConfig } from "../context";
import { countMembers, memberExportBatch, memberFilterSchema, type MemberFilter, type MemberListRow } from "../members/admin";
import { inBatches, yuanCell, type CsvColumn } from "./csv";

function fromSearch(params: URLSearchParams): MemberFilter | null {
  const parsed = memberFilterSchema.safeParse(Object.fromEntries([...params].filter(([, v]) => v.trim() !== "")));
  return parsed.success ? parsed.data : null;
}

async function* rows(db: Db, f: MemberFilter): AsyncGenerator<MemberListRow> {
  const config = await loadConfig(db);
  yield* inBatches((after, take) => memberExportBatch(db, config, f, after, take));
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
  parse: (p: unknown) => memberFilterSchema.parse(p),
  count: async (db: Db, f: MemberFilter) => countMembers(db, await loadConfig(db), f),
  rows,
  columns,
} as const;
