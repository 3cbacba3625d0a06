// CSV export of the dashboard for the chosen period (the dashboard's roles), UTF-8 BOM: the cards as the page shows
// them (this period, the previous one, the change), the liabilities, the top distributors, then the daily rows. Audited.
import { getDb } from "@/server/db";
import { appNow } from "@/server/clock/app-clock";
import { DomainError, inTx } from "@/server/context";
import { kpiDailyExport, kpiDashboard, periodsFor } from "@/server/kpi/dashboard";
import { attachmentHeader, csvText, yuanCell } from "@/server/exports/csv";
import { auditExportDownload } from "@/server/exports/jobs";
import { requestIdFrom } from "@/server/api/internal-errors";
import { kpiPeriodInput } from "@/server/api/routers/merchantKpi";
import { createT, localeFromCookieHeader, type MessageKey, type Translator } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { formatYuan } from "@/components/money";
import { staffForRoute } from "../../_components/route-auth";
import { CARD_FIGURES, cardChange } from "../cards";
import { refusalResponse, withErrorResponse } from "@/app/_lib/route-errors";

export const dynamic = "force-dynamic";

const yuan = yuanCell;

const COLUMNS: [MessageKey, (r: Awaited<ReturnType<typeof kpiDailyExport>>[number]) => string | number][] = [
  ["kpi.csv.col.day", (r) => r.day],
  ["kpi.csv.col.gmv", (r) => yuan(r.gmvFen)],
  ["kpi.csv.col.paidOrders", (r) => r.paidOrders],
  ["kpi.csv.col.repeatOrders", (r) => r.repeatOrders],
  ["kpi.csv.col.referralOrders", (r) => r.referralOrders],
  ["kpi.csv.col.referralGmv", (r) => yuan(r.referralGmvFen)],
  ["kpi.csv.col.refundedOrders", (r) => r.refundedOrders],
  ["kpi.csv.col.refunded", (r) => yuan(r.refundedFen)],
  ["kpi.csv.col.newMembers", (r) => r.newMembers],
  ["kpi.csv.col.referredSignups", (r) => r.referredSignups],
  ["kpi.csv.col.newPaying", (r) => r.newPayingMembers],
  ["kpi.csv.col.referredNewPaying", (r) => r.referredNewPaying],
  ["kpi.csv.col.visits", (r) => r.visits],
  ["kpi.csv.col.l1", (r) => yuan(r.commissionL1Fen)],
  ["kpi.csv.col.l2", (r) => yuan(r.commissionL2Fen)],
  ["kpi.csv.col.l3", (r) => yuan(r.commissionL3Fen)],
  ["kpi.csv.col.commissionsPaid", (r) => yuan(r.commissionsPaidFen)],
  ["kpi.csv.col.cashbackPaid", (r) => yuan(r.cashbackPaidFen)],
  ["kpi.csv.col.teamBonus", (r) => yuan(r.teamBonusFen)],
  ["kpi.csv.col.stepBonus", (r) => yuan(r.stepBonusFen)],
];

type Dashboard = Awaited<ReturnType<typeof kpiDashboard>>;
type Cell = string | number;

/** The page's sections above the daily rows, in the viewer's language, each value formatted as the page shows it (amounts without the page's thousands separators). */
function dashboardRows(t: Translator, d: Dashboard): Cell[][] {
  const p = d.periods;
  const period = p.previousCut
    ? t("kpi.periodSoFar", { from: p.current.from, to: p.current.to, pfrom: p.previous.from, pto: p.previous.to, time: p.previousCut.time })
    : t("kpi.period", { from: p.current.from, to: p.current.to, pfrom: p.previous.from, pto: p.previous.to });
  // A card with details (退款: amount, orders, rate) gives a row per figure.
  const cards = CARD_FIGURES.map((c) => {
    const cur = c.value(d.current);
    const prev = c.value(d.previous);
    const delta = cardChange(c, cur, prev);
    // The page's "+4.0%" as a signed number and its unit apart: a cell starting with + or − that is not a plain number is guarded as a formula (csvCell).
    const unit = delta ? t(delta.unit === "points" ? "kpi.csv.points" : "kpi.csv.percent") : "";
    // Amounts as formatYuan's ungrouped digits ("¥1234.50"), not the page's "¥1,234.50": a spreadsheet reads them back.
    return [t(c.label), c.format(cur, formatYuan) ?? t("kpi.none"), c.format(prev, formatYuan) ?? t("kpi.none"), delta?.amount ?? "", unit];
  });
  const l = d.liabilities;
  const liabilities: [MessageKey, number][] = [
    ["kpi.liab.commission", l.pendingCommissionFen],
    ["kpi.liab.cashback", l.pendingCashbackFen],
    ["kpi.liab.withdrawing", l.withdrawingFen],
    ["kpi.liab.available", l.availableFen],
    ["kpi.liab.credit", l.creditFen],
  ];
  return [
    [t("kpi.title"), period],
    [],
    [t("kpi.csv.metric"), t("kpi.csv.current"), t("kpi.csv.previous"), t("kpi.csv.change"), t("kpi.csv.changeUnit")],
    ...cards,
    [],
    [t("kpi.liabilities")],
    ...liabilities.map(([key, fen]) => [t(key), formatYuan(fen)]),
    [],
    [t("kpi.top")],
    [t("kpi.top.rank"), t("kpi.top.member"), t("kpi.top.earned")],
    // The names as the page shows them: nickname, else the masked phone, else the username.
    ...(d.top.length === 0 ? [[t("kpi.top.empty")]] : d.top.map((m, i) => [i + 1, m.name, formatYuan(m.earnedFen)])),
    [],
    [t("kpi.csv.daily")],
  ];
}

export const GET = withErrorResponse("kpi export", async (req: Request) => {
  const { staff, refused } = await staffForRoute("kpi");
  if (refused) return refused;
  const parsed = kpiPeriodInput.safeParse(Object.fromEntries([...new URL(req.url).searchParams].filter(([, v]) => v !== "")));
  if (!parsed.success) return refusalResponse(req, 400, "m.route.badPeriod");
  const db = await getDb();
  const locale = localeFromCookieHeader(req.headers.get("cookie"));
  const t = createT(locale, MESSAGES[locale]);
  try {
    const periods = await periodsFor(db, parsed.data, appNow());
    // The page's own figures (derived cards, distinct counts, the comparison period): not rebuilt from the days.
    const dashboard = await kpiDashboard(db, periods);
    const rows = await kpiDailyExport(db, periods.current);
    const actor = { staffId: staff.staffId, requestId: requestIdFrom(req.headers) };
    // Written before the file is sent, as for every other export.
    await inTx(db, { now: appNow() }, (ctx) => auditExportDownload(ctx.tx, actor, { kind: "kpi", filter: parsed.data, rows: rows.length, now: ctx.now }));
    const [first, ...rest] = [...dashboardRows(t, dashboard), COLUMNS.map(([key]) => t(key)), ...rows.map((r) => COLUMNS.map(([, v]) => v(r)))];
    const csv = csvText(first!.map(String), rest);
    return new Response(csv, {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": attachmentHeader(t("kpi.csv.file", { from: periods.current.from, to: periods.current.to })), "cache-control": "no-store" },
    });
  } catch (e) {
    if (e instanceof DomainError) return refusalResponse(req, 400, e);
    throw e;
  }
});
