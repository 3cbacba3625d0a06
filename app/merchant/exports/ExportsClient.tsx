"use client";

// 导出记录: the signed-in member of staff's background exports, refreshed while one is running.
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { StatusBadge, type Tone } from "@/components/merchant/StatusBadge";
import { useT } from "@/lib/i18n/client";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { useTRPC } from "@/trpc/react";

const TONE: Record<string, Tone> = { QUEUED: "neutral", RUNNING: "progress", DONE: "success", FAILED: "danger", EXPIRED: "neutral" };

export function ExportsClient({ syncLimit, retentionDays }: { syncLimit: number; retentionDays: number }) {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const justQueued = useSearchParams().get("job");
  const jobs = useQuery({
    ...trpc.merchantExports.mine.queryOptions(),
    refetchInterval: (q) => (q.state.data?.some((j) => j.status === "QUEUED" || j.status === "RUNNING") ? 2_000 : false),
  });
  const when = (d: Date | string | number) => formatDateTime(d, { timeZone, seconds: true });
  return (
    <div className="space-y-3">
      {justQueued ? (
        <p role="status" className="rounded bg-sky-50 px-3 py-2 text-sm text-sky-800">
          {t("mx.queued")}
        </p>
      ) : null}
      <p className="text-xs text-neutral-500">{t("mx.hint", { n: syncLimit, days: retentionDays })}</p>
      <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white">
        <table className="min-w-full text-left text-sm">
          <thead className="bg-neutral-50 text-xs text-neutral-500">
            <tr>
              <th className="px-3 py-2 font-medium">{t("mx.col.file")}</th>
              <th className="px-3 py-2 font-medium">{t("mx.col.status")}</th>
              <th className="px-3 py-2 font-medium">{t("mx.col.progress")}</th>
              <th className="px-3 py-2 font-medium">{t("mx.col.createdAt")}</th>
              <th className="px-3 py-2 font-medium">{t("mx.col.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {(jobs.data ?? []).map((j) => {
              const pct = j.rowsTotal > 0 ? Math.min(100, Math.floor((j.rowsDone * 100) / j.rowsTotal)) : j.status === "DONE" || j.status === "EXPIRED" ? 100 : 0;
              return (
                <tr key={j.id} className="border-t border-neutral-100" data-testid="export-job" data-status={j.status} data-id={j.id}>
                  <td className="px-3 py-2">{j.fileName}</td>
                  <td className="px-3 py-2">
                    <StatusBadge label={t(`mx.status.${j.status}`)} tone={TONE[j.status]} status={j.status} />
                    {j.error ? <span className="ml-2 text-xs text-rose-600">{t("mx.failed")}</span> : null}
                  </td>
                  <td className="px-3 py-2">
                    <div className="flex items-center gap-2">
                      <div className="h-1.5 w-32 overflow-hidden rounded bg-neutral-100" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
                        <div className="h-full bg-emerald-500" style={{ width: `${pct}%` }} />
                      </div>
                      <span className="text-xs tabular-nums text-neutral-500">
                        {j.rowsDone}/{j.rowsTotal}
                      </span>
                    </div>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 tabular-nums">{when(j.createdAt)}</td>
                  <td className="px-3 py-2">
                    {j.canDownload ? (
                      <a href={`/merchant/exports/${j.id}/download`} download className="rounded border border-neutral-300 px-2 py-1 text-xs">
                        {t("mx.download")}
                      </a>
                    ) : null}
                  </td>
                </tr>
              );
            })}
            {jobs.data && jobs.data.length === 0 ? (
              <tr>
                <td colSpan={5} className="px-3 py-10 text-center text-neutral-400">
                  {t("mx.none")}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}
