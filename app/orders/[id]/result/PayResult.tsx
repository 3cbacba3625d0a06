"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { formatFen, formatYuan } from "@/components/money";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText, orderStatusLabel } from "@/lib/i18n/labels";
import { WechatSubscribe } from "@/components/WechatSubscribe";

const GIVE_UP_MS = 60_000;

/**
 * 推三返一 as this order has it (server/orders/view.ts paidOrderCashback): the task it opened, in its own n, window and
 * amount; the minimum it fell short of; nothing when the campaign is off or the buyer gets no task for another reason.
 */
function CashbackLine({ cashback }: { cashback: RouterOutputs["order"]["status"]["cashback"] }) {
  const t = useT();
  if (cashback?.kind === "belowMin") {
    return (
      <p className="mt-4 text-xs leading-5 text-neutral-500" data-testid="pay-result-cashback">
        {t("payResult.belowMin", { min: formatFen(cashback.minAnchorFen) })}
      </p>
    );
  }
  // A task already met, voided or expired by the time this page is read is shown on the promotion centre, not promised here.
  if (cashback?.kind !== "task" || cashback.status !== "OPEN") return null;
  const words = { n: cashback.n, days: cashback.windowDays, amount: formatFen(cashback.cashbackFen) };
  return (
    <div className="mt-4 rounded-xl bg-rose-50 px-4 py-3 text-left text-xs leading-5 text-rose-700" data-testid="pay-result-cashback">
      {t(cashback.payout === "credit" ? "payResult.cashbackTaskCredit" : "payResult.cashbackTask", words)}
      <Link href="/promote" className="ml-1 font-medium underline">
        {t("payResult.shareLink")}
      </Link>
    </div>
  );
}

/**
 * After the cashier: the provider's callback arrives asynchronously, so poll the order until the
 * payment is confirmed (or the order is closed), then say so.
 */
export function PayResult({ id, wechatTemplates }: { id: number; wechatTemplates: string[] }) {
  const t = useT();
  const trpc = useTRPC();
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setSlow(true), GIVE_UP_MS);
    return () => clearTimeout(t);
  }, []);
  const q = useQuery(
    trpc.order.status.queryOptions(
      { id },
      {
        retry: false,
        refetchInterval: (query) => (query.state.data?.status === "PENDING_PAYMENT" && !slow ? 1000 : false),
      },
    ),
  );

  if (q.isError) return <p className="py-16 text-center text-sm text-rose-600">{errorText(t, q.error)}</p>;
  const s = q.data;
  const waiting = !s || s.status === "PENDING_PAYMENT";
  const paid = s && s.paidAt && s.status !== "CANCELLED";

  return (
    <div className="flex flex-col items-center px-6 pt-14 text-center">
      {waiting ? (
        <>
          <span className="h-16 w-16 animate-spin rounded-full border-4 border-rose-100 border-t-rose-600" aria-hidden />
          <h2 className="mt-5 text-lg font-semibold" role="status">
            {slow ? t("payResult.slow") : t("payResult.waiting")}
          </h2>
          <p className="mt-1 text-sm text-neutral-500">{slow ? t("payResult.slowHint") : t("payResult.keepOpen")}</p>
        </>
      ) : paid ? (
        <>
          <span className="flex h-16 w-16 items-center justify-center rounded-full bg-emerald-500 text-white" aria-hidden>
            <svg viewBox="0 0 24 24" className="h-9 w-9" fill="none" stroke="currentColor" strokeWidth={2.5} strokeLinecap="round" strokeLinejoin="round">
              <path d="m5 12.5 4.5 4.5L19 7.5" />
            </svg>
          </span>
          <h2 className="mt-5 text-xl font-semibold" role="status" data-testid="pay-result">
            {t("payResult.success")}
          </h2>
          <p className="mt-2 text-2xl font-semibold tabular-nums">{formatYuan(s.payableFen)}</p>
          <p className="mt-1 text-xs text-neutral-400 tabular-nums">{t("order.no", { orderNo: s.orderNo })}</p>
          <CashbackLine cashback={s.cashback} />
          <WechatSubscribe templates={wechatTemplates} />
        </>
      ) : (
        <>
          <span className="flex h-16 w-16 items-center justify-center rounded-full bg-neutral-300 text-3xl text-white" aria-hidden>
            !
          </span>
          <h2 className="mt-5 text-lg font-semibold" role="status">
            {t("payResult.closed", { status: orderStatusLabel(t, s.status, s.statusLabel) })}
          </h2>
        </>
      )}
      <div className="mt-8 flex w-full gap-3">
        <Link href={`/orders/${id}`} className="h-11 flex-1 rounded-full border border-rose-500 text-sm leading-[2.75rem] text-rose-600">
          {t("order.view")}
        </Link>
        <Link href="/" className="h-11 flex-1 rounded-full bg-gradient-to-r from-orange-500 to-rose-600 text-sm leading-[2.75rem] text-white">
          {t("payResult.continue")}
        </Link>
      </div>
    </div>
  );
}
