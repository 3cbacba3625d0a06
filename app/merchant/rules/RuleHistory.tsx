"use client";

// Version history of the program rules and, for a chosen version, its settings beside its
// predecessor's (side by side: setting, before, after).
import { useMemo, useState } from "react";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { useQuery } from "@tanstack/react-query";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { formatRuleValue, settingLabel, type SettingContext } from "./setting-labels";
import { StatusBadge } from "@/components/merchant/StatusBadge";
import { versionReason } from "./version-reason";
import { promotedReasonText, versionAuthorText } from "@/server/experiments/version-reason";

type Version = RouterOutputs["merchantRules"]["overview"]["versions"][number];
const TONE = { active: "success", scheduled: "info", superseded: "neutral" } as const;
// Where tests/merchant-grouped-amounts.test.ts reads it.
export { formatRuleValue };

export function RuleHistory({ versions }: { versions: Version[] }) {
  const t = useT();
  const timeZone = useTimeZone();
  const [selected, setSelected] = useState<number | null>(null);
  return (
    <section className="rounded-lg bg-white p-5 shadow-sm" data-testid="rule-history">
      <h2 className="mb-3 text-base font-semibold">{t("rules.history")}</h2>
      {/* On a phone the versions scroll sideways in the card (relative: with the sr-only heading). */}
      <div className="relative overflow-x-auto">
        <table className="w-full text-sm">
          <thead className="whitespace-nowrap bg-neutral-50 text-left text-xs text-neutral-500">
            <tr>
              <th className="px-2 py-2">{t("rules.h.version")}</th>
              <th className="px-2 py-2">{t("rules.h.state")}</th>
              <th className="px-2 py-2">{t("rules.h.effectiveAt")}</th>
              <th className="px-2 py-2">{t("rules.h.author")}</th>
              <th className="px-2 py-2">{t("rules.h.reason")}</th>
              <th className="px-2 py-2">{t("rules.h.createdAt")}</th>
              <th className="px-2 py-2">
                <span className="sr-only">{t("m.col.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.length === 0 ? (
              <tr className="border-t border-neutral-100" data-testid="rule-history-empty">
                <td colSpan={7} className="px-2 py-6 text-center text-neutral-500">
                  {t("rules.h.none")}
                </td>
              </tr>
            ) : null}
            {versions.map((v) => (
              <tr key={v.version} className="border-t border-neutral-100" data-testid={`rule-version-${v.version}`}>
                <td className="px-2 py-2 font-medium">v{v.version}</td>
                <td className="px-2 py-2">
                  <StatusBadge label={t(`rules.state.${v.state}`)} tone={TONE[v.state]} status={v.state} />
                </td>
                <td className="whitespace-nowrap px-2 py-2 tabular-nums">{v.effectiveAt.getTime() === 0 ? "—" : formatDateTime(v.effectiveAt, { timeZone })}</td>
                <td className="px-2 py-2">{v.author === null ? t("rules.h.system") : versionAuthorText(t, v.author)}</td>
                <td className="min-w-40 px-2 py-2">{promotedReasonText(t, v.reason) ?? versionReason(t, v)}</td>
                <td className="whitespace-nowrap px-2 py-2 tabular-nums">{formatDateTime(v.createdAt, { timeZone })}</td>
                <td className="whitespace-nowrap px-2 py-2 text-right">
                  <button type="button" className="text-rose-600" onClick={() => setSelected(selected === v.version ? null : v.version)}>
                    {selected === v.version ? t("rules.diff.close") : t("rules.h.compare")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {selected !== null ? <VersionDiff version={selected} /> : null}
    </section>
  );
}

function VersionDiff({ version }: { version: number }) {
  const t = useT();
  const trpc = useTRPC();
  const diff = useQuery(trpc.merchantRules.diff.queryOptions({ version }));
  // The page's own overview (already loaded, not refetched on focus, as RulesClient reads it): category names and the matrix width.
  const overview = useQuery({ ...trpc.merchantRules.overview.queryOptions(), refetchOnWindowFocus: false, refetchOnReconnect: false });
  const settings = useMemo((): SettingContext | null => {
    const o = overview.data;
    return o ? { categories: new Map(o.categories.map((c) => [c.slug, c.name])), matrixWidth: o.latest.matrix.width } : null;
  }, [overview.data]);
  if (!diff.data || !settings) return <p className="mt-3 text-sm text-neutral-500">{t("common.loading")}</p>;
  const d = diff.data;
  return (
    <div className="mt-4 rounded border border-neutral-200" data-testid="rule-diff">
      <h3 className="border-b border-neutral-200 bg-neutral-50 px-3 py-2 text-sm font-semibold">
        {d.previousVersion ? t("rules.diff.title", { version: d.version, prev: d.previousVersion }) : t("rules.diff.first", { version: d.version })}
      </h3>
      {d.rows.length === 0 ? (
        <p className="px-3 py-2 text-sm text-neutral-500">{t("rules.diff.none")}</p>
      ) : (
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-neutral-500">
            <tr>
              <th className="w-1/3 px-3 py-2">{t("rules.diff.setting")}</th>
              <th className="w-1/3 px-3 py-2">
                {t("rules.diff.before")}
                {d.previousVersion ? ` (v${d.previousVersion})` : ""}
              </th>
              <th className="w-1/3 px-3 py-2">
                {t("rules.diff.after")} (v{d.version})
              </th>
            </tr>
          </thead>
          <tbody>
            {d.rows.map((r) => (
              <tr key={r.path} className="border-t border-neutral-100 align-top" data-path={r.path}>
                {/* The stored key stays at hand for support (on hover), not in the merchant's words. */}
                <td className="px-3 py-2" title={r.path}>
                  {settingLabel(r.path, t, settings)}
                </td>
                <td className="bg-rose-50/60 px-3 py-2 text-rose-800 line-through decoration-rose-300" data-side="before">
                  {formatRuleValue(r.path, r.before, t, settings)}
                </td>
                <td className="bg-emerald-50/60 px-3 py-2 text-emerald-800" data-side="after">
                  {formatRuleValue(r.path, r.after, t, settings)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
