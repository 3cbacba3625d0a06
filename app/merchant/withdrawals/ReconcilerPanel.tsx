"use client";

// 打款对账: when the PAYING reconciler last ran, each withdrawal still PAYING with the provider's last answer, and
// the approved ones no payout takes because their member is frozen; a payout call paused after repeated failures can
// be retried (merchantJobs.retry), or, once the provider confirms it holds no paid transfer, closed as failed with the
// money back in the member's balance.
import { useState } from "react";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { formatYuanGrouped } from "@/components/money";
import { StatusBadge } from "@/components/merchant/StatusBadge";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";

export function ReconcilerPanel() {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery({ ...trpc.merchantWithdrawal.payingStatus.queryOptions(), refetchInterval: 30_000 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.merchantWithdrawal.pathKey() });
  const retry = useMutation(trpc.merchantJobs.retry.mutationOptions({ onSuccess: refresh }));
  const [confirming, setConfirming] = useState<{ id: number; payoutNo: string } | null>(null);
  // Shown above the list: a withdrawal confirmed failed leaves it.
  const [outcome, setOutcome] = useState<{ text: string; error: boolean } | null>(null);
  const confirmFailed = useMutation(
    trpc.merchantWithdrawal.confirmPayoutFailed.mutationOptions({
      onSuccess: (w) => {
        setOutcome({ text: t("mw.recon.confirmedFailed", { no: w.payoutNo ?? `WD${w.id}` }), error: false });
        void refresh();
      },
      onError: (e) => setOutcome({ text: errorText(t, e), error: true }),
      onSettled: () => setConfirming(null),
    }),
  );
  const when = (d: Date | string | number) => formatDateTime(d, { timeZone, seconds: true });
  const s = status.data;
  if (!s) return null;
  return (
    <section className="rounded-lg border border-neutral-200 bg-white p-4 text-sm" data-testid="reconciler">
      <h2 className="font-medium">{t("mw.recon.title")}</h2>
      <ul className="mt-2 space-y-1 text-neutral-700">
        <li data-testid="reconciler-last-run">{s.lastRunAt ? t("mw.recon.lastRun", { time: when(s.lastRunAt) }) : t("mw.recon.never")}</li>
        {s.lastRunAt ? <li className="text-xs text-neutral-500">{s.lastClosed ? t("mw.recon.lastClosed", { n: s.lastClosed }) : t("mw.recon.lastClosedNone")}</li> : null}
        {/* The heartbeat keeps only the error's class: the error itself is in the server log. */}
        {s.lastError ? <li className="text-xs text-rose-600">{t("mw.recon.error")}</li> : null}
        <li>{s.payingCount ? t("mw.recon.paying", { n: s.payingCount }) : t("mw.recon.none")}</li>
        {s.blockedCount ? (
          <li className="text-rose-700" data-testid="reconciler-blocked">
            {t("mw.recon.blocked", { n: s.blockedCount })}
            <span className="ml-1 text-xs text-neutral-500">{t("mw.blocked.hint")}</span>
          </li>
        ) : null}
      </ul>
      {s.blocked.length ? (
        <ul className="mt-2 divide-y divide-neutral-100 text-xs">
          {s.blocked.map((b) => (
            <li key={b.id} className="flex flex-wrap items-center gap-2 py-1.5" data-testid="blocked-row">
              <span className="font-mono">{b.payoutNo}</span>
              <span className="text-neutral-500">{b.member}</span>
              <span className="tabular-nums">{formatYuanGrouped(b.netFen)}</span>
              <StatusBadge label={t("mw.blocked")} tone="danger" />
              {/* The queue above filtered to this member's approved rows, where 驳回 is. */}
              <Link className="text-neutral-700 underline" href={`/merchant/withdrawals?status=APPROVED&member=${encodeURIComponent(`#${b.memberId}`)}`}>
                {t("mw.recon.blockedShow")}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
      {outcome ? (
        <p role={outcome.error ? "alert" : "status"} className={`mt-2 text-xs ${outcome.error ? "text-rose-600" : "text-emerald-700"}`} data-testid="confirm-payout-failed-outcome">
          {outcome.text}
        </p>
      ) : null}
      {s.paying.length ? (
        <ul className="mt-2 divide-y divide-neutral-100 text-xs">
          {s.paying.map((p) => (
            <li key={p.id} className="py-1.5" data-testid="paying-row">
              <div className="flex justify-between">
                <span className="font-mono">{p.payoutNo}</span>
                <span className="tabular-nums">{formatYuanGrouped(p.netFen)}</span>
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
                    <button
                      type="button"
                      disabled={confirmFailed.isPending}
                      className="rounded border border-rose-300 px-2 py-0.5 text-rose-700"
                      data-testid="confirm-payout-failed"
                      onClick={() => setConfirming({ id: p.id, payoutNo: p.payoutNo })}
                    >
                      {t("mw.recon.confirmFailed")}
                    </button>
                  </>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          open
          danger
          title={t("mw.recon.confirmFailed")}
          body={t("mw.recon.confirmFailedAsk", { no: confirming.payoutNo })}
          pending={confirmFailed.isPending}
          onConfirm={() => confirmFailed.mutate({ id: confirming.id })}
          onCancel={() => setConfirming(null)}
        />
      ) : null}
    </section>
  );
}
