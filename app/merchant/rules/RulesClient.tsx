"use client";

// 规则配置: one form over every program setting (SPEC §4–§7, issue 11), validated by the engine's own
// config schema (the server runs the same schema inside its compliance guard), saved as a new rule
// version effective now or later; the version history with a side-by-side diff below it.
import { createContext, useContext, useEffect, useMemo, useRef, useState } from "react";
import { Controller, FormProvider, useFieldArray, useForm, useFormContext, useWatch, type FieldErrors, type Path } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText, refusalIssues } from "@/lib/i18n/labels";
import { settingName } from "./setting-name";
import type { MallConfig, MallConfigInput } from "@/server/config/schema";
import { formatFen } from "@/components/money";
import { DISABLED_CLASSES, inputClass, PercentInput, YuanInput } from "./inputs";
import { timeZoneName } from "./time-zone";
import { RuleHistory } from "./RuleHistory";
import { matrixTreeLabel } from "./setting-labels";
import { refusalNotice } from "./refusal";
import { rulesFormSchema } from "./check";
import { distributorModeNote } from "./distributor-mode";
import { FieldError as ServerFieldError, INVALID_CLASSES, invalidProps } from "@/components/merchant/FieldError";

type Overview = RouterOutputs["merchantRules"]["overview"];
type Form = MallConfigInput;

/** Whether the signed-in role may change the rules: a viewer (the operator) gets no add or remove buttons. */
const EditableContext = createContext(true);

/** A button that adds or removes a row: shown only to a role that may change the rules. */
function EditButton(props: React.ButtonHTMLAttributes<HTMLButtonElement>) {
  return useContext(EditableContext) ? <button type="button" {...props} /> : null;
}

const textAreaClass = `w-full rounded border border-neutral-300 px-2 py-1 text-sm ${DISABLED_CLASSES}`;

/**
 * The control a field's error message belongs to: in the field's box (data-field) the control of the item the message
 * names (commission.ratesBps.1 → the level-2 input), else the first control beside the message.
 */
function controlOf(message: HTMLElement): HTMLElement | null {
  const controls = (el: Element | null) => [...(el?.querySelectorAll<HTMLElement>("input:not([type=hidden]), select, textarea") ?? [])];
  const path = message.dataset.errorFor ?? "";
  const box = message.closest<HTMLElement>("[data-field]");
  const item = box && path.startsWith(`${box.dataset.field}.`) ? /^\d+$/.exec(path.slice(box.dataset.field!.length + 1)) : null;
  if (box && item) return controls(box)[Number(item[0])] ?? controls(box)[0] ?? null;
  return controls(message.parentElement)[0] ?? controls(box)[0] ?? null;
}

/**
 * After a refused save, the first refusal in page order (not the first field react-hook-form registered) is scrolled to
 * the middle of the screen, clear of the sticky save bar, and its control focused.
 */
function focusFirstRefusal(form: HTMLFormElement | null) {
  const message = form?.querySelector<HTMLElement>("[data-error-for]");
  if (!message) return;
  const control = controlOf(message);
  (control ?? message).scrollIntoView({ block: "center" });
  control?.focus({ preventScroll: true });
}

/** The message of the error at a dotted path (an array's own error may sit on `.root`). */
function errorAt(errors: FieldErrors<Form>, path: string): string | undefined {
  let node: unknown = errors;
  for (const part of path.split(".")) node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  const e = node as { message?: string; root?: { message?: string } } | undefined;
  return e?.message ?? e?.root?.message;
}

function FieldError({ path }: { path: string }) {
  const { formState } = useFormContext<Form>();
  const message = errorAt(formState.errors, path);
  return message ? (
    <p role="alert" className="mt-1 text-xs text-rose-600" data-error-for={path}>
      {message}
    </p>
  ) : null;
}

function Field({ label, path, children, hint }: { label: string; path: string; children: React.ReactNode; hint?: string }) {
  return (
    <div className="text-sm" title={hint} data-field={path}>
      <span className="mb-1 block text-neutral-600">{label}</span>
      {children}
      <FieldError path={path} />
    </div>
  );
}

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId: string }) {
  return (
    <section className="rounded-lg bg-white p-5 shadow-sm" data-testid={testId}>
      <h2 className="mb-4 text-base font-semibold text-neutral-900">{title}</h2>
      <div className="space-y-4">{children}</div>
    </section>
  );
}

