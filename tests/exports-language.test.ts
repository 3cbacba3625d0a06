// Every back-office CSV export is written in the requester's language (the English browser walk found them all
// Chinese): headers, statuses, yes/no, tiers, actor kinds and audit actions by the pages' own words; dates in one
// form for both languages ("2026-03-10 10:00:00", the shop's time zone); a background job writes its file in the
// language of the staff member who queued it. The Chinese headers are the ones merchants' spreadsheets already use.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { registerMember } from "../server/referral";
import { audit } from "../server/audit";
import { exportDefinition } from "../server/exports/registry";
import { csvStream, exportTranslator } from "../server/exports/csv";
import { myExports, queueExport, runQueuedExports } from "../server/exports/jobs";
import { LocalDiskStorage } from "../server/storage";
import type { Locale } from "../lib/i18n/core";
import { exportFileText } from "./helpers/export-file";
import { freshPglite } from "./helpers/db";
import { shippedOrderWithRefundRequest } from "./helpers/aftersales";

const CJK = /[\u4e00-\u9fff]/;
const TZ = "Asia/Shanghai";
/** 2026-03-10 02:00 UTC: 10:00 in Shanghai. */
const AT = new Date("2026-03-10T02:00:00Z");

/** Each export's header row as it was written before languages (by hand, from the code that wrote it). */
const CHINESE_HEADERS: Record<string, string[]> = {
  orders: ["订单号", "买家", "会员 ID", "商品", "件数", "商品金额(元)", "实付(元)", "购物金抵扣(元)", "状态", "售后中", "优先发货", "下单时间", "支付时间", "物流"],
  products: ["商品 ID", "商品", "分类", "规格", "SKU 编码", "售价(元)", "库存", "上架", "排序"],
  "low-stock": ["商品", "规格", "SKU 编码", "售价(元)", "库存"],
  "stock-history": ["时间", "商品", "规格", "SKU 编码", "调整", "调整后库存", "原因", "操作人"],
  categories: ["标识", "名称", "排序", "商品数", "一级佣金", "二级佣金", "三级佣金", "佣金规则"],
  members: ["会员 ID", "昵称", "手机号", "邀请码", "等级", "推荐人", "分销资格", "冻结", "直推人数", "团队人数", "已结算佣金(元)", "待结算佣金(元)", "已提现(元)", "推广订单", "推广金额(元)", "注册时间", "最近活跃", "注销时间"],
  withdrawals: ["提现单号", "会员 ID", "会员", "手机号", "申请金额(元)", "手续费(元)", "实际打款(元)", "状态", "需审核人数", "审核记录", "申请时间", "处理时间", "失败/驳回原因"],
  adjustments: ["编号", "会员 ID", "会员", "账户", "金额(元)", "原因", "状态", "申请人", "申请时间", "审批人", "处理时间", "驳回说明"],
  "after-sales": ["售后单号", "订单号", "买家", "商品", "退款金额(元)", "其中购物金(元)", "原因", "说明", "照片数", "状态", "订单状态", "申请时间", "自动同意时间", "处理时间", "拒绝原因"],
  audit: ["时间", "操作人类型", "操作人", "操作", "对象", "变更前", "变更后", "详情", "请求 ID"],
  risk: ["会员 ID", "会员", "风险标记", "最近标记时间", "注册时间", "已驳回次数", "冻结"],
  staff: ["员工 ID", "用户名", "姓名", "角色", "两步验证", "状态", "待改初始密码", "创建时间", "最近登录"],
};

/**
 * A cell of the seeded data's row in each export, by its Chinese header, in both languages (the pages' words:
 * order.status.*, order.carrier.*, afterSales.status.*, withdrawal.status.*, ma.status.*, mr.rule.*, tier.*, m.role.*, m.audit.act.*).
 * low-stock has no such column (names and figures only): its headers alone are checked.
 */
