"use client";

// A/B 实验: the list of experiments, the form that starts one (B's 推三返一 settings beside A's, the
// rules in force), and the selected experiment's outcomes per group with intervals and a verdict.
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText, refusalIssues } from "@/lib/i18n/labels";
import { settingName } from "@/app/merchant/rules/setting-name";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { formatFen, formatFenGrouped, formatYuanGrouped } from "@/components/money";
import { yuanInputToFen } from "@/app/wallet/amount";
import { StatusBadge } from "@/components/merchant/StatusBadge";
import { SubmitRow } from "@/components/merchant/SubmitRow";
import { verdictText } from "@/server/experiments/verdict-text";
import { adoptBWarning, endExperimentForm, experimentForm, type ExperimentFormValues } from "./form";

type Report = NonNullable<RouterOutputs["merchantExperiments"]["report"]>;
type Rebate = Report["variants"][number]["rebate"];

const input = "h-9 w-full rounded border border-neutral-300 px-2 text-sm tabular-nums";
const pct1 = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);
const num2 = (x: number | null) => (x === null ? "—" : x.toFixed(2));
/** A two-proportion test's B − A difference, its 95% interval (points) and p-value, as exp.m.diffValue shows them. */
const diffValues = (test: { difference: number; interval: { low: number; high: number }; pValue: number }) => ({
  diff: (test.difference * 100).toFixed(1),
  low: (test.interval.low * 100).toFixed(1),
  high: (test.interval.high * 100).toFixed(1),
  p: test.pValue.toFixed(3),
});

function Settings({ rebate }: { rebate: Rebate }) {
  const t = useT();
  if (!rebate) return <>—</>;
  return (
    <span>
      {t("exp.settings", { n: rebate.n, percent: rebate.percent, days: rebate.windowDays })}
      {rebate.capFen !== null ? t("exp.settings.cap", { amount: formatFenGrouped(rebate.capFen) }) : ""}
      {rebate.minAnchorFen > 0 ? t("exp.settings.minAnchor", { amount: formatFenGrouped(rebate.minAnchorFen) }) : ""}
      {rebate.payout === "credit" ? t("exp.settings.payout", { payout: t("rules.r.payout.credit") }) : ""}
    </span>
  );
}

