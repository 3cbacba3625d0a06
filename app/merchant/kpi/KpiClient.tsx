"use client";

// 数据看板: the figures of a period beside the previous one (definition on hover or from its ? button), trend charts
// (ECharts), the link funnel, commission by level, liabilities and the top distributors. The period
// lives in the URL; the figures come from the daily aggregates (server/kpi), a period running to now is
// compared with the previous one up to the same time of day.
import { useId, useState } from "react";
import dynamic from "next/dynamic";
import { useQuery } from "@tanstack/react-query";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/core";
import { useReducedMotion } from "@/lib/use-reduced-motion";
import { errorText } from "@/lib/i18n/labels";
import { formatYuanGrouped } from "@/components/money";
import { useUrlState } from "@/components/merchant/useUrlState";
import { PERIOD_PRESETS, type PeriodPreset } from "@/server/kpi/periods";
import { CARDS, cardChange, type Figure } from "./cards";
import { kpiExportHref } from "./export-link";

// ECharts touches `window`: rendered in the browser only.
const ReactECharts = dynamic(() => import("echarts-for-react"), { ssr: false });

type Dashboard = RouterOutputs["merchantKpi"]["dashboard"];

const TONE = { good: "text-emerald-600", bad: "text-rose-600", flat: "text-neutral-500" } as const;

