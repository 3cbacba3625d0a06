// The risk queue's CSV (risk reviewers, owner): members with open flags, the rules, when.
import type { Db } from "../db";
import { riskQueueFilterSchema, riskQueuePage, type RiskQueueFilter } from "../risk/view";
import { inPages, type CsvColumn } from "./csv";

type Row = Awaited<ReturnType<typeof riskQueuePage>>["items"][number];
/** riskQueuePage's page size limit: a batch is several of its pages. */
const PAGE = 100;

function fromSearch(params: URLSearchParams): RiskQueueFilter | null {
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const parsed = riskQueueFilterSchema.safeParse({ rule: get("rule"), member: get("member") });
  return parsed.success ? parsed.data : null;
}

async function batch(db: Db, f: RiskQueueFilter, _tz: string, skip: number, take: number): Promise<Row[]> {
  const out: Row[] = [];
  for (let s = skip; s < skip + take; s += PAGE) {
    const page = await riskQueuePage(db, { ...f, page: Math.floor(s / PAGE) + 1, pageSize: PAGE });
    out.push(...page.items);
    if (page.items.length < PAGE) break;
  }
  return out;
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
  count: async (db: Db, f: RiskQueueFilter) => (await riskQueuePage(db, { ...f, pageSize: 1 })).total,
  rows: (db: Db, f: RiskQueueFilter, tz: string) => inPages((skip, take) => batch(db, f, tz, skip, take)),
  columns,
} as const;