const num = { valueAsNumber: true } as const;
const optionalNum = { setValueAs: (v: string) => (v === "" || v === undefined ? undefined : Number(v)) } as const;

export function RulesClient({ canEdit }: { canEdit: boolean }) {
  const t = useT();
  const trpc = useTRPC();
  // Not refetched on focus: a newer version from elsewhere would remount the form over unsaved edits; the save merges
  // them with it instead (baseVersion), or says which settings clash.
  const overview = useQuery({ ...trpc.merchantRules.overview.queryOptions(), refetchOnWindowFocus: false, refetchOnReconnect: false });
  // Kept here: a successful save remounts the form on the new version.
  const [saved, setSaved] = useState<{ version: number; carriedInto: number } | null>(null);
  if (!overview.data) return <p className="text-sm text-neutral-500">{t("common.loading")}</p>;
  const data = overview.data;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span className="rounded bg-emerald-50 px-2 py-1 text-emerald-700" data-testid="rules-in-force">
          {data.activeVersion ? t("rules.inForce", { version: data.activeVersion }) : t("rules.unversioned")}
        </span>
        {data.latestVersion && data.latestVersion !== data.activeVersion ? <span className="text-neutral-500">{t("rules.editingFrom", { version: data.latestVersion })}</span> : null}
        {!canEdit ? <span className="rounded bg-amber-50 px-2 py-1 text-amber-700">{t("rules.readOnly")}</span> : null}
        {saved !== null ? (
          <span role="status" className="rounded bg-emerald-50 px-2 py-1 text-emerald-700" data-testid="rules-saved">
            {t("rules.saved", { version: saved.version })}
            {saved.carriedInto > 0 ? t("rules.carried", { n: saved.carriedInto }) : null}
          </span>
        ) : null}
      </div>
      <p className="rounded bg-rose-50 px-4 py-2 text-sm text-rose-700">{t("rules.redLine")}</p>
      {/* Remounted for each new version so the form starts from what was saved. */}
      <EditableContext.Provider value={canEdit}>
        <RulesForm key={data.latestVersion ?? 0} initial={data.latest} baseVersion={data.baseVersion} categories={data.categories} canEdit={canEdit} onSaved={setSaved} />
      </EditableContext.Provider>
      <RuleHistory versions={data.versions} />
    </div>
  );
}