function StartExperiment({ current }: { current: NonNullable<Rebate> }) {
  const t = useT();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  const schema = useMemo(() => experimentForm(t), [t]);
  const form = useForm<ExperimentFormValues>({
    resolver: zodResolver(schema),
    defaultValues: {
      name: "",
      hypothesis: "",
      variantPercent: 50,
      n: current.n,
      percent: current.percent,
      windowDays: current.windowDays,
      cap: current.capFen === null ? "" : formatFen(current.capFen),
      minAnchor: formatFen(current.minAnchorFen),
      payout: current.payout,
    },
  });
  const start = useMutation(
    trpc.merchantExperiments.start.mutationOptions({
      onSuccess: async () => {
        setMessage(t("exp.started"));
        await qc.invalidateQueries({ queryKey: trpc.merchantExperiments.list.queryKey() });
      },
      onError: (e) => {
        const issues = refusalIssues(t, e, settingName);
        const field: Record<string, keyof ExperimentFormValues> = {
          "rebate.n": "n", "rebate.percent": "percent", "rebate.windowDays": "windowDays", "rebate.capFen": "cap", "rebate.minAnchorFen": "minAnchor",
          name: "name", hypothesis: "hypothesis", variantPercent: "variantPercent",
        };
        for (const i of issues) form.setError(field[i.path] ?? "root", { message: i.text });
        setMessage(issues.length ? t("exp.refused") : errorText(t, e));
      },
    }),
  );
  const onSubmit = form.handleSubmit((v) => {
    setMessage(null);
    start.mutate({
      name: v.name,
      hypothesis: v.hypothesis,
      variantPercent: v.variantPercent,
      variantRebate: { n: v.n, percent: v.percent, windowDays: v.windowDays, capFen: v.cap === "" ? null : yuanInputToFen(v.cap)!, minAnchorFen: yuanInputToFen(v.minAnchor)!, payout: v.payout },
    });
  });
  const err = (k: keyof ExperimentFormValues | "root") => {
    const m = k === "root" ? form.formState.errors.root?.message : form.formState.errors[k]?.message;
    return m ? <p role="alert" className="mt-1 text-xs text-rose-600" data-error-for={k}>{m}</p> : null;
  };
  const field = (k: keyof ExperimentFormValues, label: string, el: React.ReactNode) => (
    <label className="block text-sm">
      <span className="mb-1 block text-neutral-600">{label}</span>
      {el}
      {err(k)}
    </label>
  );
  const numeric = { valueAsNumber: true } as const;
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4 rounded-lg bg-white p-5 shadow-sm" data-testid="experiment-form" noValidate>
      <h2 className="text-base font-semibold text-neutral-900">{t("exp.new")}</h2>
      <div className="grid gap-4 md:grid-cols-2">
        {field("name", t("exp.f.name"), <input className={input} {...form.register("name")} />)}
        {field("variantPercent", t("exp.f.share"), <input className={input} inputMode="numeric" {...form.register("variantPercent", numeric)} />)}
      </div>
      {field("hypothesis", t("exp.f.hypothesis"), <textarea className={`${input} h-16 py-1`} {...form.register("hypothesis")} />)}
      <div className="grid gap-4 md:grid-cols-2">
        <div className="rounded border border-neutral-200 p-3 text-sm">
          <h3 className="mb-2 font-medium text-neutral-700">{t("exp.f.current")}</h3>
          <Settings rebate={current} />
        </div>
        <fieldset className="grid grid-cols-2 gap-3 rounded border border-sky-200 p-3">
          {/* Floated: the title sits inside the box, level with 现行规则's beside it, not on the border. */}
          <legend className="float-left col-span-2 text-sm font-medium text-sky-800">{t("exp.f.variant")}</legend>
          {field("n", t("rules.r.n"), <input className={input} inputMode="numeric" {...form.register("n", numeric)} />)}
          {field("percent", t("rules.r.percent"), <input className={input} inputMode="numeric" {...form.register("percent", numeric)} />)}
          {field("windowDays", t("rules.r.window"), <input className={input} inputMode="numeric" {...form.register("windowDays", numeric)} />)}
          {field("cap", t("rules.r.cap"), <input className={input} inputMode="decimal" {...form.register("cap")} />)}
          {/* Read-only: the server refuses a change to it (it picks who opens a task, the test's units). */}
          {field("minAnchor", t("rules.r.minAnchor"), (
            <>
              <input className={`${input} bg-neutral-50`} readOnly aria-describedby="exp-min-anchor-fixed" inputMode="decimal" {...form.register("minAnchor")} />
              <span id="exp-min-anchor-fixed" className="mt-1 block text-xs text-neutral-500">{t("exp.f.minAnchorFixed")}</span>
            </>
          ))}
          {field(
            "payout",
            t("rules.r.payout"),
            <select className={input} {...form.register("payout")}>
              <option value="cash">{t("rules.r.payout.cash")}</option>
              <option value="credit">{t("rules.r.payout.credit")}</option>
            </select>,
          )}
        </fieldset>
      </div>
      {err("root")}
      <SubmitRow label={t("exp.f.start")} pending={start.isPending} message={message} testId="experiment-message" />
    </form>
  );
}

