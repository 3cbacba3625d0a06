"use client";

// Background jobs and outbox events that failed too often and were set aside (dead-lettered): how many,
// which, and a retry once the cause is fixed. Shown to staff on the merchant home; nothing when all is well. On Inngest, a
// function that failed is listed until a run of it succeeds; a scheduled one can be run at once, one run per event cannot.
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { useTRPC } from "@/trpc/react";

export function FailedJobsNotice() {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const count = useQuery(trpc.merchantJobs.failedCount.queryOptions(undefined, { refetchInterval: 60_000 }));
  const list = useQuery(trpc.merchantJobs.failedList.queryOptions({ limit: 50 }, { enabled: open }));
  const retry = useMutation(
    trpc.merchantJobs.retry.mutationOptions({
      onSettled: () => void queryClient.invalidateQueries({ queryKey: trpc.merchantJobs.pathKey() }),
    }),
  );
  const total = count.data?.total ?? 0;
  if (total === 0) return null;
  return (
    <section role="status" data-testid="failed-jobs" data-count={total} className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
      <div className="flex items-center justify-between gap-2">
        <span>{t("m.jobs.notice", { n: total })}</span>
        <button type="button" className="text-xs underline" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          {open ? t("m.jobs.hide") : t("m.jobs.show")}
        </button>
      </div>
      {open && (
        <ul className="mt-2 space-y-1">
          {(list.data ?? []).map((j) =>
            j.type === "inngestFunction" ? (
              <li key={`${j.type}:${j.functionId}`} data-testid="failed-job" className="flex items-center justify-between gap-2 rounded bg-white px-2 py-1">
                <span className="min-w-0 truncate">
                  {[t.opt(`m.jobs.inngest.${j.functionId}`, j.functionId), t("m.jobs.inngestFailedAt", { at: formatDateTime(j.failedAt, { timeZone }) })].join(" · ")}
                </span>
                {j.retryable ? (
                  <RetryButton label={t("m.jobs.runNow")} pending={retry.isPending} onClick={() => retry.mutate({ type: j.type, functionId: j.functionId })} />
                ) : (
                  <span className="shrink-0 text-xs text-amber-800">{t("m.jobs.inngestNoRetry")}</span>
                )}
              </li>
            ) : (
              <li key={`${j.type}:${j.id}`} data-testid="failed-job" className="flex items-center justify-between gap-2 rounded bg-white px-2 py-1">
                <span className="min-w-0 truncate">
                  {[
                    j.type === "outboxEvent" ? t("m.jobs.outboxEvent", { name: j.kind }) : t.opt(`m.jobs.kind.${j.kind}`, j.kind),
                    j.type === "providerCall" ? j.ref : `#${j.ref}`,
                    t("m.jobs.attempts", { n: j.attempts }),
                    j.failedAt ? t("m.jobs.failedAt", { at: formatDateTime(j.failedAt, { timeZone }) }) : null,
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </span>
                <RetryButton label={t("m.jobs.retry")} pending={retry.isPending} onClick={() => retry.mutate({ type: j.type, id: j.id })} />
              </li>
            ),
          )}
        </ul>
      )}
      {retry.error && <p className="mt-1 text-xs text-rose-700">{errorText(t, retry.error)}</p>}
    </section>
  );
}

function RetryButton({ label, pending, onClick }: { label: string; pending: boolean; onClick: () => void }) {
  return (
    <button type="button" className="shrink-0 rounded bg-amber-600 px-2 py-0.5 text-xs text-white disabled:opacity-50" disabled={pending} onClick={onClick}>
      {label}
    </button>
  );
}