function RulesForm({
  initial,
  baseVersion,
  categories,
  canEdit,
  onSaved,
}: {
  initial: Overview["latest"];
  baseVersion: number;
  categories: Overview["categories"];
  canEdit: boolean;
  onSaved: (saved: { version: number; carriedInto: number } | null) => void;
}) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const schema = useMemo(() => rulesFormSchema(t), [t]);
  const form = useForm<Form, unknown, MallConfig>({ resolver: zodResolver(schema), defaultValues: initial as Form, mode: "onChange", shouldFocusError: false });
  const [reason, setReason] = useState("");
  const [later, setLater] = useState(false);
  const [effectiveAt, setEffectiveAt] = useState("");
  const [serverIssues, setServerIssues] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ text: string; info: boolean } | null>(null);
  // Each refused save (by the form's own check or by the server) brings its first refusal into view, once rendered.
  const [refusals, setRefusals] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (refusals === 0) return;
    const frame = requestAnimationFrame(() => focusFirstRefusal(formRef.current));
    return () => cancelAnimationFrame(frame);
  }, [refusals]);
  // Rules saved under an earlier, looser guard still run; what the guard now refuses shows at once, beside its field.
  useEffect(() => {
    void form.trigger();
  }, [form]);
  const save = useMutation(
    trpc.merchantRules.save.mutationOptions({
      onSuccess: async (r) => {
        onSaved({ version: r.version, carriedInto: r.carriedInto });
        await queryClient.invalidateQueries({ queryKey: trpc.merchantRules.pathKey() });
      },
      onError: (e) => {
        // Someone saved the same settings since this form opened: nothing to correct here, the page must be reloaded.
        // Or the rules in force at the chosen time hold other values for what was edited (the form showed a scheduled version).
        const code = e.data?.domainCode;
        if (code === "RULES_STALE" || code === "RULES_SCHEDULED_DIFFERS") {
          const names = [...new Set((e.data?.domainIssues ?? []).map((i) => settingName(t, i.path)))].join(t("input.separator"));
          setServerIssues({});
          const text = code === "RULES_SCHEDULED_DIFFERS" ? t("rules.scheduledDiffers", { settings: names }) : names ? t("rules.stale", { settings: names }) : t("rules.staleAll");
          setMessage({ text, info: false });
          return;
        }
        const issues = refusalIssues(t, e, settingName);
        const byPath: Record<string, string> = {};
        for (const i of issues) {
          byPath[i.path] = i.text;
          if (i.path && i.path !== "reason" && i.path !== "effectiveAt") form.setError(i.path as Path<Form>, { type: "server", message: i.text });
        }
        setServerIssues(byPath);
        setMessage(issues.length ? refusalNotice(t, issues) : { text: errorText(t, e), info: false });
        setRefusals((n) => n + 1);
      },
    }),
  );
  const onSubmit = form.handleSubmit(
    (config) => {
      setServerIssues({});
      setMessage(null);
      onSaved(null);
      // The scheduled time goes as typed: the server reads it on the shop's clock (initial.timeZone), not the browser's.
      save.mutate({ config: config as unknown as Record<string, unknown>, reason, baseVersion, effectiveLocal: later && effectiveAt ? effectiveAt : null });
    },
    () => {
      // The form's own check stopped this save: a refusal from an earlier save (a missing reason) no longer stands.
      setServerIssues({});
      setMessage({ text: t("rules.refused"), info: false });
      setRefusals((n) => n + 1);
    },
  );
  // Editing the reason or the time answers the server's refusal of it: its message goes.
  const clearServerIssue = (path: "reason" | "effectiveAt") =>
    setServerIssues((issues) => {
      if (!(path in issues)) return issues;
      const { [path]: _, ...rest } = issues;
      return rest;
    });

  return (
    <FormProvider {...form}>
      <form ref={formRef} method="post" onSubmit={onSubmit} className="space-y-4" data-testid="rules-form" noValidate>
        {/* min-w-0: a fieldset is as wide as its widest content, so the tiers table could not scroll inside its card. */}
        <fieldset disabled={!canEdit} className="min-w-0 space-y-4">
          <CommissionSection categories={categories} />
          <RebateSection />
          <TiersSection />
          <BonusSection />
          <Section title={t("rules.section.orders")} testId="section-orders">
            <div className="grid gap-4 sm:grid-cols-3">
              <Field label={t("rules.o.returnWindow")} path="returnWindowDays">
                <input type="number" className={`${inputClass} w-28`} aria-label={t("rules.o.returnWindow")} {...form.register("returnWindowDays", num)} />
              </Field>
              <Field label={t("rules.o.paymentTimeout")} path="paymentTimeoutMinutes">
                <input type="number" className={`${inputClass} w-28`} aria-label={t("rules.o.paymentTimeout")} {...form.register("paymentTimeoutMinutes", num)} />
              </Field>
              <Field label={t("rules.o.autoDeliver")} path="autoDeliverDays">
                <input type="number" className={`${inputClass} w-28`} aria-label={t("rules.o.autoDeliver")} {...form.register("autoDeliverDays", num)} />
              </Field>
              <Field label={t("rules.o.attribution")} path="attributionDays">
                <input type="number" className={`${inputClass} w-28`} aria-label={t("rules.o.attribution")} {...form.register("attributionDays", num)} />
              </Field>
            </div>
          </Section>
          <Section title={t("rules.section.withdrawal")} testId="section-withdrawal">
            <div className="grid gap-4 sm:grid-cols-3">
              <Field label={t("rules.w.feeBps")} path="withdrawal.feeBps">
                <Controller control={form.control} name="withdrawal.feeBps" render={({ field }) => <PercentInput label={t("rules.w.feeBps")} value={field.value ?? 0} onChange={field.onChange} />} />
              </Field>
              <YuanField name="withdrawal.feeMinFen" label={t("rules.w.feeMin")} />
            </div>
          </Section>
          <CampaignSection />
          <Section title={t("rules.section.fixed")} testId="section-fixed">
            <p className="text-sm text-neutral-600">{t("rules.f.matrixWidth", { width: initial.matrix.width })}</p>
            <p className="text-sm text-neutral-600" data-testid="rules-time-zone">{t("rules.f.timeZone", { tz: timeZoneName(t, initial.timeZone) })}</p>
          </Section>
        </fieldset>

        {canEdit ? (
          <div className="sticky bottom-0 z-10 space-y-3 rounded-lg border border-neutral-200 bg-white p-4 shadow-md" data-testid="rules-save-bar">
            <div className="flex flex-wrap items-end gap-4">
              <label className="min-w-80 flex-1 text-sm">
                <span className="mb-1 block text-neutral-600">{t("rules.reason")}</span>
                <input value={reason} onChange={(e) => { setReason(e.target.value); clearServerIssue("reason"); }} className={`${inputClass} w-full ${INVALID_CLASSES}`} aria-label={t("rules.reason")} {...invalidProps("reason", serverIssues.reason)} />
                <ServerFieldError name="reason" message={serverIssues.reason} />
              </label>
              <fieldset className="text-sm">
                <legend className="mb-1 text-neutral-600">{t("rules.effective")}</legend>
                <label className="mr-3 inline-flex items-center gap-1">
                  <input type="radio" checked={!later} onChange={() => setLater(false)} /> {t("rules.effective.now")}
                </label>
                <label className="mr-2 inline-flex items-center gap-1">
                  <input type="radio" checked={later} onChange={() => setLater(true)} /> {t("rules.effective.later")}
                </label>
                {later ? (
                  <>
                    <input type="datetime-local" value={effectiveAt} onChange={(e) => { setEffectiveAt(e.target.value); clearServerIssue("effectiveAt"); }} className={`${inputClass} ${INVALID_CLASSES}`} aria-label={t("rules.effective.later")} {...invalidProps("effectiveAt", serverIssues.effectiveAt)} />
                    <span className="ml-2 text-xs text-neutral-500">{t("rules.effective.zone", { tz: timeZoneName(t, initial.timeZone) })}</span>
                  </>
                ) : null}
                <ServerFieldError name="effectiveAt" message={serverIssues.effectiveAt} />
              </fieldset>
              <button type="submit" disabled={save.isPending} className="h-9 rounded bg-rose-600 px-5 text-sm font-medium text-white disabled:opacity-60">
                {save.isPending ? t("rules.saving") : t("rules.save")}
              </button>
            </div>
            {message ? (
              <p role={message.info ? "status" : "alert"} className={`rounded px-3 py-2 text-sm ${message.info ? "bg-neutral-100 text-neutral-700" : "bg-rose-50 text-rose-700"}`} data-testid="rules-message">
                {message.text}
              </p>
            ) : null}
          </div>
        ) : null}
      </form>
    </FormProvider>
  );
}

