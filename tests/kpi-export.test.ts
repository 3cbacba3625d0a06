// The KPI CSV export is what /merchant/kpi shows (review): each card with this period's value, the previous
// period's and the change (a signed number, its unit beside it), as the page formats them from the same kpiDashboard result; the liabilities and the
// top distributors; then the daily rows. Its download is audited like every other export (export.downloaded).
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { DAY } from "../server/clock/time";
import { inTx } from "../server/context";
import { refundOrder } from "../server/orders";
import { kpiDashboard, periodsFor } from "../server/kpi/dashboard";
import { CARD_FIGURES, CARDS, cardChange } from "../app/merchant/kpi/cards";
import { formatFen } from "../components/money";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { freshDatabase } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";
import { membersAt, teaShop } from "./helpers/shop";

const holder = vi.hoisted(() => ({ db: null as unknown, staffToken: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  cookies: async () => ({ get: (name: string) => (name === "fm_staff" && holder.staffToken ? { name, value: holder.staffToken } : undefined) }),
  headers: async () => new Headers(),
}));

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
let database: Database;
let ownerId: number;
let sponsorId: number;

beforeAll(async () => {
  database = await freshDatabase();
  holder.db = database.prisma;
  const owner = await signedInStaff(database.prisma, "owner");
  holder.staffToken = owner.token;
  ownerId = owner.id;
  await teaShop(database.prisma, 10_000);
  // The route reads the real clock: the previous 7 days get the sponsor's own ¥100 order (9 days ago), this
  // period two invitees' ¥100 orders (2 days ago), each earning the sponsor a level-1 commission.
  const now = Date.now();
  const before = membersAt(database.prisma, new Date(now - 9 * DAY), new Date(now - 9 * DAY));
  sponsorId = await before.reg("sponsor", null);
  await before.buy(sponsorId);
  const during = membersAt(database.prisma, new Date(now - 2 * DAY), new Date(now - 2 * DAY));
  for (const u of ["a", "b"]) await during.buy(await during.reg(u, sponsorId));
  const own = await database.prisma.order.findFirstOrThrow({ where: { memberId: sponsorId } });
  expect((await inTx(database.prisma, { now: new Date(now - DAY) }, (ctx) => refundOrder(ctx, own.id))).refunded).toBe(true);
});
afterAll(() => database.close());

async function exportResponse(query: string, cookie?: string) {
  const { GET } = await import("../app/merchant/kpi/export/route");
  const res = await GET(new Request(`http://127.0.0.1/merchant/kpi/export?${query}`, { headers: { "x-request-id": "req-kpi-export", ...(cookie ? { cookie } : {}) } }));
  expect(res.status).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  // UTF-8 BOM (Excel); TextDecoder drops it.
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return { rows: Papa.parse<string[]>(new TextDecoder().decode(bytes), { skipEmptyLines: false }).data, disposition: res.headers.get("content-disposition") ?? "" };
}

async function exportCsv(query: string) {
  return (await exportResponse(query)).rows;
}

/** The rows after the one whose first cell is `title`, up to the next empty row. */
function section(rows: string[][], title: string): string[][] {
  const start = rows.findIndex((r) => r[0] === title);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = rows.findIndex((r, i) => i > start && r.length === 1 && r[0] === "");
  return rows.slice(start + 1, end < 0 ? undefined : end);
}