function EndExperiment({ id, verdict, variantB, onEnded }: { id: number; verdict: Report["verdict"]["kind"]; variantB: Rebate; onEnded: (message: string) => void }) {
  const t = useT();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [winner, setWinner] = useState<"A" | "B">("A");
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  // Adopting B saves live rules: a second step says what goes live and how far the data supports it.
  const [confirming, setConfirming] = useState(false);
  const schema = useMemo(() => endExperimentForm(t), [t]);
  const end = useMutation(
    trpc.merchantExperiments.end.mutationOptions({
      onSuccess: async (r) => {
        onEnded(r.promotedVersion ? t(r.alreadyInForce ? "exp.alreadyInForce" : "exp.promoted", { version: r.promotedVersion }) : t("exp.ended"));
        await qc.invalidateQueries({ queryKey: trpc.merchantExperiments.pathKey() });
        await qc.invalidateQueries({ queryKey: trpc.merchantRules.pathKey() });
      },
      onError: (e) => {
        setConfirming(false);
        // A refused reason goes beside its field, in the page's language.
        const reasonIssue = refusalIssues(t, e).find((i) => i.path === "reason");
        if (reasonIssue) {
          setReasonError(e.data?.domainCode === "EXPERIMENT_END_REFUSED" ? t("exp.err.reasonRequired") : reasonIssue.text);
          setMessage(null);
        } else setMessage(errorText(t, e));
      },
    }),
  );
  const warning = adoptBWarning(verdict);
  const submit = () => end.mutate({ id, winner, reason });
  return (
    <form method="post"
      className="mt-4 space-y-3 rounded border border-neutral-200 p-4 text-sm"
      data-testid="experiment-end"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setMessage(null);
        const parsed = schema.safeParse({ winner, reason });
        if (!parsed.success) {
          setReasonError(parsed.error.issues.find((i) => i.path[0] === "reason")?.message ?? null);
          return;
        }
        setReasonError(null);
        if (winner === "B") setConfirming(true);
        else submit();
      }}
    >
      <fieldset className="flex flex-wrap gap-4" disabled={confirming}>
        <legend className="mb-1 text-neutral-600">{t("exp.end.winner")}</legend>
        {(["A", "B"] as const).map((v) => (
          <label key={v} className="flex items-center gap-1">
            <input type="radio" name="winner" checked={winner === v} onChange={() => setWinner(v)} />
            {v === "A" ? t("exp.end.keepA") : t("exp.end.adoptB")}
          </label>
        ))}
      </fieldset>
      <label className="block">
        <span className="mb-1 block text-neutral-600">{t("exp.end.reason")}</span>
        <input className={input} value={reason} readOnly={confirming} aria-invalid={reasonError ? true : undefined} aria-describedby={reasonError ? "exp-end-reason-error" : undefined} onChange={(e) => setReason(e.target.value)} />
        {reasonError ? <span id="exp-end-reason-error" role="alert" className="mt-1 block text-xs text-rose-600" data-error-for="reason">{reasonError}</span> : null}
      </label>
      {confirming ? (
        <div className="space-y-2 rounded border border-amber-300 bg-amber-50 p-3 text-amber-900" role="alertdialog" aria-labelledby="exp-confirm-title" data-testid="experiment-adopt-confirm">
          <p id="exp-confirm-title" className="font-semibold">{t("exp.confirm.title")}</p>
          <p>
            {t("exp.confirm.goesLive")}
            <span className="font-medium" data-testid="experiment-adopt-settings"><Settings rebate={variantB} /></span>
          </p>
          {warning ? <p className="font-medium text-rose-700" data-testid="experiment-adopt-warning">{t(warning)}</p> : null}
          <div className="flex flex-wrap items-center gap-3">
            <button type="button" disabled={end.isPending} onClick={submit} className="h-9 rounded bg-rose-700 px-4 text-white disabled:opacity-50">
              {t("exp.confirm.submit")}
            </button>
            <button type="button" disabled={end.isPending} onClick={() => setConfirming(false)} className="h-9 rounded border border-neutral-300 bg-white px-4 text-neutral-700">
              {t("exp.confirm.back")}
            </button>
          </div>
        </div>
      ) : (
        <div className="flex items-center gap-3">
          <button type="submit" disabled={end.isPending} className="h-9 rounded bg-rose-700 px-4 text-white disabled:opacity-50">
            {t("exp.end")}
          </button>
          {message ? <span role="alert" className="text-rose-700">{message}</span> : null}
        </div>
      )}
    </form>
  );
}