type YuanPath = "commission.distributorMinSpendFen" | "rebate.capFen" | "rebate.minAnchorFen" | "withdrawal.feeMinFen";

function YuanField({ name, label, empty }: { name: YuanPath; label: string; empty?: null }) {
  const { control } = useFormContext<Form>();
  return (
    <Field label={label} path={name}>
      <Controller control={control} name={name} render={({ field }) => <YuanInput label={label} value={field.value as number | null | undefined} empty={empty} onChange={field.onChange} />} />
    </Field>
  );
}

function Projection({ children }: { children: React.ReactNode }) {
  const t = useT();
  return (
    <p className="text-xs text-neutral-500" data-testid="projection">
      {children} <span className="rounded bg-neutral-100 px-1">{t("projection.label")}</span>
    </p>
  );
}

function CommissionSection({ categories }: { categories: Overview["categories"] }) {
  const t = useT();
  const { control, register, formState } = useFormContext<Form>();
  const rates = useWatch({ control, name: "commission.ratesBps" }) ?? [];
  const mode = useWatch({ control, name: "commission.distributorMode" });
  const minSpendFen = useWatch({ control, name: "commission.distributorMinSpendFen" });
  const modeNote = distributorModeNote(formState.defaultValues?.commission, { distributorMode: mode, distributorMinSpendFen: minSpendFen });
  // Fixed once members are seated (固定设置): the version's own width.
  const matrixWidth = useWatch({ control, name: "matrix.width" }) ?? 3;
  const example = (i: number) => (Number.isSafeInteger(rates[i]) ? formatFen(Math.floor((10_000 * (rates[i] ?? 0)) / 10_000)) : "—");
  return (
    <Section title={t("rules.section.commission")} testId="section-commission">
      <div className="flex flex-wrap gap-6">
        <label className="inline-flex items-center gap-2 text-sm">
          <input type="checkbox" {...register("commission.enabled")} /> {t("rules.enabled")}
        </label>
        <Field label={t("rules.c.tree")} path="commission.tree">
          <select className={inputClass} aria-label={t("rules.c.tree")} {...register("commission.tree")}>
            <option value="sponsor">{t("rules.c.tree.sponsor")}</option>
            <option value="matrix">{matrixTreeLabel(t, matrixWidth)}</option>
          </select>
        </Field>
      </div>
      <Field label={t("rules.c.rates")} path="commission.ratesBps">
        <Controller
          control={control}
          name="commission.ratesBps"
          render={({ field }) => {
            const list = (field.value ?? []) as number[];
            return (
              <div className="flex flex-wrap items-center gap-3" data-testid="commission-rates">
                {list.map((v, i) => (
                  <label key={i} className="inline-flex items-center gap-1 text-sm">
                    <span className="text-neutral-500">{t("rules.c.level", { level: i + 1 })}</span>
                    <PercentInput label={t("rules.c.level", { level: i + 1 })} value={v} onChange={(bps) => field.onChange(list.map((x, j) => (j === i ? bps : x)))} />
                  </label>
                ))}
                <EditButton className="text-sm text-rose-600" onClick={() => field.onChange([...list, 0])}>
                  {t("rules.c.addLevel")}
                </EditButton>
                {list.length > 1 ? (
                  <EditButton className="text-sm text-neutral-500" onClick={() => field.onChange(list.slice(0, -1))}>
                    {t("rules.c.removeLevel")}
                  </EditButton>
                ) : null}
              </div>
            );
          }}
        />
        {rates.map((_, i) => <FieldError key={i} path={`commission.ratesBps.${i}`} />)}
      </Field>
      <Projection>{t("rules.c.example", { l1: example(0), l2: example(1), l3: example(2) })}</Projection>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label={t("rules.c.unlock")} path="commission.unlockDeepLevelsAtDirects">
          <input type="number" className={`${inputClass} w-24`} aria-label={t("rules.c.unlock")} {...register("commission.unlockDeepLevelsAtDirects", num)} />
        </Field>
        <Field label={t("rules.c.mode")} path="commission.distributorMode">
          <select className={inputClass} aria-label={t("rules.c.mode")} {...register("commission.distributorMode")}>
            <option value="everyone">{t("rules.c.mode.everyone")}</option>
            <option value="first_order">{t("rules.c.mode.first_order")}</option>
            <option value="spend">{t("rules.c.mode.spend")}</option>
          </select>
        </Field>
        {mode === "spend" ? <YuanField name="commission.distributorMinSpendFen" label={t("rules.c.minSpend")} /> : null}
      </div>
      {modeNote ? (
        <p className="rounded border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" role="note" data-testid="distributor-mode-note">
          {t(modeNote)}
        </p>
      ) : null}
      <CategoryRates categories={categories} />
    </Section>
  );
}

