// CSV export of the dashboard's daily rows for the chosen period (the dashboard's roles): UTF-8 BOM.
import { getDb } from "@/server/db";
import { appNow } from "@/server/clock/app-clock";
import { DomainError } from "@/server/context";
import { kpiDailyExport, periodsFor } from "@/server/kpi/dashboard";
import { attachmentHeader, csvText, yuanCell } from "@/server/exports/csv";
import { kpiPeriodInput } from "@/server/api/routers/merchantKpi";
import { staffForRoute } from "../../_components/route-auth";
import { refusalResponse, withErrorResponse } from "@/app/_lib/route-errors";

export const dynamic = "force-dynamic";

const yuan = yuanCell;

const COLUMNS: [string, (r: Awaited<ReturnType<typeof kpiDailyExport>>[number]) => string | number][] = [
  ["日期", (r) => r.day],
  ["GMV(元)", (r) => yuan(r.gmvFen)],
  ["支付订单", (r) => r.paidOrders],
  ["老客订单", (r) => r.repeatOrders],
  ["推荐成交订单", (r) => r.referralOrders],
  ["推荐成交GMV(元)", (r) => yuan(r.referralGmvFen)],
  ["退款订单", (r) => r.refundedOrders],
  ["退款金额(元)", (r) => yuan(r.refundedFen)],
  ["新增会员", (r) => r.newMembers],
  ["通过链接注册", (r) => r.referredSignups],
  ["新增付费会员", (r) => r.newPayingMembers],
  ["推荐带来的新付费会员", (r) => r.referredNewPaying],
  ["链接访问", (r) => r.visits],
  ["一级佣金(元)", (r) => yuan(r.commissionL1Fen)],
  ["二级佣金(元)", (r) => yuan(r.commissionL2Fen)],
  ["三级佣金(元)", (r) => yuan(r.commissionL3Fen)],
  ["结算佣金(元)", (r) => yuan(r.commissionsPaidFen)],
  ["发放返现(元)", (r) => yuan(r.cashbackPaidFen)],
  ["团队绩效(元)", (r) => yuan(r.teamBonusFen)],
  ["阶梯奖励(元)", (r) => yuan(r.stepBonusFen)],
];

export const GET = withErrorResponse("kpi export", async (req: Request) => {
  const { refused } = await staffForRoute("kpi");
  if (refused) return refused;
  const parsed = kpiPeriodInput.safeParse(Object.fromEntries([...new URL(req.url).searchParams].filter(([, v]) => v !== "")));
  if (!parsed.success) return refusalResponse(req, 400, "m.route.badPeriod");
  const db = await getDb();
  try {
    const { current } = await periodsFor(db, parsed.data, appNow());
    const rows = await kpiDailyExport(db, current);
    const csv = csvText(COLUMNS.map(([h]) => h), rows.map((r) => COLUMNS.map(([, v]) => v(r))));
    return new Response(csv, {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": attachmentHeader(`数据看板-${current.from}_${current.to}.csv`), "cache-control": "no-store" },
    });
  } catch (e) {
    if (e instanceof DomainError) return refusalResponse(req, 400, e);
    throw e;
  }
});
