// CSV export of the dashboard for the chosen period (the dashboard's roles), UTF-8 BOM: the cards (this period, the
// previous one, the change), the liabilities, the top distributors, then the daily rows; amounts in 元 as plain numbers. Audited.
// A bad period (or a failure) sends the person back to the dashboard with a message, never a JSON body.
import { getDb } from "@/server/db";
import { appNow } from "@/server/clock/app-clock";
import { DomainError, inTx } from "@/server/context";
import { kpiDailyExport, kpiDashboard, periodsFor } from "@/server/kpi/dashboard";
import { attachmentHeader, csvText, yuanCell } from "@/server/exports/csv";
import { auditExportDownload } from "@/server/exports/jobs";
import { logInternalError, requestIdFrom } from "@/server/api/internal-errors";
import { kpiPeriodInput } from "@/server/api/routers/merchantKpi";
import { createT, localeFromCookieHeader, type MessageKey, type Translator } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { staffForRoute } from "../../_components/route-auth";
import { CARD_FIGURES, csvFigureRow } from "../cards";
import { withErrorResponse } from "@/app/_lib/route-errors";
import { unstable_rethrow } from "next/navigation";

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

/**
 * The page's sections above the daily rows, in the viewer's language: the cards (csvFigureRow), the liabilities and
 * the top distributors. Every amount is plain 元 with two decimals under a name or header saying 元, as in the daily rows.
 */
function dashboardRows(t: Translator, d: Dashboard): Cell[][] {
  const p = d.periods;
  const period = p.previousCut
    ? t("kpi.periodSoFar", { from: p.current.from, to: p.current.to, pfrom: p.previous.from, pto: p.previous.to, time: p.previousCut.time })
    : t("kpi.period", { from: p.current.from, to: p.current.to, pfrom: p.previous.from, pto: p.previous.to });
  // A card with details (退款: amount, orders, rate) gives a row per figure.
  const cards = CARD_FIGURES.map((c) => csvFigureRow(t, c, d.current, d.previous));
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
    [t("kpi.csv.item"), t("kpi.csv.amountYuan")],
    ...liabilities.map(([key, fen]) => [t(key), yuan(fen)]),
    [],
    [t("kpi.top")],
    [t("kpi.top.rank"), t("kpi.top.member"), t("kpi.csv.commissionYuan")],
    // The names as the page shows them: nickname, else the masked phone, else the username.
    ...(d.top.length === 0 ? [[t("kpi.top.empty")]] : d.top.map((m, i) => [i + 1, m.name, yuan(m.earnedFen)])),
    [],
    [t("kpi.csv.daily")],
  ];
}

/**
 * Back to the dashboard with the period asked for and why no file came (`exportError`, shown there in the staff's
 * language): the export is opened as a page, so a refusal must not show a person raw JSON.
 */
function backToDashboard(req: Request, reason: "period" | "failed", requestId?: string): Response {
  const asked = new URL(req.url).searchParams;
  const back = new URLSearchParams();
  for (const key of ["preset", "from", "to"]) {
    const v = asked.get(key);
    if (v) back.set(key, v.slice(0, 32));
  }
  back.set("exportError", reason);
  if (requestId) back.set("ref", requestId);
  return new Response(null, { status: 303, headers: { location: `/merchant/kpi?${back}`, "cache-control": "no-store" } });
}

export const GET = withErrorResponse("kpi export", async (req: Request) => {
  const { staff, refused } = await staffForRoute("kpi");
  if (refused) return refused;
  const parsed = kpiPeriodInput.safeParse(Object.fromEntries([...new URL(req.url).searchParams].filter(([, v]) => v !== "")));
  if (!parsed.success) return backToDashboard(req, "period");
  const locale = localeFromCookieHeader(req.headers.get("cookie"));
  const t = createT(locale, MESSAGES[locale]);
  const requestId = requestIdFrom(req.headers);
  try {
    const db = await getDb();
    const periods = await periodsFor(db, parsed.data, appNow());
    // The page's own figures (derived cards, distinct counts, the comparison period): not rebuilt from the days.
    const dashboard = await kpiDashboard(db, periods);
    const rows = await kpiDailyExport(db, periods.current);
    const actor = { staffId: staff.staffId, requestId };
    // Written before the file is sent, as for every other export.
    await inTx(db, { now: appNow() }, (ctx) => auditExportDownload(ctx.tx, actor, { kind: "kpi", filter: parsed.data, rows: rows.length, now: ctx.now }));
    const [first, ...rest] = [...dashboardRows(t, dashboard), COLUMNS.map(([key]) => t(key)), ...rows.map((r) => COLUMNS.map(([, v]) => v(r)))];
    const csv = csvText(first!.map(String), rest);
    return new Response(csv, {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": attachmentHeader(t("kpi.csv.file", { from: periods.current.from, to: periods.current.to })), "cache-control": "no-store" },
    });
  } catch (e) {
    unstable_rethrow(e);
    if (e instanceof DomainError && e.code === "INVALID_PERIOD") return backToDashboard(req, "period");
    // Logged under the request id the page then shows, as withErrorResponse does for a JSON client.
    logInternalError("kpi export", requestId, e);
    return backToDashboard(req, "failed", requestId);
  }
});