describe("the KPI CSV export (近 7 天)", () => {
  it("has the page's cards (this period, previous, change), liabilities and top distributors, then the days", async () => {
    const rows = await exportCsv("preset=7d");
    const d = await kpiDashboard(database.prisma, await periodsFor(database.prisma, { preset: "7d" }, new Date()));

    const cards = section(rows, "指标");
    expect(cards.map((r) => r[0])).toEqual(CARD_FIGURES.map((c) => (c.amount ? `${zh(c.label)}(元)` : zh(c.label))));
    for (const [i, c] of CARD_FIGURES.entries()) {
      const cur = c.value(d.current);
      const prev = c.value(d.previous);
      const delta = cardChange(c, cur, prev);
      const unit = delta ? (delta.unit === "points" ? "个百分点" : "%") : "";
      // The CSV's amounts are plain 元 (no ¥, no thousands separators) under a name saying 元; the rest as the page shows them.
      const cell = (v: number | null) => (v === null ? "—" : c.amount ? formatFen(v) : c.format(v));
      expect(cards[i], c.id).toEqual([c.amount ? `${zh(c.label)}(元)` : zh(c.label), cell(cur), cell(prev), delta?.amount ?? "", unit]);
    }
    for (const r of cards) expect(r.join(","), r[0]).not.toContain("¥");
    const card = (label: string) => cards.find((r) => r[0] === label)!;
    // By hand: two ¥100 orders this period against one before: GMV 200.00 vs 100.00 元, +100.0%; 客单价 100.00 元 both.
    expect(card("GMV(元)")).toEqual(["GMV(元)", "200.00", "100.00", "+100.0", "%"]);
    expect(card("客单价(元)")).toEqual(["客单价(元)", "100.00", "100.00", "0.0", "%"]);
    // Both buyers came through the sponsor: 100% of GMV against 0% (the sponsor had none): +100.0 points.
    expect(card("推荐成交占比")).toEqual(["推荐成交占比", "100.0%", "0.0%", "+100.0", "个百分点"]);
    // One member earned commissions this period (a distinct count), none before: no relative change.
    expect(card("活跃分销员")).toEqual(["活跃分销员", "1", "0", "", ""]);
    // The sponsor's own ¥100 order (paid 9 days ago) refunded a day ago: ¥100 and 1 order against none (no relative
    // change from 0), and 100/200 of this period's GMV against 0%: +50.0 points.
    expect(card("退款金额(元)")).toEqual(["退款金额(元)", "100.00", "0.00", "", ""]);
    expect(card("退款订单")).toEqual(["退款订单", "1", "0", "", ""]);
    expect(card("退款率")).toEqual(["退款率", "50.0%", "0.0%", "+50.0", "个百分点"]);

    const liabilities = section(rows, "待付负债（期末）");
    expect(liabilities).toEqual([
      ["项目", "金额(元)"],
      ["待结算佣金", formatFen(d.liabilities.pendingCommissionFen)],
      ["待发放返现", formatFen(d.liabilities.pendingCashbackFen)],
      ["提现中", formatFen(d.liabilities.withdrawingFen)],
      ["会员可提现余额", formatFen(d.liabilities.availableFen)],
      ["会员购物余额", formatFen(d.liabilities.creditFen)],
    ]);
    // The sponsor's two level-1 commissions of this period are still pending: a plain amount, no ¥.
    expect(d.liabilities.pendingCommissionFen).toBeGreaterThan(0);
    expect(liabilities[1]![1]).toMatch(/^\d+\.\d{2}$/);

    const top = section(rows, "分销员排行");
    expect(top[0]).toEqual(["排名", "会员", "佣金(元)"]);
    expect(top.slice(1)).toEqual(d.top.map((m, i) => [String(i + 1), m.name, formatFen(m.earnedFen)]));
    expect(d.top.map((m) => m.memberId)).toEqual([sponsorId]);

    const daily = section(rows, "每日明细");
    expect(daily[0]![0]).toBe("日期");
    expect(daily.slice(1).filter((r) => r.length > 1).map((r) => r[0])).toEqual(d.series.map((s) => s.day));
    expect(daily.slice(1).reduce((s, r) => s + Number(r[1] ?? 0), 0)).toBe(200);
  });

  it("is audited: who, the period asked for and how many days, with the request's id", async () => {
    const before = await database.prisma.auditLog.count({ where: { action: "export.downloaded" } });
    await exportCsv("preset=7d");
    const entries = await database.prisma.auditLog.findMany({ where: { action: "export.downloaded" }, orderBy: { id: "asc" } });
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)).toMatchObject({ actorType: "staff", actorId: ownerId, target: "export:kpi", requestId: "req-kpi-export", data: { kind: "kpi", rows: 7, filter: { preset: "7d" } } });
  });
});

describe("the daily rows' headers and the file name", () => {
  it("are in the viewer's language: Chinese as before, English without a Chinese character", async () => {
    const zhExport = await exportResponse("preset=7d");
    expect(section(zhExport.rows, "每日明细")[0]).toEqual([
      "日期", "GMV(元)", "支付订单", "老客订单", "推荐成交订单", "推荐成交GMV(元)", "退款订单", "退款金额(元)", "新增会员", "通过链接注册",
      "新增付费会员", "推荐带来的新付费会员", "链接访问", "一级佣金(元)", "二级佣金(元)", "三级佣金(元)", "结算佣金(元)", "发放返现(元)", "团队绩效(元)", "阶梯奖励(元)",
    ]);
    expect(decodeURIComponent(zhExport.disposition.split("filename*=UTF-8''")[1]!)).toMatch(/^数据看板-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);

    const enExport = await exportResponse("preset=7d", "fm_lang=en");
    const header = section(enExport.rows, "Daily figures")[0]!;
    expect(header.slice(0, 3)).toEqual(["Date", "GMV (yuan)", "Paid orders"]);
    expect(header).toHaveLength(20);
    for (const cell of header) expect(cell, cell).not.toMatch(/\p{Script=Han}/u);
    expect(decodeURIComponent(enExport.disposition.split("filename*=UTF-8''")[1]!)).toMatch(/^kpi-dashboard-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
  });
});

describe("the rewards paid card", () => {
  it("is a cost like CAC: rising is bad news (red), falling good", () => {
    const rewards = CARDS.find((c) => c.id === "rewardsPaid")!;
    const cac = CARDS.find((c) => c.id === "cac")!;
    expect(rewards.better).toBe(cac.better);
    expect(cardChange(rewards, 1_200, 1_000)).toEqual({ amount: "+20.0", unit: "percent", tone: "bad" });
    expect(cardChange(rewards, 800, 1_000)).toEqual({ amount: "-20.0", unit: "percent", tone: "good" });
  });
});