function ReportView({ id, canEdit, onEnded }: { id: number; canEdit: boolean; onEnded: (message: string) => void }) {
  const t = useT();
  const trpc = useTRPC();
  const report = useQuery(trpc.merchantExperiments.report.queryOptions({ id }));
  const r = report.data;
  if (!r) return <p className="text-sm text-neutral-500">{t("common.loading")}</p>;
  const [a, b] = r.variants;
  // The cost test's figures are fen with fractions (means) and a sign, not amounts: to the nearest fen, in 元.
  const yuan2 = (fen: number) => `${fen < 0 ? "−" : ""}${formatYuanGrouped(Math.round(Math.abs(fen)))}`;
  const interval = (i: { low: number; high: number } | null) => (i ? ` [${pct1(i.low)}, ${pct1(i.high)}]` : "");
  const rows: { label: string; def?: string; cell: (v: typeof a) => React.ReactNode }[] = [
    { label: t("exp.m.settings"), cell: (v) => <Settings rebate={v.rebate} /> },
    { label: t("exp.m.members"), def: t("exp.m.members.def"), cell: (v) => v.members },
    { label: t("exp.m.tasks"), def: t("exp.m.tasks.def"), cell: (v) => v.tasks },
    { label: t("exp.m.metRate"), def: t("exp.m.metRate.def"), cell: (v) => `${pct1(v.metRate)}${interval(v.metInterval)} (${v.metMembers}/${v.members})` },
    { label: t("exp.m.inviteesPerTask"), def: t("exp.m.inviteesPerTask.def"), cell: (v) => num2(v.inviteesPerTask) },
    { label: t("exp.m.conversion"), def: t("exp.m.conversion.def"), cell: (v) => `${pct1(v.conversion)}${interval(v.conversionInterval)} (${v.converted}/${v.invited})` },
    { label: t("exp.m.kFactor"), def: t("exp.m.kFactor.def"), cell: (v) => num2(v.kFactor) },
    { label: t("exp.m.cashback"), cell: (v) => formatYuanGrouped(v.cashbackFen) },
    { label: t("exp.m.cost"), def: t("exp.m.cost.def"), cell: (v) => (v.costPerNewPayingFen === null ? "—" : formatYuanGrouped(v.costPerNewPayingFen)) },
  ];
  const tone = r.verdict.kind === "b_better" || r.verdict.kind === "a_better" ? "bg-emerald-50 text-emerald-800" : "bg-amber-50 text-amber-800";
  return (
    <section className="rounded-lg bg-white p-5 shadow-sm" data-testid="experiment-report">
      <h2 className="mb-1 text-base font-semibold text-neutral-900">
        {t("exp.reportOf", { name: r.name })}
      </h2>
      {r.hypothesis ? <p className="mb-3 text-sm text-neutral-600">{t("exp.hypothesis", { text: r.hypothesis })}</p> : null}
      <p className={`mb-4 rounded px-3 py-2 text-sm ${tone}`} data-testid="experiment-verdict" data-kind={r.verdict.kind}>
        {verdictText(t, r.verdict)}
      </p>
      <table className="w-full text-sm">
        <thead>
          <tr className="border-b text-left text-neutral-600">
            <th className="py-2 font-medium">{t("exp.metric")}</th>
            <th className="py-2 font-medium">{t("exp.group", { variant: "A" })}</th>
            <th className="py-2 font-medium">{t("exp.group", { variant: "B" })}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label} className="border-b border-neutral-100">
              <th scope="row" className="py-2 pr-4 text-left font-normal text-neutral-700" title={row.def}>
                {row.label}
              </th>
              <td className="py-2 tabular-nums" data-testid={`exp-a-${row.label}`}>{row.cell(a)}</td>
              <td className="py-2 tabular-nums" data-testid={`exp-b-${row.label}`}>{row.cell(b)}</td>
            </tr>
          ))}
          {r.metTest ? (
            <tr>
              <th scope="row" className="py-2 pr-4 text-left font-normal text-neutral-700">{t("exp.m.diff")}</th>
              <td colSpan={2} className="py-2 tabular-nums">
                {t("exp.m.diffValue", diffValues(r.metTest))}
              </td>
            </tr>
          ) : null}
          {r.conversionTest ? (
            <tr>
              <th scope="row" className="py-2 pr-4 text-left font-normal text-neutral-700" title={t("exp.m.conversionDiff.def")}>{t("exp.m.conversionDiff")}</th>
              <td colSpan={2} className="py-2 tabular-nums" data-testid="exp-conversion-diff">
                {t("exp.m.diffValue", diffValues(r.conversionTest))}
              </td>
            </tr>
          ) : null}
          {r.costTest ? (
            <tr>
              <th scope="row" className="py-2 pr-4 text-left font-normal text-neutral-700">{t("exp.m.costDiff")}</th>
              <td colSpan={2} className="py-2 tabular-nums" data-testid="exp-cost-diff">
                {t("exp.m.costDiffValue", {
                  diff: yuan2(r.costTest.difference),
                  low: yuan2(r.costTest.interval.low),
                  high: yuan2(r.costTest.interval.high),
                  p: r.costTest.pValue.toFixed(3),
                })}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {canEdit && r.status === "RUNNING" ? <EndExperiment id={r.id} verdict={r.verdict.kind} variantB={b.rebate} onEnded={onEnded} /> : null}
    </section>
  );
}

