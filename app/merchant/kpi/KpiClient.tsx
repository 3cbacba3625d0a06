"use client";

// 数据看板: the figures of a period beside the previous one (definition on hover), trend charts
// (ECharts), the link funnel, commission by level, liabilities and the top distributors. The period
// lives in the URL; every figure comes from the daily aggregates (server/kpi).
import { useState } from "react";
import dynamic from "next/dynamic";
import { useQuery } from "@tanstack/react-query";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import type { MessageKey } from "@/lib/i18n/core";
import { formatYuan } from "@/components/money";
import { ExportButton } from "@/components/merchant/ExportButton";
import { useUrlState } from "@/components/merchant/useUrlState";
import { PERIOD_PRESETS, type PeriodPreset } from "@/server/kpi/periods";

// ECharts touches `window`: rendered in the browser only.
const ReactECharts = dynamic(() => import("echarts-for-react"), { ssr: false });

type Dashboard = RouterOutputs["merchantKpi"]["dashboard"];
type Figures = Dashboard["current"];

const pct = (v: number | null) => (v === null ? null : `${(v * 100).toFixed(1)}%`);
const fen = (v: number | null) => (v === null ? null : formatYuan(v));
const plain = (v: number | null) => (v === null ? null : String(v));
const twoDp = (v: number | null) => (v === null ? null : v.toFixed(2));

interface Card {
  id: string;
  label: MessageKey;
  def: MessageKey;
  value: (f: Figures) => number | null;
  format: (v: number | null) => string | null;
  alert?: (v: number | null) => boolean;
}

const CARDS: Card[] = [
  { id: "gmv", label: "kpi.gmv", def: "kpi.gmv.def", value: (f) => f.gmvFen, format: fen },
  { id: "orders", label: "kpi.orders", def: "kpi.orders.def", value: (f) => f.paidOrders, format: plain },
  { id: "aov", label: "kpi.aov", def: "kpi.aov.def", value: (f) => f.aovFen, format: fen },
  { id: "newMembers", label: "kpi.newMembers", def: "kpi.newMembers.def", value: (f) => f.newMembers, format: plain },
  { id: "newPaying", label: "kpi.newPaying", def: "kpi.newPaying.def", value: (f) => f.newPayingMembers, format: plain },
  { id: "kFactor", label: "kpi.kFactor", def: "kpi.kFactor.def", value: (f) => f.kFactor, format: twoDp },
  { id: "cac", label: "kpi.cac", def: "kpi.cac.def", value: (f) => f.cacFen, format: fen },
  { id: "repurchase", label: "kpi.repurchase", def: "kpi.repurchase.def", value: (f) => f.repurchaseRate, format: pct, alert: (v) => v !== null && v < 0.4 },
  { id: "payoutRatio", label: "kpi.payoutRatio", def: "kpi.payoutRatio.def", value: (f) => f.payoutRatio, format: pct },
  { id: "referralShare", label: "kpi.referralShare", def: "kpi.referralShare.def", value: (f) => f.referralGmvShare, format: pct },
  { id: "activeDistributors", label: "kpi.activeDistributors", def: "kpi.activeDistributors.def", value: (f) => f.activeDistributors, format: plain },
  { id: "rewardsPaid", label: "kpi.rewardsPaid", def: "kpi.rewardsPaid.def", value: (f) => f.rewardsPaidFen, format: fen },
];

