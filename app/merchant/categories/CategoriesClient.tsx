"use client";

// 商品分类: create and edit categories (name, emoji icon, order) and their commission rates
// (SPEC §4: up to 3 levels, L1 ≥ L2 ≥ L3; blank = the mall's default rates). A row saves with the version it was
// loaded at, so a save over another operator's newer one is refused; a name promising earnings is marked on its field.
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText, refusalIssues } from "@/lib/i18n/labels";
import { FieldError, INVALID_CLASSES, invalidProps } from "@/components/merchant/FieldError";
import { formatBps, percentToBps } from "@/components/money";
import { ExportButton } from "@/components/merchant/ExportButton";

type Category = RouterOutputs["merchantCatalog"]["categories"][number];

const bpsToPercent = (bps: number) => formatBps(bps).replace("%", "");

type ServerError = Parameters<typeof errorText>[1];

/** A refusal's fields (path → its words) and the message above the table: "correct the marked fields" when it names some. */
function refusedFields(t: ReturnType<typeof useT>, e: ServerError): { fields: Record<string, string>; message: string } {
  const issues = refusalIssues(t, e);
  return { fields: Object.fromEntries(issues.map((i) => [i.path, i.text])), message: issues.length ? t("error.CATALOG_FORBIDDEN_CLAIM") : errorText(t, e) };
}

