"use client";

// 收益模拟器: the population form (and rule set B's edits), the runs with their progress bars, and the
// chosen run's projected figures for A and B side by side, with the cash flow drawn by ECharts. The run
// shown is in the address (?run=<id>), so a result can be bookmarked, shared and reopened.
import { useEffect, useMemo, useRef, useState } from "react";
import { useSearchParams } from "next/navigation";
import dynamic from "next/dynamic";
import { useFieldArray, useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { useReducedMotion } from "@/lib/use-reduced-motion";
import { errorText, refusalIssues } from "@/lib/i18n/labels";
import { settingName } from "@/app/merchant/rules/setting-name";
import { formatBps, formatFenGrouped, formatYuanGrouped } from "@/components/money";
import { StatusBadge } from "@/components/merchant/StatusBadge";
import { EARNING_BANDS } from "@/server/simulator/bands";
import { FieldError, INVALID_CLASSES, invalidProps, messageAt, useFocusFirstInvalid } from "@/components/merchant/FieldError";
import { showQueuedNotice } from "./defaults";
import { bSameAsRules, formFieldOf, populationOf, ruleChanges, simulatorForm, type SimulatorForm } from "./form";
import { cashFlowDayLabel, cashFlowPoints, earningsText, ownRateCategories, queuedRunState, ruleSetHeading, runHref, runPages, runParam, shownRun, tiersText, weightTotal } from "./view";
import type { MixRow, ShopCategory } from "@/server/simulator/defaults";

const ReactECharts = dynamic(() => import("echarts-for-react"), { ssr: false });

type Run = NonNullable<RouterOutputs["merchantSimulator"]["get"]>;
type RuleSet = NonNullable<Run["result"]>["ruleSets"][number];

const input = `h-9 w-full rounded border border-neutral-300 px-2 text-sm tabular-nums ${INVALID_CLASSES}`;
// The category mix's columns: on a phone the category's name gets the room (a price and a share are short),
// so a name like 生鲜果蔬 is not cut inside its dropdown; equal thirds from sm up.
const MIX_GRID = "grid grid-cols-[minmax(0,1.6fr)_minmax(0,1fr)_minmax(0,0.8fr)] gap-2 sm:grid-cols-3";
type Form = SimulatorForm;

function NewSimulation({
  rules,
  runs,
  categories,
  categoryNames,
  defaultMix,
  onQueued,
}: {
  rules: RouterOutputs["merchantSimulator"]["rules"];
  runs: readonly { id: number; status: string; progress: number }[];
  categories: ShopCategory[];
  categoryNames: ShopCategory[];
  defaultMix: MixRow[];
  onQueued: (id: number) => void;
}) {
  const t = useT();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  // The run this form queued last: "queued" is said only while it waits (the list polls its status).
  const [queuedId, setQueuedId] = useState<number | null>(null);
  // Refusals the server sent back: each brings the first refused field into view, as a submit does.
  const [refusals, setRefusals] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const [l1, l2, l3] = [0, 1, 2].map((i) => formatBps(rules.commission.ratesBps[i] ?? 0).replace("%", ""));
  const schema = useMemo(() => simulatorForm(rules, t), [rules, t]);
  const f = useForm<Form>({
    resolver: zodResolver(schema),
    shouldFocusError: false,
    defaultValues: {
      name: "",
      members: 1000,
      sharerPercent: 30,
      invitesPerSharer: 3,
      firstOrderPercent: 60,
      refundPercent: 5,
      repeatOrders: 1,
      horizonDays: 90,
      seed: 42,
      categories: defaultMix,
      compare: true,
      l1,
      l2,
      l3,
      uniformRates: false,
      rebateN: rules.rebate.n,
      rebatePercent: rules.rebate.percent,
      rebateWindow: rules.rebate.windowDays,
    },
  });
  const cats = useFieldArray({ control: f.control, name: "categories" });
  const compare = useWatch({ control: f.control, name: "compare" });
  const uniformRates = useWatch({ control: f.control, name: "uniformRates" });
  const mix = useWatch({ control: f.control, name: "categories" });
  const mixTotal = weightTotal(mix ?? []);
  const bFields = useWatch({ control: f.control, name: ["l1", "l2", "l3", "rebateN", "rebatePercent", "rebateWindow"] });
  const [bL1, bL2, bL3, rebateN, rebatePercent, rebateWindow] = bFields;
  const bSame = compare && bSameAsRules(rules, { compare, l1: bL1, l2: bL2, l3: bL3, uniformRates, rebateN, rebatePercent, rebateWindow });
  const ownRates = ownRateCategories(rules.commission.categoryRatesBps, categoryNames);
  const queue = useMutation(
    trpc.merchantSimulator.queue.mutationOptions({
      onSuccess: async (r) => {
        setQueuedId(r.id);
        onQueued(r.id);
        await qc.invalidateQueries({ queryKey: trpc.merchantSimulator.list.pathKey() });
      },
      onError: (e) => {
        const issues = refusalIssues(t, e, settingName);
        for (const i of issues) f.setError(formFieldOf(i.path), { message: i.text });
        if (issues.length) setRefusals((n) => n + 1);
        setQueuedId(null);
        // A shape the API refuses (its message is zod's JSON) is said in words.
        setMessage(issues.length ? t("sim.refused") : e.data?.zodError ? t("sim.invalid") : errorText(t, e));
      },
    }),
  );
  const submit = f.handleSubmit((v) => {
    setMessage(null);
    setQueuedId(null);
    queue.mutate({
      name: v.name,
      population: populationOf(v),
      changes: ruleChanges(v),
    });
  });
  useFocusFirstInvalid(formRef, f.formState.submitCount + refusals);
  const errorOf = (path: string) => messageAt(f.formState.errors, path);
  const invalid = (path: string) => invalidProps(path, errorOf(path));
  const err = (path: string) => <FieldError name={path} message={errorOf(path)} />;
  const numeric = { valueAsNumber: true } as const;
  const numField = (k: keyof Form, label: string) => (
    <label className="block text-sm">
      <span className="mb-1 block text-neutral-600">{label}</span>
      <input className={input} inputMode="decimal" {...f.register(k, numeric)} {...invalid(k)} />
      {err(k)}
    </label>
  );
  return (
    <form method="post" ref={formRef} onSubmit={submit} noValidate className="space-y-4 rounded-lg bg-white p-5 shadow-sm" data-testid="simulation-form">
      <h2 className="text-base font-semibold text-neutral-900">{t("sim.new")}</h2>
      <div className="grid gap-4 md:grid-cols-3">
        <label className="block text-sm">
          <span className="mb-1 block text-neutral-600">{t("sim.name")}</span>
          <input className={input} {...f.register("name")} {...invalid("name")} />
          {err("name")}
        </label>
        {numField("members", t("sim.members"))}
        {numField("horizonDays", t("sim.horizonDays"))}
        {numField("sharerPercent", t("sim.sharerPercent"))}
        {numField("invitesPerSharer", t("sim.invitesPerSharer"))}
        {numField("firstOrderPercent", t("sim.firstOrderPercent"))}
        {numField("refundPercent", t("sim.refundPercent"))}
        {numField("repeatOrders", t("sim.repeatOrders"))}
        {numField("seed", t("sim.seed"))}
      </div>
      <fieldset className="rounded border border-neutral-200 p-3">
        <legend className="px-1 text-sm text-neutral-700">{t("sim.categories")}</legend>
        {/* The columns' names on screen; each input carries its own for assistive technology. */}
        <div className={`mb-1 ${MIX_GRID} items-end text-xs text-neutral-500`} aria-hidden="true" data-testid="sim-categories-head">
          <span>{t("sim.category")}</span>
          <span>{t("sim.price")}</span>
          <span>{t("sim.weight")}</span>
        </div>
        <div className="space-y-2">
          {cats.fields.map((c, i) => (
            <div key={c.id} className={MIX_GRID}>
              {categories.length ? (
                <select aria-label={`${t("sim.category")} ${i + 1}`} className={input} {...f.register(`categories.${i}.category`)} {...invalid(`categories.${i}.category`)}>
                  <option value="">{t("sim.pickCategory")}</option>
                  {categories.map((o) => (
                    <option key={o.slug} value={o.slug}>
                      {o.name}
                    </option>
                  ))}
                  {/* A code typed before (or the example's) stays selectable. */}
                  {c.category && !categories.some((o) => o.slug === c.category) ? <option value={c.category}>{c.category}</option> : null}
                </select>
              ) : (
                <input aria-label={`${t("sim.category")} ${i + 1}`} className={input} {...f.register(`categories.${i}.category`)} {...invalid(`categories.${i}.category`)} />
              )}
              <input aria-label={`${t("sim.price")} ${i + 1}`} className={input} inputMode="decimal" {...f.register(`categories.${i}.price`)} {...invalid(`categories.${i}.price`)} />
              <input aria-label={`${t("sim.weight")} ${i + 1}`} className={input} inputMode="decimal" {...f.register(`categories.${i}.weight`, numeric)} {...invalid(`categories.${i}.weight`)} />
              {(["category", "price", "weight"] as const).map((k) => (
                <FieldError key={k} name={`categories.${i}.${k}`} message={errorOf(`categories.${i}.${k}`)} className="col-span-3" />
              ))}
            </div>
          ))}
        </div>
        {err("categories")}
        {mixTotal !== 100 && mixTotal > 0 ? (
          <p className="mt-1 text-xs text-neutral-500" data-testid="sim-weight-total">
            {t("sim.weightTotal", { total: mixTotal })}
          </p>
        ) : null}
        <button type="button" className="mt-2 text-sm text-sky-700" onClick={() => cats.append({ category: "", price: "", weight: 0 })}>
          {t("sim.addCategory")}
        </button>
      </fieldset>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" {...f.register("compare")} />
        {t("sim.compare")}
      </label>
      {compare ? (
        <div className="grid gap-4 rounded border border-sky-200 p-3 md:grid-cols-3">
          {bSame ? (
            <p role="status" className="rounded bg-amber-50 p-2 text-sm text-amber-900 md:col-span-3" data-testid="sim-b-same">
              {t("sim.b.same")}
            </p>
          ) : null}
          <div className="text-sm md:col-span-3">
            <span className="mb-1 block text-neutral-600">{t("sim.b.rates")}</span>
            <div className="flex gap-2">
              {(["l1", "l2", "l3"] as const).map((k, i) => (
                <label key={k} className="flex flex-col gap-0.5">
                  <span className="text-xs text-neutral-500">{t("sim.b.level", { n: i + 1 })}</span>
                  <input className={`${input} w-24`} inputMode="decimal" {...f.register(k)} {...invalid(k)} />
                </label>
              ))}
            </div>
            {err("l1")}
            {err("l2")}
            {err("l3")}
            {ownRates.length ? (
              // B's rates per level do not reach the categories with rates of their own: said beside them.
              <div className="mt-2 rounded bg-amber-50 p-2 text-xs text-amber-900" data-testid="sim-own-rates">
                <p>{t(uniformRates ? "sim.b.ownRatesDropped" : "sim.b.ownRates", { list: ownRates.map((c) => `${c.name}${t("input.paren", { text: c.rates })}`).join(t("input.list")) })}</p>
                <label className="mt-1 flex items-center gap-2">
                  <input type="checkbox" {...f.register("uniformRates")} />
                  {t("sim.b.uniformRates")}
                </label>
              </div>
            ) : null}
          </div>
          {numField("rebateN", t("sim.b.n"))}
          {numField("rebatePercent", t("sim.b.percent"))}
          {numField("rebateWindow", t("sim.b.window"))}
        </div>
      ) : null}
      {err("root")}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={queue.isPending} className="h-9 rounded bg-neutral-900 px-4 text-sm text-white disabled:opacity-50">
          {t("sim.run")}
        </button>
        {/* The run just queued, beside the button the merchant pressed: its state and progress as the list polls them. */}
        <QueuedRun queuedId={queuedId} runs={runs} message={showQueuedNotice(queuedId, runs) ? t("sim.queued") : message} />
      </div>
    </form>
  );
}

function Result({ id }: { id: number }) {
  const t = useT();
  const trpc = useTRPC();
  const reducedMotion = useReducedMotion();
  const run = useQuery({ ...trpc.merchantSimulator.get.queryOptions({ id }), refetchInterval: (q) => (q.state.data && (q.state.data.status === "QUEUED" || q.state.data.status === "RUNNING") ? 2_000 : false) });
  const r = run.data;
  if (r === null) {
    return (
      <section className="rounded-lg bg-white p-5 shadow-sm" data-testid="simulation-result">
        <p role="alert" className="text-sm text-neutral-600">{t("sim.notFound")}</p>
      </section>
    );
  }
  if (!r) return null;
  if (r.status !== "DONE" || !r.result) {
    return (
      <section className="rounded-lg bg-white p-5 shadow-sm" data-testid="simulation-result">
        <h2 className="mb-2 text-base font-semibold" tabIndex={-1}>{t("sim.result", { name: r.name })}</h2>
        <Progress status={r.status} progress={r.progress} />
        {r.error ? <p role="alert" className="mt-2 text-sm text-rose-700">{r.error}</p> : null}
      </section>
    );
  }
  const sets = r.result.ruleSets;
  // [stable id (the cells' test ids), label, definition, cell]
  const rows: [string, string, string | null, (s: RuleSet, k: number) => string][] = [
    ["gmv", t("sim.f.gmv"), null, (s) => formatYuanGrouped(s.gmvFen)],
    ["orders", t("sim.f.orders"), null, (s) => String(s.orders)],
    ["payingMembers", t("sim.f.payingMembers"), null, (s) => String(s.payingMembers)],
    ["commissions", t("sim.f.commissions"), null, (s) => `${formatYuanGrouped(s.commissionsFen)}${t("input.paren", { text: s.commissionsByLevelFen.map((v) => formatFenGrouped(v)).join(" / ") })}`],
    ["cashback", t("sim.f.cashback"), null, (s) => formatYuanGrouped(s.cashbackFen)],
    ["teamBonus", t("sim.f.teamBonus"), null, (s) => formatYuanGrouped(s.teamBonusFen)],
    ["stepBonus", t("sim.f.stepBonus"), null, (s) => formatYuanGrouped(s.stepBonusFen)],
    ["payoutRatio", t("sim.f.payoutRatio"), t("sim.f.payoutRatio.def"), (s) => (s.payoutRatioBps === null ? "—" : `${(s.payoutRatioBps / 100).toFixed(2)}%`)],
    ["tasks", t("sim.f.tasks"), null, (s) => `${s.tasksMet} / ${s.tasksOpened}`],
    // Each rule set's tiers by the names its own rules give them.
    ["tiers", t("sim.f.tiers"), null, (s, k) => tiersText(t, s.tiers, (r.configs[k] ?? r.configs[0])?.tiers ?? [])],
    ["earnNothing", t("sim.f.earnNothing"), null, (s) => `${s.earnings[0]}${t("input.paren", { text: `${((s.earnings[0] / s.members) * 100).toFixed(1)}%` })}`],
    ["earnings", t("sim.f.earnings"), null, (s) => earningsText(t, EARNING_BANDS, s.earnings)],
  ];
  const points = cashFlowPoints(sets, r.population.horizonDays);
  const series = points.sets.flatMap(({ owedFen, paidFen }, i) => {
    const label = i === 0 ? "A" : "B";
    // The tooltip shows a day's amount from its fen (¥1,248.00), not the axis's float (1,248).
    const yuanTip = (fen: number[]) => ({ valueFormatter: (_: unknown, day: number) => formatYuanGrouped(fen[day]!) });
    return [
      { name: t("sim.liability", { set: label }), type: "line", data: owedFen.map((f) => f / 100), showSymbol: false, tooltip: yuanTip(owedFen) },
      { name: t("sim.paid", { set: label }), type: "bar", data: paidFen.map((f) => f / 100), tooltip: yuanTip(paidFen) },
    ];
  });
  return (
    <section className="space-y-4 rounded-lg bg-white p-5 shadow-sm" data-testid="simulation-result">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-base font-semibold" tabIndex={-1}>{t("sim.result", { name: r.name })}</h2>
        <span className="rounded bg-amber-50 px-2 py-1 text-xs text-amber-800" data-testid="projection">{t("projection.label")}</span>
      </div>
      {r.bSameAsA ? (
        <p role="note" className="rounded bg-amber-50 p-2 text-sm text-amber-900" data-testid="sim-result-b-same">
          {t("sim.b.sameResult")}
        </p>
      ) : null}
      <table className="w-full text-sm">
        <thead>
          <tr className="border-b text-left text-neutral-600">
            <th className="py-2 font-medium">{t("sim.col.figure")}</th>
            {sets.map((_, i) => (
              <th key={i} className="py-2 font-medium">{t(...ruleSetHeading(i, r.ruleVersion))}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([id, label, def, cell]) => (
            <tr key={id} className="border-b border-neutral-100">
              <th scope="row" className="py-2 pr-4 text-left font-normal text-neutral-700" title={def ?? undefined}>
                {label}
                {def ? (
                  <span className="mt-0.5 block text-xs text-neutral-500" data-testid={`sim-def-${id}`}>
                    {def}
                  </span>
                ) : null}
              </th>
              {sets.map((s, i) => (
                <td key={i} className="py-2 tabular-nums" data-testid={`sim-${i === 0 ? "a" : "b"}-${id}`}>{cell(s, i)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div>
        <h3 className="mb-2 text-sm font-medium text-neutral-700">{t("sim.cashflow")}</h3>
        <ReactECharts
          style={{ height: 280 }}
          notMerge
          option={{ animation: !reducedMotion, tooltip: { trigger: "axis" }, legend: {}, grid: { left: 60, right: 20, top: 40, bottom: 30 }, xAxis: { type: "category", data: points.days.map((n) => cashFlowDayLabel(t, n)) }, yAxis: { type: "value", name: "¥" }, series }}
        />
        {points.days.includes(null) ? (
          <p className="text-xs text-neutral-500" data-testid="sim-cashflow-close">
            {t("sim.cashflowClose", { days: r.population.horizonDays })}
          </p>
        ) : null}
      </div>
      <p className="flex flex-wrap gap-4 text-sm">
        {sets.map((_, i) => (
          <a key={i} className="text-sky-700 underline" href={`/merchant/simulator/${r.id}/scenario?set=${i}`} download>
            {t("sim.download", { set: i === 0 ? "A" : "B" })}
          </a>
        ))}
      </p>
      {/* The command is for the technical team: folded away, so it does not confront the merchant. */}
      <details className="text-xs text-neutral-500" data-testid="sim-dev">
        <summary className="cursor-pointer">{t("sim.dev")}</summary>
        <p className="mt-1">{t("sim.replay")}</p>
      </details>
    </section>
  );
}

/**
 * A run's progress bar. While a run waits (queued, or started but nothing replayed yet: 0%) the bar has no share to
 * show: it pulses across its width instead (still for a viewer who asked for less motion) and says no percentage.
 */
function Progress({ status, progress }: { status: string; progress: number }) {
  const t = useT();
  const waiting = (status === "QUEUED" || status === "RUNNING") && progress === 0;
  const percent = Math.floor(progress / 10);
  return (
    <div className="flex items-center gap-2">
      <div
        className="h-2 w-40 overflow-hidden rounded bg-neutral-100"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={waiting ? undefined : percent}
        aria-valuetext={waiting ? t.opt(`sim.status.${status}`, status) : undefined}
        aria-label={t.opt(`sim.status.${status}`, status)}
        data-waiting={waiting ? "true" : undefined}
      >
        {waiting ? <div className="h-full w-full bg-sky-300 motion-safe:animate-pulse" /> : <div className={`h-full ${status === "FAILED" ? "bg-rose-500" : "bg-sky-600"}`} style={{ width: `${progress / 10}%` }} />}
      </div>
      {waiting ? null : <span className="text-xs tabular-nums text-neutral-600">{percent}%</span>}
    </div>
  );
}

/** Whole seconds since run `id` was first shown here (its queuing), counted every second while `running`. */
function useElapsed(id: number | null, running: boolean): number {
  const [elapsed, setElapsed] = useState<{ id: number | null; s: number }>({ id, s: 0 });
  const since = useRef<{ id: number | null; at: number } | null>(null);
  useEffect(() => {
    if (id === null || !running) return;
    if (since.current?.id !== id) since.current = { id, at: Date.now() };
    const start = since.current.at;
    const timer = setInterval(() => setElapsed({ id, s: Math.round((Date.now() - start) / 1_000) }), 1_000);
    return () => clearInterval(timer);
  }, [id, running]);
  return elapsed.id === id ? elapsed.s : 0;
}

/**
 * Keeps `el` where the merchant sees it while the page above it grows (the run list's new row, the run's result
 * appearing and then filling in): the browser's own scroll anchoring did not hold it (it went below a 768px screen).
 */
function useKeptInView(el: React.RefObject<HTMLElement | null>, key: number | null) {
  useEffect(() => {
    const node = el.current;
    if (key === null || !node) return;
    node.scrollIntoView({ block: "nearest" });
    let top = node.getBoundingClientRect().top;
    const seen = () => top >= 0 && top < window.innerHeight;
    const observer = new ResizeObserver(() => {
      const now = node.getBoundingClientRect().top;
      if (now !== top && seen()) window.scrollBy(0, now - top);
      top = node.getBoundingClientRect().top;
    });
    observer.observe(document.body);
    const onScroll = () => (top = node.getBoundingClientRect().top);
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      observer.disconnect();
      window.removeEventListener("scroll", onScroll);
    };
  }, [el, key]);
}

/**
 * Beside 开始模拟: the run the form queued (its state, progress bar and the time it has taken, so a wait at 0% still
 * visibly moves), and, once it is done or failed, a button bringing its result into view; else the form's message.
 */
function QueuedRun({ queuedId, runs, message }: { queuedId: number | null; runs: readonly { id: number; status: string; progress: number }[]; message: string | null }) {
  const t = useT();
  const state = queuedRunState(queuedId, runs);
  const open = state !== null && (state.status === "QUEUED" || state.status === "RUNNING");
  const elapsed = useElapsed(queuedId, open);
  const box = useRef<HTMLDivElement>(null);
  useKeptInView(box, queuedId);
  if (state === null) {
    return message ? (
      <span role="status" className="text-sm text-neutral-700" data-testid="simulation-message">
        {message}
      </span>
    ) : null;
  }
  const showResult = () => {
    const result = document.querySelector<HTMLElement>('[data-testid="simulation-result"]');
    result?.scrollIntoView({ block: "start" });
    result?.querySelector<HTMLElement>("h2")?.focus();
  };
  return (
    <div ref={box} className="flex flex-wrap items-center gap-3 text-sm" data-testid="sim-queued-run" data-status={state.status}>
      <StatusBadge label={t.opt(`sim.status.${state.status}`, state.status)} status={state.status} tone={state.status === "DONE" ? "success" : state.status === "FAILED" ? "danger" : "progress"} />
      {state.status === "DONE" || state.status === "FAILED" ? null : <Progress status={state.status} progress={state.progress} />}
      <span role="status" className="text-neutral-700" data-testid="simulation-message">
        {state.status === "QUEUED" ? t("sim.queued") : state.status === "RUNNING" && state.progress === 0 ? t("sim.preparing") : (message ?? "")}
      </span>
      {open ? <span className="text-xs tabular-nums text-neutral-500" data-testid="sim-elapsed">{t("sim.elapsed", { s: elapsed })}</span> : null}
      {open ? null : (
        <button type="button" className="text-sky-700 underline" onClick={showResult} data-testid="sim-view-result">
          {t("sim.viewResult")}
        </button>
      )}
    </div>
  );
}

export function SimulatorClient({ categories, categoryNames, defaultMix }: { categories: ShopCategory[]; categoryNames: ShopCategory[]; defaultMix: MixRow[] }) {
  const t = useT();
  const trpc = useTRPC();
  const list = useInfiniteQuery({
    ...trpc.merchantSimulator.list.infiniteQueryOptions({}, runPages),
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.runs.some((r) => r.status === "QUEUED" || r.status === "RUNNING")) ? 2_000 : false),
  });
  const rules = useQuery(trpc.merchantSimulator.rules.queryOptions());
  // The shown run lives in the address: history entries, so Back returns to the run shown before.
  const fromUrl = runParam(useSearchParams().get("run"));
  const open = (id: number) => window.history.pushState(null, "", runHref(id));
  if (!list.data || !rules.data) return <p className="text-sm text-neutral-500">{t("common.loading")}</p>;
  const runs = list.data.pages.flatMap((p) => p.runs);
  const selected = shownRun(fromUrl, runs);
  return (
    <div className="space-y-6">
      <p className="text-sm text-neutral-600">{t("sim.intro")}</p>
      <section className="rounded-lg bg-white p-5 shadow-sm">
        <h2 className="mb-3 text-base font-semibold">{t("sim.runs")}</h2>
        {runs.length === 0 ? (
          <p className="text-sm text-neutral-500">{t("sim.none")}</p>
        ) : (
          <ul className="divide-y divide-neutral-100 text-sm" data-testid="simulation-list">
            {runs.map((r) => (
              <li key={r.id} className={`flex items-center gap-4 py-2 ${r.id === selected ? "bg-sky-50" : ""}`}>
                {/* A real link (copy, open in a new tab); a plain click only changes the address here. */}
                <a
                  href={runHref(r.id)}
                  className="min-w-40 text-left text-sky-700 hover:underline"
                  aria-current={r.id === selected ? "true" : undefined}
                  onClick={(e) => {
                    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
                    e.preventDefault();
                    open(r.id);
                  }}
                >
                  {r.name}
                </a>
                <StatusBadge label={t(`sim.status.${r.status}`)} status={r.status} tone={r.status === "DONE" ? "success" : r.status === "FAILED" ? "danger" : "progress"} />
                <Progress status={r.status} progress={r.progress} />
              </li>
            ))}
          </ul>
        )}
        {list.hasNextPage ? (
          <button type="button" className="mt-3 text-sm text-sky-700 disabled:text-neutral-400" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} data-testid="simulation-more">
            {t("sim.more")}
          </button>
        ) : null}
      </section>
      {selected !== null ? <Result key={selected} id={selected} /> : null}
      <NewSimulation rules={rules.data} runs={runs} categories={categories} categoryNames={categoryNames} defaultMix={defaultMix} onQueued={open} />
    </div>
  );
}