const VALUES: Record<string, { column: string; zh: string; en: string }[]> = {
  orders: [
    { column: "状态", zh: "待收货", en: "Shipped" },
    { column: "售后中", zh: "是", en: "Yes" },
    { column: "物流", zh: "顺丰速运 SF1234567890", en: "SF Express SF1234567890" },
  ],
  products: [{ column: "上架", zh: "是", en: "Yes" }],
  "low-stock": [],
  "stock-history": [
    { column: "操作人", zh: "系统", en: "System" },
    { column: "时间", zh: "2026-03-10 10:00:00", en: "2026-03-10 10:00:00" },
  ],
  categories: [{ column: "佣金规则", zh: "默认比例", en: "Default rates" }],
  members: [
    { column: "等级", zh: "会员", en: "Member" },
    { column: "冻结", zh: "否", en: "No" },
  ],
  withdrawals: [
    { column: "状态", zh: "待审核", en: "Under review" },
    { column: "申请时间", zh: "2026-03-10 10:00:00", en: "2026-03-10 10:00:00" },
  ],
  adjustments: [
    { column: "状态", zh: "待审批", en: "Awaiting approval" },
    { column: "账户", zh: "可提现", en: "Available" },
  ],
  "after-sales": [
    { column: "状态", zh: "待商家处理", en: "Waiting for the shop" },
    { column: "订单状态", zh: "待收货", en: "Shipped" },
    { column: "原因", zh: "其他", en: "Other" },
  ],
  audit: [
    { column: "操作人类型", zh: "员工", en: "Staff" },
    { column: "操作", zh: "冻结会员", en: "Member frozen" },
    { column: "时间", zh: "2026-03-10 10:00:00", en: "2026-03-10 10:00:00" },
  ],
  risk: [
    { column: "风险标记", zh: "与上级同一 IP", en: "Same IP as the sponsor" },
    { column: "冻结", zh: "否", en: "No" },
  ],
  staff: [
    { column: "角色", zh: "运营", en: "Operator" },
    { column: "状态", zh: "正常", en: "Active" },
    { column: "两步验证", zh: "未开启", en: "Off" },
    { column: "创建时间", zh: "2026-03-10 10:00:00", en: "2026-03-10 10:00:00" },
  ],
};