export function CategoriesClient({ canEditRates }: { canEditRates: boolean }) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.merchantCatalog.categories.queryOptions());
  const [message, setMessage] = useState<string | null>(null);
  const [draft, setDraft] = useState({ slug: "", name: "", icon: "", sort: "0" });
  const [draftRefused, setDraftRefused] = useState<Record<string, string>>({});
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.merchantCatalog.pathKey() });
  const create = useMutation(
    trpc.merchantCatalog.createCategory.mutationOptions({
      onSuccess: () => {
        setDraft({ slug: "", name: "", icon: "", sort: "0" });
        setDraftRefused({});
        setMessage(null);
        return refresh();
      },
      onError: (e) => {
        const { fields, message } = refusedFields(t, e);
        setDraftRefused(fields);
        setMessage(message);
      },
    }),
  );
  const input = `h-9 rounded border border-neutral-300 px-3 text-sm ${INVALID_CLASSES}`;

  return (
    <div className="space-y-4">
      <form method="post"
        className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 shadow-sm"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ slug: draft.slug, name: draft.name, icon: draft.icon || null, sort: Number(draft.sort) || 0 });
        }}
      >
        <label className="text-sm">
          <span className="mb-1 block text-neutral-600">{t("mcat.cat.slug")}</span>
          <input value={draft.slug} onChange={(e) => setDraft({ ...draft, slug: e.target.value })} className={`${input} w-36`} placeholder="apparel" />
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-neutral-600">{t("mcat.cat.name")}</span>
          <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} className={`${input} w-40`} {...invalidProps("new.name", draftRefused.name)} />
          <FieldError name="new.name" message={draftRefused.name} className="max-w-40" />
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-neutral-600">{t("mcat.cat.icon")}</span>
          <input value={draft.icon} onChange={(e) => setDraft({ ...draft, icon: e.target.value })} className={`${input} w-24`} placeholder="👕" {...invalidProps("new.icon", draftRefused.icon)} />
          <FieldError name="new.icon" message={draftRefused.icon} className="max-w-24" />
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-neutral-600">{t("mcat.cat.sort")}</span>
          <input value={draft.sort} onChange={(e) => setDraft({ ...draft, sort: e.target.value })} className={`${input} w-20`} inputMode="numeric" />
        </label>
        <button type="submit" disabled={create.isPending} className="h-9 rounded bg-rose-600 px-4 text-sm font-medium text-white">
          + {t("mcat.cat.new")}
        </button>
        <span className="ml-auto">
          <ExportButton href="/merchant/categories/export" />
        </span>
      </form>
      {message ? (
        <p role="alert" className="rounded bg-rose-50 px-4 py-2 text-sm text-rose-700">
          {message}
        </p>
      ) : null}
      <div className="overflow-x-auto rounded-lg bg-white shadow-sm">
        <table className="w-full min-w-[900px] text-sm">
          <thead className="bg-neutral-50 text-left text-xs text-neutral-500">
            <tr>
              <th className="px-4 py-2.5 font-medium">{t("mcat.cat.icon")}</th>
              <th className="px-4 py-2.5 font-medium">{t("mcat.cat.name")}</th>
              <th className="px-4 py-2.5 font-medium">{t("mcat.cat.slug")}</th>
              <th className="px-4 py-2.5 font-medium">{t("mcat.cat.sort")}</th>
              <th className="px-4 py-2.5 text-right font-medium">{t("mcat.cat.products")}</th>
              <th className="px-4 py-2.5 font-medium">
                {t("mcat.cat.rates")} <span className="font-normal text-neutral-400">({t(canEditRates ? "mcat.cat.ratesHint" : "mcat.cat.ratesOwnerOnly")})</span>
              </th>
              <th className="px-4 py-2.5 font-medium">{t("mcat.col.actions")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-neutral-100">
            {list.data?.map((c) => (
              <CategoryRow key={c.slug} c={c} canEditRates={canEditRates} onMessage={setMessage} onSaved={() => { setMessage(null); return refresh(); }} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function CategoryRow({ c, canEditRates, onMessage, onSaved }: {
  c: Category;
  canEditRates: boolean;
  onMessage: (message: string) => void;
  onSaved: () => unknown;
}) {
  const t = useT();
  const trpc = useTRPC();
  // The version the row's values were loaded at (the list refetching does not change what was typed), then of its own saves.
  const [row, setRow] = useState({ name: c.name, icon: c.icon ?? "", sort: String(c.sort), version: c.version });
  const [refused, setRefused] = useState<Record<string, string>>({});
  const [rates, setRates] = useState(() => (c.ratesBps ?? ["", "", ""]).map((r) => (typeof r === "number" ? bpsToPercent(r) : r)));
  const onError = (e: ServerError) => onMessage(errorText(t, e));
  const update = useMutation(
    trpc.merchantCatalog.updateCategory.mutationOptions({
      onSuccess: (saved) => {
        setRow((r) => ({ ...r, version: saved.version }));
        setRefused({});
        return onSaved();
      },
      onError: (e) => {
        const { fields, message } = refusedFields(t, e);
        setRefused(fields);
        onMessage(message);
      },
    }),
  );
  const setRatesM = useMutation(trpc.merchantCatalog.setCategoryRates.mutationOptions({ onSuccess: onSaved, onError }));
  const small = `h-8 rounded border border-neutral-300 px-2 text-sm ${INVALID_CLASSES}`;

  function saveRates() {
    const filled = rates.map((r) => r.trim()).filter((r, i, all) => r !== "" || all.slice(i).some((x) => x.trim() !== ""));
    const bps = filled.map((r) => (r === "" ? 0 : percentToBps(r)));
    if (bps.some((b) => b === null)) return onMessage(t("mcat.cat.ratesNotPercent"));
    setRatesM.mutate({ slug: c.slug, ratesBps: bps.length ? (bps as number[]) : null });
  }

  return (
    <tr data-testid="category-row" data-slug={c.slug}>
      <td className="px-4 py-2">
        <input value={row.icon} onChange={(e) => setRow({ ...row, icon: e.target.value })} aria-label={`${t("mcat.cat.icon")} ${c.name}`} className={`${small} w-14 text-center`} {...invalidProps(`${c.slug}.icon`, refused.icon)} />
        <FieldError name={`${c.slug}.icon`} message={refused.icon} className="max-w-32" />
      </td>
      <td className="px-4 py-2">
        <input value={row.name} onChange={(e) => setRow({ ...row, name: e.target.value })} aria-label={`${t("mcat.cat.name")} ${c.slug}`} className={`${small} w-32`} {...invalidProps(`${c.slug}.name`, refused.name)} />
        <FieldError name={`${c.slug}.name`} message={refused.name} className="max-w-48" />
      </td>
      <td className="px-4 py-2 text-neutral-500">{c.slug}</td>
      <td className="px-4 py-2">
        <input value={row.sort} onChange={(e) => setRow({ ...row, sort: e.target.value })} aria-label={`${t("mcat.cat.sort")} ${c.name}`} className={`${small} w-16`} inputMode="numeric" />
      </td>
      <td className="px-4 py-2 text-right tabular-nums">{c.productCount}</td>
      <td className="px-4 py-2">
        <div className="flex items-center gap-1">
          {[0, 1, 2].map((i) => (
            <input
              key={i}
              value={rates[i] ?? ""}
              onChange={(e) => setRates(rates.map((r, k) => (k === i ? e.target.value : r)))}
              placeholder={bpsToPercent(c.defaultRatesBps[i] ?? 0)}
              aria-label={`L${i + 1} ${c.name}`}
              disabled={!canEditRates}
              className={`${small} w-14 text-right disabled:bg-neutral-50 disabled:text-neutral-500`}
              inputMode="decimal"
            />
          ))}
          <span className="text-xs text-neutral-400">%</span>
          {canEditRates ? (
            <button type="button" onClick={saveRates} className="ml-2 text-rose-600 hover:underline" data-testid="save-rates">
              {t("mcat.cat.editRates")}
            </button>
          ) : null}
          {c.ratesBps && canEditRates ? (
            <button type="button" onClick={() => { setRates(["", "", ""]); setRatesM.mutate({ slug: c.slug, ratesBps: null }); }} className="ml-2 text-neutral-500 hover:underline">
              {t("mcat.cat.clearRates")}
            </button>
          ) : (
            <span className="ml-2 text-xs text-neutral-400">{t("mcat.cat.defaultRates", { rates: c.defaultRatesBps.map(formatBps).join(" / ") })}</span>
          )}
        </div>
      </td>
      <td className="px-4 py-2">
        <button
          type="button"
          className="text-rose-600 hover:underline"
          onClick={() => update.mutate({ slug: c.slug, name: row.name, icon: row.icon.trim() || null, sort: Number(row.sort) || 0, version: row.version })}
        >
          {t("mcat.action.save")}
        </button>
      </td>
    </tr>
  );
}