export function ExperimentsClient({ canEdit }: { canEdit: boolean }) {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const list = useQuery(trpc.merchantExperiments.list.queryOptions());
  const rules = useQuery(trpc.merchantRules.overview.queryOptions());
  const [picked, setPicked] = useState<number | null>(null);
  // Kept here: the end form unmounts once its experiment has ended.
  const [ended, setEnded] = useState<string | null>(null);
  if (!list.data || !rules.data) return <p className="text-sm text-neutral-500">{t("common.loading")}</p>;
  const running = list.data.find((e) => e.status === "RUNNING");
  const selected = picked ?? list.data[0]?.id ?? null;
  return (
    <div className="space-y-6">
      <p className="text-sm text-neutral-600">{t("exp.intro")}</p>
      {!canEdit ? <p className="rounded bg-amber-50 px-3 py-2 text-sm text-amber-700">{t("exp.readOnly")}</p> : null}
      <section className="rounded-lg bg-white p-5 shadow-sm">
        <h2 className="mb-3 text-base font-semibold text-neutral-900">{t("exp.list")}</h2>
        {ended ? <p role="status" className="mb-3 rounded bg-emerald-50 px-3 py-2 text-sm text-emerald-700" data-testid="experiment-end-message">{ended}</p> : null}
        {list.data.length === 0 ? (
          <p className="text-sm text-neutral-500">{t("exp.none")}</p>
        ) : (
          <table className="w-full text-sm" data-testid="experiment-list">
            <thead>
              <tr className="border-b text-left text-neutral-600">
                {["name", "status", "share", "started", "ended", "winner"].map((c) => (
                  <th key={c} className="py-2 font-medium">{t(`exp.col.${c}` as "exp.col.name")}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {list.data.map((e) => (
                <tr key={e.id} className={`border-b border-neutral-100 ${e.id === selected ? "bg-sky-50" : ""}`}>
                  <td className="py-2">
                    <button type="button" className="text-sky-700 underline-offset-2 hover:underline" onClick={() => setPicked(e.id)} aria-pressed={e.id === selected}>
                      {e.name}
                    </button>
                  </td>
                  <td><StatusBadge label={t(`exp.status.${e.status}`)} tone={e.status === "RUNNING" ? "progress" : "neutral"} status={e.status} /></td>
                  <td className="tabular-nums">{e.variantPercent}%</td>
                  <td className="tabular-nums">{formatDateTime(new Date(e.startedAt), { timeZone })}</td>
                  <td className="tabular-nums">{e.endedAt ? formatDateTime(new Date(e.endedAt), { timeZone }) : "—"}</td>
                  <td>{e.winner ? `${e.winner}${e.promotedVersion ? ` (v${e.promotedVersion})` : ""}` : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {selected !== null ? <ReportView key={selected} id={selected} canEdit={canEdit} onEnded={setEnded} /> : null}
      {canEdit ? running ? <p className="text-sm text-neutral-600">{t("exp.running")}</p> : <StartExperiment current={rules.data.active.rebate} /> : null}
    </div>
  );
}