/** The rows of a CSV text (after its BOM): fields split at commas outside quotes, "" inside quotes unescaped. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && (c === "," || c === "\n")) {
      row.push(cell);
      cell = "";
      if (c === "\n") {
        rows.push(row);
        row = [];
      }
    } else {
      cell += c;
    }
  }
  if (cell !== "" || row.length) rows.push([...row, cell]);
  return rows;
}

let database: Database;
let operatorId: number;
const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, {}, fn);

beforeAll(async () => {
  database = await freshPglite();
  const db = database.prisma;
  // One shipped order with a pending refund request (orders, after-sales, products, low-stock, categories, members).
  const { buyer, order } = await shippedOrderWithRefundRequest(database, { reason: "other", detail: "盒子压坏" });
  await db.shipment.create({ data: { orderId: order.id, carrier: "SF", trackingNo: "SF1234567890", createdAt: AT } });
  const operator = await db.staffAccount.create({ data: { username: "op-li", displayName: "李运营", role: "operator", passwordHash: "-", createdAt: AT } });
  operatorId = operator.id;
  const sku = await db.sku.findFirstOrThrow({ where: { code: "tea" } });
  await db.stockAdjustment.create({ data: { skuId: sku.id, delta: 5, stockAfter: 15, reason: "入库", actorId: null, createdAt: AT } });
  await db.withdrawal.create({ data: { memberId: buyer, amountFen: 10_000, status: "PENDING_REVIEW", approvalsNeeded: 1, createdAt: AT } });
  await db.ledgerAdjustment.create({ data: { memberId: buyer, bucket: "available", amountFen: 500, reason: "补偿", status: "PENDING_APPROVAL", requestedById: operator.id, requestedAt: AT } });
  await audit(db, { actor: { type: "staff", id: operator.id }, action: "member.frozen", target: `member:${buyer}`, now: AT });
  const sponsor = await run((ctx) => registerMember(ctx, { username: "sponsor", nickname: "上级", ip: "2.2.2.2", device: "ds" }));
  const event = await db.riskEvent.create({ data: { rule: "shared_ip", memberIds: [sponsor.id, buyer], evidence: {}, createdAt: AT } });
  await db.riskFlag.create({ data: { memberId: buyer, eventId: event.id, createdAt: AT } });
});
afterAll(() => database.close());

async function csvOf(kind: string, locale: Locale): Promise<string[][]> {
  const def = exportDefinition(kind)!;
  const filter = def.fromSearch(new URLSearchParams(kind === "after-sales" ? "status=all" : ""));
  const stream = csvStream(def.columns(TZ, exportTranslator(locale)), def.rows(database.prisma, filter, TZ));
  const text = Buffer.from(await new Response(stream).arrayBuffer()).toString("utf8");
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return parseCsv(text.slice(1));
}

describe.each(Object.keys(CHINESE_HEADERS))("the %s export", (kind) => {
  it("in Chinese: the header row of today, the values in the pages' Chinese words, dates as YYYY-MM-DD HH:mm:ss", async () => {
    const [header, ...rows] = await csvOf(kind, "zh-CN");
    expect(header).toEqual(CHINESE_HEADERS[kind]);
    expect(rows.length).toBeGreaterThan(0);
    for (const { column, zh } of VALUES[kind]!) expect(rows.map((r) => r[header!.indexOf(column)]), column).toContain(zh);
  });

  it("in English: no Chinese in the header row, the values in the pages' English words, the same dates", async () => {
    const [header, ...rows] = await csvOf(kind, "en");
    expect(header).toHaveLength(CHINESE_HEADERS[kind]!.length);
    for (const h of header!) expect(h, h).not.toMatch(CJK);
    for (const { column, en } of VALUES[kind]!) expect(rows.map((r) => r[CHINESE_HEADERS[kind]!.indexOf(column)]), column).toContain(en);
  });

  it("its file name stem in the requester's language", () => {
    const title = exportDefinition(kind)!.title;
    expect(exportTranslator("zh-CN")(title)).toMatch(CJK);
    expect(exportTranslator("en")(title)).not.toMatch(CJK);
  });
});

describe("a background export", () => {
  it("is written in the language of the staff member who queued it, whatever the worker's", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "fm-exports-lang-"));
    try {
      const storage = new LocalDiskStorage(dir);
      const staff = { staffId: operatorId, role: "operator" as const };
      const en = await run((ctx) => queueExport(ctx, staff, { kind: "orders", filter: {}, rowsTotal: 1, fileName: "Orders-2026-03-10.csv", locale: "en" }));
      const zh = await run((ctx) => queueExport(ctx, staff, { kind: "orders", filter: {}, rowsTotal: 1, fileName: "订单列表-2026-03-10.csv", locale: "zh-CN" }));
      expect(await runQueuedExports(database.prisma, storage)).toBe(2);

      const [enHeader, enRow] = parseCsv((await exportFileText(database.prisma, storage, staff, en.id)).slice(1));
      for (const h of enHeader!) expect(h, h).not.toMatch(CJK);
      expect(enRow![8]).toBe("Shipped");
      const [zhHeader, zhRow] = parseCsv((await exportFileText(database.prisma, storage, staff, zh.id)).slice(1));
      expect(zhHeader).toEqual(CHINESE_HEADERS.orders);
      expect(zhRow![8]).toBe("待收货");

      const mine = await myExports(database.prisma, staff);
      expect(mine.find((j) => j.id === en.id)).toMatchObject({ title: "Orders", fileName: "Orders-2026-03-10.csv" });
      expect(mine.find((j) => j.id === zh.id)).toMatchObject({ title: "订单列表" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("queued before languages were kept (no language in its params) is written in Chinese, its filter read as before", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "fm-exports-lang-"));
    try {
      const storage = new LocalDiskStorage(dir);
      const job = await database.prisma.exportJob.create({ data: { staffId: operatorId, kind: "staff", params: {}, rowsTotal: 1, fileName: "员工列表.csv", createdAt: new Date() } });
      // Staff lists are the owner's: the file is checked as written, not downloaded.
      expect(await runQueuedExports(database.prisma, storage)).toBe(1);
      const done = await database.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } });
      expect(done.status).toBe("DONE");
      const text = Buffer.from(await new Response((await storage.getStream(done.fileKey!))!.body).arrayBuffer()).toString("utf8");
      expect(parseCsv(text.slice(1))[0]).toEqual(CHINESE_HEADERS.staff);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
