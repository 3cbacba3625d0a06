"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { formatYuan } from "@/components/money";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText, orderStatusLabel } from "@/lib/i18n/labels";
import { WechatSubscribe } from "@/components/WechatSubscribe";

const GIVE_UP_MS = 60_000;

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
          <div className="mt-4 rounded-xl bg-rose-50 px-4 py-3 text-left text-xs leading-5 text-rose-700">
            {t("payResult.share")}
            <Link href="/promote" className="ml-1 font-medium underline">
              {t("payResult.shareLink")}
            </Link>
          </div>
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
