// The member list's CSV (/merchant/members/export): the list's columns, money in 元 with two decimals.
import type { MallConfig } from "../config/schema";
import type { Db } from "../db";
import { csvStream, inBatches, yuanCell, type CsvColumn } from "../exports/csv";
import { memberExportBatch, type MemberFilter, type MemberListRow } from "./admin";

export function memberCsvColumns(timeZone: string): CsvColumn<MemberListRow>[] {
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
    { header: "注册时间", value: (r) => time.format(r.createdAt) },
  ];
}

/** The whole filtered list as a streamed CSV (UTF-8 BOM), paged through the database by id. */
export function memberCsv(db: Db, config: MallConfig, filter: MemberFilter): ReadableStream<Uint8Array> {
  return csvStream(memberCsvColumns(config.timeZone), inBatches((after, take) => memberExportBatch(db, config, filter, after, take)));
}