/**
 * Overrides by category, each picked from the catalogue's categories (by name; the rules store the slug, which the
 * engine matches against each line's category). An override naming no category (saved before this was a pick) is
 * shown as such, to be removed: it pays nothing.
 */
function CategoryRates({ categories }: { categories: Overview["categories"] }) {
  const t = useT();
  const { control } = useFormContext<Form>();
  const names = new Map(categories.map((c) => [c.slug, c.name]));
  const nameOf = (slug: string) => names.get(slug) ?? slug;
  return (
    <Field label={t("rules.c.categories")} path="commission.categoryRatesBps">
      <Controller
        control={control}
        name="commission.categoryRatesBps"
        render={({ field }) => {
          const record = (field.value ?? {}) as Record<string, number[]>;
          const entries = Object.entries(record);
          const set = (next: [string, number[]][]) => field.onChange(Object.fromEntries(next));
          // A category has at most one override: each select offers its own and those no other row took.
          const free = categories.filter((c) => !(c.slug in record));
          return (
            <div className="space-y-2">
              {entries.map(([slug, rs], i) => (
                <div key={i}>
                  <div className="flex flex-wrap items-center gap-2">
                    <select
                      aria-label={t("rules.c.categoryPick")}
                      className={`${inputClass} w-40`}
                      value={slug}
                      onChange={(e) => set(entries.map((en, j) => (j === i ? [e.target.value, en[1]] : en)))}
                    >
                      {names.has(slug) ? null : <option value={slug}>{t("rules.c.categoryUnknown", { slug })}</option>}
                      {categories
                        .filter((c) => c.slug === slug || !(c.slug in record))
                        .map((c) => (
                          <option key={c.slug} value={c.slug}>
                            {c.name}
                          </option>
                        ))}
                    </select>
                    {rs.map((v, k) => (
                      <PercentInput key={k} label={`${nameOf(slug)} ${t("rules.c.level", { level: k + 1 })}`} value={v} onChange={(bps) => set(entries.map((en, j) => (j === i ? [en[0], en[1].map((x, m) => (m === k ? bps : x))] : en)))} />
                    ))}
                    <EditButton className="text-xs text-neutral-500" onClick={() => set(entries.filter((_, j) => j !== i))}>
                      {t("rules.remove")}
                    </EditButton>
                  </div>
                  {names.has(slug) ? null : <p className="mt-1 text-xs text-amber-700" data-testid="category-unknown">{t("rules.c.categoryUnknownHint")}</p>}
                  <FieldError path={`commission.categoryRatesBps.${slug}`} />
                </div>
              ))}
              {free.length > 0 ? (
                <EditButton className="text-sm text-rose-600" onClick={() => set([...entries, [free[0]!.slug, [0, 0, 0]]])}>
                  {t("rules.c.addCategory")}
                </EditButton>
              ) : null}
            </div>
          );
        }}
      />
    </Field>
  );
}