function change(cur: number | null, prev: number | null): string | null {
  if (cur === null || prev === null || prev === 0) return null;
  const d = ((cur - prev) / Math.abs(prev)) * 100;
  return `${d >= 0 ? "+" : ""}${d.toFixed(1)}%`;
}

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

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center gap-2 rounded-lg bg-white p-3 shadow-sm" data-testid="kpi-period">
        {PERIOD_PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={preset === p}
            onClick={() => url.set({ preset: p, from: p === "custom" ? draft.from : null, to: p === "custom" ? draft.to : null })}
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
              url.set({ preset: "custom", from: draft.from, to: draft.to });
            }}
          >
            <input type="date" aria-label={t("kpi.from")} value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} className="h-8 rounded border border-neutral-300 px-2 text-sm" />
            <input type="date" aria-label={t("kpi.to")} value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} className="h-8 rounded border border-neutral-300 px-2 text-sm" />
            <button type="submit" className="h-8 rounded bg-rose-600 px-3 text-sm text-white">
              {t("kpi.apply")}
            </button>
          </form>
        ) : null}
        <div className="ml-auto">
          <ExportButton href="/merchant/kpi/export" />
        </div>
      </div>
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
            {t("kpi.period", { from: d.periods.current.from, to: d.periods.current.to, pfrom: d.periods.previous.from, pto: d.periods.previous.to })}
          </p>
          <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-6">
            {CARDS.map((c) => {
              const cur = c.value(d.current);
              const prev = c.value(d.previous);
              const delta = change(cur, prev);
              const alert = c.alert?.(cur) ?? false;
              return (
                <div key={c.id} className={`rounded-lg bg-white p-4 shadow-sm ${alert ? "ring-2 ring-amber-400" : ""}`} title={t(c.def)} data-testid={`kpi-${c.id}`} data-value={cur ?? ""}>
                  <div className="flex items-center gap-1 text-xs text-neutral-500">
                    {t(c.label)}
                    <span aria-hidden className="cursor-help rounded-full border border-neutral-300 px-1 text-[10px] leading-3">?</span>
                  </div>
                  <div className="mt-1 text-xl font-semibold tabular-nums" data-testid="kpi-value">
                    {c.format(cur) ?? t("kpi.none")}
                  </div>
                  <div className="mt-1 flex items-center gap-2 text-xs text-neutral-400">
                    <span>{t(preset === "month" ? "kpi.vsPreviousMonth" : "kpi.vsPrevious", { value: c.format(prev) ?? t("kpi.none") })}</span>
                    {delta ? <span className={delta.startsWith("+") ? "text-emerald-600" : "text-rose-600"}>{delta}</span> : null}
                  </div>
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
            </Panel>
            <Panel title={t("kpi.levels")} testId="kpi-levels" def={t("kpi.levels.def")}>
              <Row label={t("kpi.level", { level: 1 })} value={formatYuan(d.current.levels.l1Fen)} id="l1" />
              <Row label={t("kpi.level", { level: 2 })} value={formatYuan(d.current.levels.l2Fen)} id="l2" />
              <Row label={t("kpi.level", { level: 3 })} value={formatYuan(d.current.levels.l3Fen)} id="l3" />
            </Panel>
            <Panel title={t("kpi.liabilities")} testId="kpi-liabilities">
              <Row label={t("kpi.liab.commission")} def={t("kpi.liab.commission.def")} value={formatYuan(d.liabilities.pendingCommissionFen)} id="pendingCommission" />
              <Row label={t("kpi.liab.cashback")} def={t("kpi.liab.cashback.def")} value={formatYuan(d.liabilities.pendingCashbackFen)} id="pendingCashback" />
              <Row label={t("kpi.liab.withdrawing")} def={t("kpi.liab.withdrawing.def")} value={formatYuan(d.liabilities.withdrawingFen)} id="withdrawing" />
              <Row label={t("kpi.liab.available")} def={t("kpi.liab.available.def")} value={formatYuan(d.liabilities.availableFen)} id="available" />
              <Row label={t("kpi.liab.credit")} def={t("kpi.liab.credit.def")} value={formatYuan(d.liabilities.creditFen)} id="credit" />
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
                      <td className="text-right tabular-nums">{formatYuan(m.earnedFen)}</td>
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

function Panel({ title, def, testId, children }: { title: string; def?: string; testId: string; children: React.ReactNode }) {
  return (
    <section className="rounded-lg bg-white p-4 shadow-sm" data-testid={testId} title={def}>
      <h2 className="mb-2 text-sm font-semibold">{title}</h2>
      <div className="space-y-1">{children}</div>
    </section>
  );
}

function Row({ label, value, def, id }: { label: string; value: string; def?: string; id: string }) {
  return (
    <div className="flex items-center justify-between text-sm" title={def} data-testid={`kpi-row-${id}`}>
      <span className="text-neutral-600">{label}</span>
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
  const days = series.map((s) => s.day.slice(5));
  // The tooltip shows a day's amount from its fen (¥1248.00), not the axis's float (1,248).
  const yuanTip = (field: "gmvFen" | "rewardsPaidFen") => ({ valueFormatter: (_: unknown, day: number) => formatYuan(series[day]![field]) });
  const option = {
    baseOption: {
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
