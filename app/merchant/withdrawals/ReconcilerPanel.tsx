"use client";

// 打款对账: when the PAYING reconciler last ran, and each withdrawal still PAYING with the provider's
// last answer; a payout call paused after repeated failures can be retried (merchantJobs.retry).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { formatDateTime } from "@/lib/format-date";
import { formatYuan } from "@/components/money";
import { StatusBadge } from "@/components/merchant/StatusBadge";

export function ReconcilerPanel() {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery({ ...trpc.merchantWithdrawal.payingStatus.queryOptions(), refetchInterval: 30_000 });
  const retry = useMutation(trpc.merchantJobs.retry.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.merchantWithdrawal.pathKey() }) }));
  const when = (d: Date | string | number) => formatDateTime(d, { seconds: true });
  const s = status.data;
  if (!s) return null;
  return (
    <section className="rounded-lg border border-neutral-200 bg-white p-4 text-sm" data-testid="reconciler">
      <h2 className="font-medium">{t("mw.recon.title")}</h2>
      <ul className="mt-2 space-y-1 text-neutral-700">
        <li data-testid="reconciler-last-run">{s.lastRunAt ? t("mw.recon.lastRun", { time: when(s.lastRunAt) }) : t("mw.recon.never")}</li>
        {s.lastRunAt ? <li className="text-xs text-neutral-500">{t("mw.recon.lastClosed", { n: s.lastClosed })}</li> : null}
        {/* The heartbeat keeps only the error's class: the error itself is in the server log. */}
        {s.lastError ? <li className="text-xs text-rose-600">{t("mw.recon.error")}</li> : null}
        <li>{s.payingCount ? t("mw.recon.paying", { n: s.payingCount }) : t("mw.recon.none")}</li>
      </ul>
      {s.paying.length ? (
        <ul className="mt-2 divide-y divide-neutral-100 text-xs">
          {s.paying.map((p) => (
            <li key={p.id} className="py-1.5" data-testid="paying-row">
              <div className="flex justify-between">
                <span className="font-mono">{p.payoutNo}</span>
                <span className="tabular-nums">{formatYuan(p.netFen)}</span>
              </div>
              <div className="mt-0.5 flex flex-wrap items-center gap-2 text-neutral-500">
                <span>{p.member}</span>
                {!p.call || p.call.attempts === 0 ? <span>{t("mw.recon.notAsked")}</span> : <span>{t("mw.recon.answer", { n: p.call.attempts, time: p.call.lastAttemptAt ? when(p.call.lastAttemptAt) : "—" })}</span>}
                {p.call?.lastError ? <span className="text-rose-600">{p.call.lastError}</span> : null}
                {p.call?.status === "PENDING" && p.call.attempts > 0 ? <span>{t("mw.recon.waiting", { time: when(p.call.nextAttemptAt) })}</span> : null}
                {p.call?.status === "DEAD" ? (
                  <>
                    <StatusBadge label={t("mw.recon.dead")} tone="danger" />
                    <button type="button" disabled={retry.isPending} className="rounded border border-neutral-300 px-2 py-0.5" onClick={() => retry.mutate({ type: "providerCall", id: p.call!.id })}>
                      {t("mw.recon.retry")}
                    </button>
                  </>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