function RebateSection() {
  const t = useT();
  const { control, register } = useFormContext<Form>();
  const [n, percent] = useWatch({ control, name: ["rebate.n", "rebate.percent"] });
  const cashback = Number.isSafeInteger(percent) ? formatFen(Math.floor((10_000 * (percent ?? 0)) / 100)) : "—";
  return (
    <Section title={t("rules.section.rebate")} testId="section-rebate">
      <label className="inline-flex items-center gap-2 text-sm">
        <input type="checkbox" {...register("rebate.enabled")} /> {t("rules.enabled")}
      </label>
      <p className="text-xs text-neutral-500">{t("rules.r.offNote")}</p>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label={t("rules.r.n")} path="rebate.n">
          <input type="number" className={`${inputClass} w-24`} aria-label={t("rules.r.n")} {...register("rebate.n", num)} />
        </Field>
        <Field label={t("rules.r.percent")} path="rebate.percent">
          <input type="number" className={`${inputClass} w-24`} aria-label={t("rules.r.percent")} {...register("rebate.percent", num)} />
        </Field>
        <Field label={t("rules.r.window")} path="rebate.windowDays">
          <input type="number" className={`${inputClass} w-24`} aria-label={t("rules.r.window")} {...register("rebate.windowDays", num)} />
        </Field>
        <YuanField name="rebate.capFen" label={t("rules.r.cap")} empty={null} />
        <YuanField name="rebate.minAnchorFen" label={t("rules.r.minAnchor")} />
        <Field label={t("rules.r.payout")} path="rebate.payout">
          <select className={inputClass} aria-label={t("rules.r.payout")} {...register("rebate.payout")}>
            <option value="cash">{t("rules.r.payout.cash")}</option>
            <option value="credit">{t("rules.r.payout.credit")}</option>
          </select>
        </Field>
      </div>
      <Projection>{t("rules.r.example", { n: String(n ?? "—"), cashback })}</Projection>
    </Section>
  );
}