export function KpiClient() {
  const t = useT();
  const trpc = useTRPC();
  const url = useUrlState();
  const preset = ((PERIOD_PRESETS as readonly string[]).includes(url.get("preset")) ? url.get("preset") : "7d") as PeriodPreset;
  const from = url.get("from");
  const to = url.get("to");
  const [draft, setDraft] = useState({ from, to });
  const input = preset === "custom" ? { preset, from, to } : { preset };
  const q = useQuery({ ...trpc.merchantKpi.dashboard.queryOptions(input), enabled: preset !== "custom" || Boolean(from && to) });
  const d = q.data;
  // 本月 is compared with the same days of last month; a period running to now, up to the same time.
  const vsKey = preset === "month" ? "kpi.vsPreviousMonth" : d?.periods.previousCut ? "kpi.vsPreviousSoFar" : "kpi.vsPrevious";
  // 导出 CSV exports the period on screen: 自定义's typed dates, applied with 查看 or not (none until they make a range).
  const exportHref = kpiExportHref(preset, draft);
  const exportHintId = useId();
  // Why the last export gave no file (its route sends the person back here rather than showing an error body).
  const exportError = url.get("exportError");
  const ref = url.get("ref");
  // A new period leaves the last export's message behind.
  const setPeriod = (values: Record<string, string | null>) => url.set({ ...values, exportError: null, ref: null });

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center gap-2 rounded-lg bg-white p-3 shadow-sm" data-testid="kpi-period">
        {PERIOD_PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={preset === p}
            onClick={() => setPeriod({ preset: p, from: p === "custom" ? draft.from : null, to: p === "custom" ? draft.to : null })}
            className={`rounded-md px-3 py-1.5 text-sm ${preset === p ? "bg-neutral-900 text-white" : "border border-neutral-300 bg-white"}`}
          >
            {t(`kpi.preset.${p}`)}
          </button>
        ))}
        {preset === "custom" ? (
          <form method="get"
            className="flex items-center gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              setPeriod({ preset: "custom", from: draft.from, to: draft.to });
            }}
          >
            <input type="date" aria-label={t("kpi.from")} value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} className="h-8 rounded border border-neutral-300 px-2 text-sm" />
            <input type="date" aria-label={t("kpi.to")} value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} className="h-8 rounded border border-neutral-300 px-2 text-sm" />
            <button type="submit" className="h-8 rounded bg-rose-600 px-3 text-sm text-white">
              {t("kpi.apply")}
            </button>
          </form>
        ) : null}
        <div className="ml-auto flex items-center gap-2">
          {exportHref ? (
            <a href={exportHref} className="rounded-md border border-neutral-300 bg-white px-3 py-1.5 text-sm" data-testid="export-csv">
              {t("m.export.csv")}
            </a>
          ) : (
            <>
              <span id={exportHintId} className="text-xs text-neutral-500" data-testid="kpi-export-hint">
                {t("kpi.export.needRange")}
              </span>
              <button type="button" disabled aria-describedby={exportHintId} className="cursor-not-allowed rounded-md border border-neutral-200 bg-neutral-50 px-3 py-1.5 text-sm text-neutral-400" data-testid="export-csv">
                {t("m.export.csv")}
              </button>
            </>
          )}
        </div>
      </div>
      {exportError ? (
        <p role="alert" className="rounded bg-rose-50 px-4 py-2 text-sm text-rose-700" data-testid="kpi-export-error">
          {exportError === "failed"
            ? REQUEST_ID.test(ref)
              ? t("kpi.export.failed", { id: ref })
              : t("kpi.export.failedNoId")
            : t("kpi.export.badPeriod")}
        </p>
      ) : null}
      {q.error ? (
        <p role="alert" className="rounded bg-rose-50 px-4 py-2 text-sm text-rose-700">
          {errorText(t, q.error)}
        </p>
      ) : null}
      {!d ? (
        q.isLoading ? <p className="text-sm text-neutral-500">{t("common.loading")}</p> : null
      ) : (
        <>
          <p className="text-sm text-neutral-500" data-testid="kpi-range" data-from={d.periods.current.from} data-to={d.periods.current.to}>
            {d.periods.previousCut
              ? t("kpi.periodSoFar", { from: d.periods.current.from, to: d.periods.current.to, pfrom: d.periods.previous.from, pto: d.periods.previous.to, time: d.periods.previousCut.time })
              : t("kpi.period", { from: d.periods.current.from, to: d.periods.current.to, pfrom: d.periods.previous.from, pto: d.periods.previous.to })}
            {preset === "custom" && to && to > d.periods.current.to ? <span data-testid="kpi-capped"> · {t("kpi.cappedToToday")}</span> : null}
          </p>
          <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-6">
            {CARDS.map((c) => {
              const cur = c.value(d.current);
              const alert = c.alert?.(cur) ?? false;
              // A card with details (退款) spans two columns: its own figure and each detail side by side.
              return (
                <div key={c.id} className={`rounded-lg bg-white p-4 shadow-sm ${c.details ? "col-span-2" : ""} ${alert ? "ring-2 ring-amber-400" : ""}`} title={t(c.def)} data-testid={`kpi-${c.id}`} data-value={cur ?? ""}>
                  <div className="flex items-center gap-1 text-xs text-neutral-500">
                    {t(c.label)}
                    <Definition label={t(c.label)} text={t(c.def)} />
                  </div>
                  {c.details ? (
                    // Each figure a column of the card's grid, its rows shared (subgrid): a caption or comparison that wraps keeps the values side by side.
                    <div className="mt-1 grid grid-cols-3 gap-x-3">
                      <FigureValue figure={c} d={d} vsKey={vsKey} caption={c.valueLabel} column />
                      {c.details.map((f) => (
                        <FigureValue key={f.id} figure={f} d={d} vsKey={vsKey} caption={f.label} detail column testId={`kpi-${f.id}`} />
                      ))}
                    </div>
                  ) : (
                    <FigureValue figure={c} d={d} vsKey={vsKey} />
                  )}
                  {alert ? <div className="mt-1 text-xs text-amber-700">{t("kpi.repurchase.alert")}</div> : null}
                </div>
              );
            })}
          </div>
          <Trends series={d.series} />
          <div className="grid gap-4 lg:grid-cols-3">
            <Panel title={t("kpi.funnel")} testId="kpi-funnel">
              <Row label={t("kpi.funnel.visits")} def={t("kpi.funnel.visits.def")} value={String(d.current.funnel.visits)} id="visits" />
              <Row label={t("kpi.funnel.signups")} def={t("kpi.funnel.signups.def")} value={String(d.current.funnel.signups)} id="signups" />
              <Row label={t("kpi.funnel.firstOrders")} def={t("kpi.funnel.firstOrders.def")} value={String(d.current.funnel.firstOrders)} id="firstOrders" />
              {/* Not one cohort: each step counts what happened in the period, so first orders may exceed sign-ups. */}
              <p className="pt-1 text-xs leading-4 text-neutral-500" data-testid="kpi-funnel-note">
                {t("kpi.funnel.note")}
              </p>
            </Panel>
            <Panel title={t("kpi.levels")} testId="kpi-levels" def={t("kpi.levels.def")}>
              <Row label={t("kpi.level", { level: 1 })} value={formatYuanGrouped(d.current.levels.l1Fen)} id="l1" />
              <Row label={t("kpi.level", { level: 2 })} value={formatYuanGrouped(d.current.levels.l2Fen)} id="l2" />
              <Row label={t("kpi.level", { level: 3 })} value={formatYuanGrouped(d.current.levels.l3Fen)} id="l3" />
            </Panel>
            <Panel title={t("kpi.liabilities")} testId="kpi-liabilities">
              <Row label={t("kpi.liab.commission")} def={t("kpi.liab.commission.def")} value={formatYuanGrouped(d.liabilities.pendingCommissionFen)} id="pendingCommission" />
              <Row label={t("kpi.liab.cashback")} def={t("kpi.liab.cashback.def")} value={formatYuanGrouped(d.liabilities.pendingCashbackFen)} id="pendingCashback" />
              <Row label={t("kpi.liab.withdrawing")} def={t("kpi.liab.withdrawing.def")} value={formatYuanGrouped(d.liabilities.withdrawingFen)} id="withdrawing" />
              <Row label={t("kpi.liab.available")} def={t("kpi.liab.available.def")} value={formatYuanGrouped(d.liabilities.availableFen)} id="available" />
              <Row label={t("kpi.liab.credit")} def={t("kpi.liab.credit.def")} value={formatYuanGrouped(d.liabilities.creditFen)} id="credit" />
            </Panel>
          </div>
          <Panel title={t("kpi.top")} testId="kpi-top" def={t("kpi.top.def")}>
            {d.top.length === 0 ? (
              <p className="text-sm text-neutral-400">{t("kpi.top.empty")}</p>
            ) : (
              <table className="w-full text-sm">
                <thead className="text-left text-xs text-neutral-500">
                  <tr>
                    <th className="py-1">{t("kpi.top.rank")}</th>
                    <th>{t("kpi.top.member")}</th>
                    <th className="text-right">{t("kpi.top.earned")}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.top.map((m, i) => (
                    <tr key={m.memberId} className="border-t border-neutral-100" data-testid="kpi-top-row" data-member-id={m.memberId}>
                      <td className="py-1.5">{i + 1}</td>
                      <td>{m.name}</td>
                      <td className="text-right tabular-nums">{formatYuanGrouped(m.earnedFen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Panel>
        </>
      )}
    </div>
  );
}

/** The request id an export's failure names (as requestIdFrom takes one): anything else in the URL is not shown. */
const REQUEST_ID = /^[\w.:-]{8,100}$/;

/**
 * A figure's value, the previous period's and the change; `caption` names it inside a card with details, `detail` is not
 * the card's own, `column` is one of a card's columns (four rows shared with the others, a caption row even without one).
 * Captions and comparisons wrap rather than cut words off (English at 1366 px: "Previous, same time ¥1,072.00").
 */
function FigureValue({ figure, d, vsKey, caption, detail, column, testId }: { figure: Figure; d: Dashboard; vsKey: MessageKey; caption?: MessageKey; detail?: boolean; column?: boolean; testId?: string }) {
  const t = useT();
  const cur = figure.value(d.current);
  const prev = figure.value(d.previous);
  const delta = cardChange(figure, cur, prev);
  return (
    <div className={column ? "row-span-4 grid min-w-0 grid-rows-subgrid" : "min-w-0"} data-testid={testId} data-value={testId ? (cur ?? "") : undefined}>
      {caption || column ? <div className="break-words text-xs leading-4 text-neutral-400">{caption ? t(caption) : null}</div> : null}
      <div className={`mt-1 truncate font-semibold tabular-nums ${caption ? "text-lg" : "text-xl"}`} data-testid={detail ? "kpi-detail-value" : "kpi-value"}>
        {figure.format(cur) ?? t("kpi.none")}
      </div>
      {/* Comparison and change on a line each (the change's kept when empty): side by side they wrapped on a narrow card, cards of a row as tall. */}
      <div className="mt-1 break-words text-xs leading-4 text-neutral-400">{t(vsKey, { value: figure.format(prev) ?? t("kpi.none") })}</div>
      <div className="h-4 whitespace-nowrap text-xs leading-4">
        {delta ? (
          <span className={TONE[delta.tone]} data-testid="kpi-change" data-tone={delta.tone}>
            {t(delta.unit === "points" ? "kpi.changePoints" : "kpi.changePercent", { value: delta.amount })}
          </span>
        ) : null}
      </div>
    </div>
  );
}

/**
 * A figure's definition for keyboard and touch (the hover `title` reaches only a mouse): the ? button opens it
 * on focus or tap, Escape or leaving closes it, and the button is described by it either way.
 */
export function Definition({ label, text }: { label: string; text: string }) {
  const t = useT();
  const id = useId();
  const [open, setOpen] = useState(false);
  return (
    <span className="relative inline-flex">
      <button
        type="button"
        aria-label={t("kpi.defOf", { label })}
        aria-describedby={id}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onClick={() => setOpen(true)}
        onKeyDown={(e) => {
          if (e.key !== "Escape" || !open) return;
          // Escape hides the definition first; a second one reaches whatever else listens (the sidebar's).
          e.stopPropagation();
          setOpen(false);
        }}
        className="-m-1.5 inline-flex size-6 cursor-help items-center justify-center rounded-full"
      >
        <span aria-hidden className="rounded-full border border-neutral-300 px-1 text-[10px] leading-3 text-neutral-500">
          ?
        </span>
      </button>
      <span id={id} role="tooltip" hidden={!open} className="absolute left-0 top-full z-10 mt-1 w-56 rounded-md bg-neutral-900 px-2.5 py-1.5 text-xs font-normal leading-snug text-white shadow-lg">
        {text}
      </span>
    </span>
  );
}

function Panel({ title, def, testId, children }: { title: string; def?: string; testId: string; children: React.ReactNode }) {
  return (
    <section className="rounded-lg bg-white p-4 shadow-sm" data-testid={testId} title={def}>
      <div className="mb-2 flex items-center gap-1">
        <h2 className="text-sm font-semibold">{title}</h2>
        {def ? <Definition label={title} text={def} /> : null}
      </div>
      <div className="space-y-1">{children}</div>
    </section>
  );
}

function Row({ label, value, def, id }: { label: string; value: string; def?: string; id: string }) {
  return (
    <div className="flex items-center justify-between text-sm" title={def} data-testid={`kpi-row-${id}`}>
      <span className="flex items-center gap-1 text-neutral-600">
        {label}
        {def ? <Definition label={label} text={def} /> : null}
      </span>
      <span className="font-medium tabular-nums" data-testid="kpi-value">
        {value}
      </span>
    </div>
  );
}

/** 1234 fen → 12.34 for a chart axis (display only). */
const yuanNumber = (fenValue: number) => Math.round(fenValue) / 100;

function Trends({ series }: { series: Dashboard["series"] }) {
  const t = useT();
  const reducedMotion = useReducedMotion();
  const days = series.map((s) => s.day.slice(5));
  // The tooltip shows a day's amount from its fen (¥1,248.00), not the axis's float (1,248).
  const yuanTip = (field: "gmvFen" | "rewardsPaidFen") => ({ valueFormatter: (_: unknown, day: number) => formatYuanGrouped(series[day]![field]) });
  const option = {
    baseOption: {
      animation: !reducedMotion,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 32, bottom: 24 },
      xAxis: { type: "category", data: days },
      // The amounts' unit is in their legend names (元); an axis name would sit under the legend.
      yAxis: [{ type: "value" }, { type: "value", minInterval: 1 }],
      series: [
        { name: t("kpi.series.gmv"), type: "line", smooth: true, data: series.map((s) => yuanNumber(s.gmvFen)), tooltip: yuanTip("gmvFen") },
        { name: t("kpi.series.rewards"), type: "line", smooth: true, data: series.map((s) => yuanNumber(s.rewardsPaidFen)), tooltip: yuanTip("rewardsPaidFen") },
        { name: t("kpi.series.orders"), type: "bar", yAxisIndex: 1, data: series.map((s) => s.paidOrders) },
        { name: t("kpi.series.members"), type: "bar", yAxisIndex: 1, data: series.map((s) => s.newMembers) },
      ],
    },
    // On a phone the legend takes two lines: the plot starts below them.
    media: [{ query: { maxWidth: 480 }, option: { grid: { top: 56 } } }],
  };
  return (
    <section className="rounded-lg bg-white p-4 shadow-sm" data-testid="kpi-trend">
      <h2 className="mb-2 text-sm font-semibold">{t("kpi.trend")}</h2>
      <ReactECharts option={option} style={{ height: 300 }} notMerge />
    </section>
  );
}