function TiersSection() {
  const t = useT();
  const { control, register } = useFormContext<Form>();
  const tiers = useFieldArray({ control, name: "tiers" });
  return (
    <Section title={t("rules.section.tiers")} testId="section-tiers">
      <FieldError path="tiers" />
      {/* Eight inputs a row: on a phone the table scrolls inside the card rather than widening the page
          (relative: the actions heading's sr-only text scrolls with it too). */}
      <div className="relative overflow-x-auto">
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-neutral-500">
            <tr>
              {["rules.t.name", "rules.t.label", "rules.t.minDirects", "rules.t.minTeam", "rules.t.minGmv", "rules.t.discount", "rules.t.bonus", "rules.t.priority"].map((k) => (
                <th key={k} className="whitespace-nowrap pb-1 pr-2 font-normal">
                  {t(k as "rules.t.name")}
                </th>
              ))}
              <th>
                <span className="sr-only">{t("m.col.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tiers.fields.map((f, i) => (
              <tr key={f.id} className="align-top">
                <td className="pr-2">
                  <input className={`${inputClass} w-24`} aria-label={`${t("rules.t.name")} ${i + 1}`} {...register(`tiers.${i}.name`)} />
                  <FieldError path={`tiers.${i}.name`} />
                </td>
                <td className="pr-2">
                  <input className={`${inputClass} w-24`} aria-label={`${t("rules.t.label")} ${i + 1}`} {...register(`tiers.${i}.label`)} />
                  <FieldError path={`tiers.${i}.label`} />
                </td>
                <td className="pr-2">
                  <input type="number" className={`${inputClass} w-20`} aria-label={`${t("rules.t.minDirects")} ${i + 1}`} {...register(`tiers.${i}.minDirects`, optionalNum)} />
                  <FieldError path={`tiers.${i}.minDirects`} />
                </td>
                <td className="pr-2">
                  <input type="number" className={`${inputClass} w-20`} aria-label={`${t("rules.t.minTeam")} ${i + 1}`} {...register(`tiers.${i}.minTeam`, optionalNum)} />
                  <FieldError path={`tiers.${i}.minTeam`} />
                </td>
                <td className="pr-2">
                  <Controller control={control} name={`tiers.${i}.minGmv90Fen`} render={({ field }) => <YuanInput label={`${t("rules.t.minGmv")} ${i + 1}`} width="w-28" value={field.value} empty={undefined} onChange={field.onChange} />} />
                  <FieldError path={`tiers.${i}.minGmv90Fen`} />
                </td>
                <td className="pr-2">
                  <Controller control={control} name={`tiers.${i}.benefits.discountBps`} render={({ field }) => <PercentInput label={`${t("rules.t.discount")} ${i + 1}`} value={field.value ?? 0} onChange={field.onChange} />} />
                  <FieldError path={`tiers.${i}.benefits.discountBps`} />
                </td>
                <td className="pr-2">
                  <Controller control={control} name={`tiers.${i}.benefits.commissionBonusBps`} render={({ field }) => <PercentInput label={`${t("rules.t.bonus")} ${i + 1}`} value={field.value ?? 0} onChange={field.onChange} />} />
                  <FieldError path={`tiers.${i}.benefits.commissionBonusBps`} />
                </td>
                <td className="pr-2 pt-2">
                  <input type="checkbox" aria-label={`${t("rules.t.priority")} ${i + 1}`} {...register(`tiers.${i}.benefits.priorityShipping`)} />
                </td>
                <td className="pt-2">
                  {tiers.fields.length > 1 ? (
                    <EditButton className="whitespace-nowrap text-xs text-neutral-500" onClick={() => tiers.remove(i)}>
                      {t("rules.remove")}
                    </EditButton>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <EditButton className="text-sm text-rose-600" onClick={() => tiers.append({ name: "", label: "" })}>
        {t("rules.t.add")}
      </EditButton>
    </Section>
  );
}

function BonusSection() {
  const t = useT();
  const { control } = useFormContext<Form>();
  const brackets = useFieldArray({ control, name: "stepBonus.brackets" });
  return (
    <Section title={t("rules.section.bonus")} testId="section-bonus">
      <Field label={t("rules.b.team")} path="teamBonusBps">
        <Controller control={control} name="teamBonusBps" render={({ field }) => <PercentInput label={t("rules.b.team")} value={field.value ?? 0} onChange={field.onChange} />} />
      </Field>
      <div>
        <span className="mb-1 block text-sm text-neutral-600">{t("rules.b.brackets")}</span>
        <FieldError path="stepBonus.brackets" />
        {brackets.fields.length === 0 && <p className="mb-2 text-sm text-neutral-500">{t("rules.b.none")}</p>}
        {brackets.fields.map((f, i) => (
          <div key={f.id} className="mb-2 flex flex-wrap items-start gap-3 text-sm" data-testid="bonus-bracket">
            {/* Each row says what its two boxes are: the aria-labels alone left "0.00 | 5" unexplained on screen. */}
            <div>
              <span className="mb-1 block text-xs text-neutral-500">{t("rules.b.min")}</span>
              <Controller control={control} name={`stepBonus.brackets.${i}.minFen`} render={({ field }) => <YuanInput label={`${t("rules.b.min")} ${i + 1}`} value={field.value} onChange={field.onChange} />} />
              <FieldError path={`stepBonus.brackets.${i}.minFen`} />
            </div>
            <div>
              <span className="mb-1 block text-xs text-neutral-500">{t("rules.b.bps")}</span>
              <Controller control={control} name={`stepBonus.brackets.${i}.bps`} render={({ field }) => <PercentInput label={`${t("rules.b.bps")} ${i + 1}`} value={field.value ?? 0} onChange={field.onChange} />} />
              <FieldError path={`stepBonus.brackets.${i}.bps`} />
            </div>
            <EditButton className="pt-7 text-xs text-neutral-500" onClick={() => brackets.remove(i)}>
              {t("rules.remove")}
            </EditButton>
          </div>
        ))}
        <EditButton className="text-sm text-rose-600" onClick={() => brackets.append({ minFen: 0, bps: 0 })}>
          {t("rules.b.add")}
        </EditButton>
      </div>
    </Section>
  );
}

function CampaignSection() {
  const t = useT();
  const { control, register } = useFormContext<Form>();
  return (
    <Section title={t("rules.section.campaign")} testId="section-campaign">
      <Field label={t("rules.k.title")} path="campaign.title">
        <input className={`${inputClass} w-full`} aria-label={t("rules.k.title")} {...register("campaign.title")} />
      </Field>
      <Field label={t("rules.k.rulesText")} path="campaign.rulesText">
        <textarea rows={4} className={textAreaClass} aria-label={t("rules.k.rulesText")} {...register("campaign.rulesText")} />
      </Field>
      <Field label={t("rules.k.slogan")} path="campaign.posterSlogan">
        <input className={`${inputClass} w-full`} aria-label={t("rules.k.slogan")} {...register("campaign.posterSlogan")} />
      </Field>
      <Field label={t("rules.k.forbidden")} path="compliance.forbiddenClaims">
        <Controller
          control={control}
          name="compliance.forbiddenClaims"
          render={({ field }) => <LinesInput label={t("rules.k.forbidden")} initial={(field.value ?? []) as string[]} onChange={field.onChange} />}
        />
      </Field>
    </Section>
  );
}

/** One entry per line; the text is kept as typed (blank lines are dropped from the value only). */
function LinesInput({ label, initial, onChange }: { label: string; initial: string[]; onChange: (v: string[]) => void }) {
  const [text, setText] = useState(() => initial.join("\n"));
  return (
    <textarea
      rows={4}
      className={textAreaClass}
      aria-label={label}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(e.target.value.split("\n").map((w) => w.trim()).filter(Boolean));
      }}
    />
  );
}
