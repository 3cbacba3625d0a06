"use client";

import Link from "next/link";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { useQuery } from "@tanstack/react-query";
import { ProductImage } from "@/components/ProductImage";
import { formatYuan } from "@/components/money";
import { useTRPC } from "@/trpc/react";
import { OrderActions } from "../_components/OrderActions";
import { formatRemaining, remainingWords, TimeLeft, usePayOpen, useRemainingMs } from "../_components/Countdown";
import { useT } from "@/lib/i18n/client";
import { carrierLabel, errorText } from "@/lib/i18n/labels";
import { useState, type ReactNode } from "react";
import { AfterSalesRequests, RefundRequestSheet } from "./AfterSales";
import { CopyButton } from "@/app/promote/CopyButton";

/**
 * "剩余 {time} 订单将自动取消" with the time left as TimeLeft, as the orders list: the clock ticks for the eye, a screen
 * reader gets words that change at most once a minute (WCAG 2.2.2).
 */
export function TimeLeftSentence({ sentence, left }: { sentence: string; left: number }) {
  const t = useT();
  const [before = "", after = ""] = sentence.split("{time}");
  return (
    <>
      {before}
      <TimeLeft clock={formatRemaining(left)} words={remainingWords(t, left)} />
      {after}
    </>
  );
}

export function OrderDetail({ id }: { id: number }) {
  const t = useT();
  const timeZone = useTimeZone();
  const when = (d: Date) => formatDateTime(d, { timeZone });
  const trpc = useTRPC();
  const q = useQuery(trpc.order.byId.queryOptions({ id }, { retry: false }));
  const o = q.data;
  // Only for an order the shopper can see: another's order is 订单不存在, its after-sales need not be asked.
  const afterSales = useQuery({ ...trpc.order.afterSales.queryOptions({ id }, { retry: false }), enabled: q.isSuccess });
  const [requesting, setRequesting] = useState(false);
  const left = useRemainingMs(o?.paymentDeadline ?? null, o?.serverNow ?? new Date());
  const payOpen = usePayOpen(o?.paymentDeadline ?? null, o?.serverNow ?? new Date(), o?.payableFen ?? 0);
  // Once the countdown is over, look again (the scheduler cancels the order within seconds).
  useQuery({ ...trpc.order.byId.queryOptions({ id }), enabled: left === 0 && o?.status === "PENDING_PAYMENT", refetchInterval: 5000 });

  if (q.isPending) return <p className="py-16 text-center text-sm text-neutral-400">{t("common.loading")}</p>;
  if (q.isError || !o)
    return (
      <div className="flex flex-col items-center gap-3 py-20 text-sm text-neutral-500">
        <p role="alert">{q.error?.data?.code === "NOT_FOUND" || !q.error ? t("order.notFound") : errorText(t, q.error)}</p>
        <Link href="/orders" className="rounded-full border border-rose-500 px-4 py-1.5 text-rose-600">
          {t("orders.title")}
        </Link>
      </div>
    );

  let sub: ReactNode = "";
  if (o.status === "PENDING_PAYMENT") sub = !left || left <= 0 ? t("order.sub.timedOut") : <TimeLeftSentence sentence={t(payOpen ? "order.sub.countdown" : "order.sub.closing")} left={left} />;
  else if (o.status === "PAID") sub = t("order.sub.PAID");
  else if (o.status === "SHIPPED") sub = t("order.sub.SHIPPED");
  else if (o.status === "DELIVERED" && o.returnWindowEndsAt) sub = t("order.sub.DELIVERED", { date: when(o.returnWindowEndsAt) });
  // 款项已原路退回 only once the provider confirmed it (or no provider money was involved).
  else if (o.status === "REFUNDED") sub = o.refundState && o.refundState !== "done" ? t(`order.sub.refund.${o.refundState}`) : t("order.sub.REFUNDED");
  else if (o.status === "COMPLETED") sub = t("order.sub.COMPLETED");
  const pendingRequest = afterSales.data?.requests.some((r) => r.status === "PENDING") ?? false;
  if (pendingRequest) sub = t("afterSales.headline.pending");
  const refundUnderWay = o.status === "REFUNDED" && o.refundState !== null && o.refundState !== "done" ? o.refundState : null;
  const actions = { ...o.actions, pay: o.actions.pay && payOpen, refund: o.actions.refund && (afterSales.data?.canRequest ?? false) };

  return (
    <div className="pb-24">
      <section className={`px-5 py-6 text-white ${o.status === "CANCELLED" || o.status === "REFUNDED" ? "bg-gradient-to-br from-neutral-500 to-neutral-400" : "bg-gradient-to-br from-rose-600 to-orange-500"}`}>
        <h2 className="text-lg font-semibold" data-testid="order-headline" data-status={o.status} data-refund={o.refundState ?? undefined}>
          {refundUnderWay ? t(`order.headline.refund.${refundUnderWay}`) : t.opt(`order.headline.${o.status}`, o.statusLabel)}
        </h2>
        {sub ? (
          <p className="mt-1 text-xs text-white/85" data-testid={o.status === "PENDING_PAYMENT" ? "pay-countdown" : undefined}>
            {sub}
          </p>
        ) : null}
        {/* 优先发货 (SPEC §7): the benefit the shopper's tier gave this order when it was paid. */}
        {o.priorityShipping ? (
          <p className="mt-2 flex flex-wrap items-center gap-2 text-xs text-white/90" data-testid="order-priority">
            <span className="rounded-full bg-white px-2 py-0.5 font-medium text-rose-600">{t("order.priorityShipping")}</span>
            {o.status === "PAID" ? <span>{t("order.priorityShippingNote")}</span> : null}
          </p>
        ) : null}
      </section>

      {o.address ? (
        <section className="mx-3 -mt-3 rounded-xl bg-white p-4 text-sm shadow-sm">
          <div className="text-xs text-neutral-400">{t("order.shipTo")}</div>
          <p className="mt-1 leading-6">{o.address}</p>
        </section>
      ) : null}

      <section className="mx-3 mt-2 rounded-xl bg-white p-4 shadow-sm">
        <ul className="space-y-3">
          {o.lines.map((l) => (
            <li key={l.id} className="flex gap-3" data-testid="order-line">
              <Link href={`/product/${l.product.id}`} className="w-16 shrink-0 overflow-hidden rounded-lg">
                <ProductImage src={l.sku.imageUrl ?? l.product.imageUrl} name={l.product.name} className="!p-1 !text-[10px] !font-medium" />
              </Link>
              <div className="flex flex-1 justify-between gap-2">
                <span className="text-sm">
                  <span className="line-clamp-2">{l.product.name}</span>
                  {l.skuLabel ? <span className="mt-0.5 block text-xs text-neutral-500" data-testid="order-line-sku">{l.skuLabel}</span> : null}
                </span>
                <span className="text-right text-xs text-neutral-500">
                  <span className="block text-sm text-neutral-900 tabular-nums">{formatYuan(l.unitPriceFen)}</span>×{l.qty}
                </span>
              </div>
            </li>
          ))}
        </ul>
        <dl className="mt-4 space-y-2 border-t border-neutral-100 pt-3 text-sm">
          <Row label={t("order.amount.gross")} value={formatYuan(o.grossFen)} />
          {o.discountFen > 0 ? <Row label={t("order.amount.discount")} value={`-${formatYuan(o.discountFen)}`} /> : null}
          <Row label={t("order.amount.shipping")} value={o.shippingFen ? formatYuan(o.shippingFen) : t("order.amount.freeShipping")} />
          {o.creditUsedFen > 0 ? (
            <Row
              label={o.amount.creditReturned ? t("order.amount.creditReturned") : t("order.amount.credit")}
              value={o.amount.label === "total" ? formatYuan(o.creditUsedFen) : `-${formatYuan(o.creditUsedFen)}`}
            />
          ) : null}
          <div className="flex justify-between pt-1">
            <dt>{o.amount.label === "due" ? t("order.amount.due") : o.amount.label === "paid" ? t("order.amount.paid") : t("order.amount.total")}</dt>
            <dd className="font-semibold text-rose-600 tabular-nums" data-testid="order-payable" data-amount={o.amount.label}>
              {formatYuan(o.amount.fen)}
            </dd>
          </div>
        </dl>
      </section>

      <section className="mx-3 mt-2 rounded-xl bg-white p-4 shadow-sm">
        <h3 className="mb-3 text-sm font-semibold">{t("order.progress")}</h3>
        <ol className="relative ml-1.5 border-l border-neutral-200" data-testid="order-timeline">
          {o.timeline.map((s) => (
            <li key={s.key} className="relative pb-4 pl-5 last:pb-0" data-step={s.key} data-done={s.at ? "1" : "0"}>
              <span className={`absolute -left-[5px] top-1 h-2.5 w-2.5 rounded-full ${s.at ? "bg-rose-600" : "border border-neutral-300 bg-white"}`} />
              <div className={`text-sm ${s.at ? "text-neutral-900" : "text-neutral-400"}`}>{t.opt(`order.step.${s.key}`, s.label)}</div>
              <div className="text-xs text-neutral-400 tabular-nums">
                {s.at ? when(s.at) : s.due ? t(s.key === "delivered" ? "order.step.dueDelivered" : "order.step.dueCompleted", { date: when(s.due) }) : ""}
              </div>
            </li>
          ))}
        </ol>
      </section>

      {afterSales.data ? <AfterSalesRequests view={afterSales.data} /> : null}

      <section className="mx-3 mt-2 space-y-1.5 rounded-xl bg-white p-4 text-xs text-neutral-500 shadow-sm">
        <div className="flex justify-between">
          <span>{t("order.number")}</span>
          <span className="flex items-center gap-2">
            <span className="tabular-nums text-neutral-700" data-testid="order-no">
              {o.orderNo}
            </span>
            <CopyButton text={o.orderNo} label={t("order.copyNo")} className="relative rounded-full border border-neutral-200 px-2 text-[11px] text-neutral-600 after:absolute after:-inset-x-1 after:-inset-y-3.5" />
          </span>
        </div>
        <div className="flex justify-between">
          <span>{t("order.createdAt")}</span>
          <span className="tabular-nums">{when(o.createdAt)}</span>
        </div>
        {o.paidAt ? (
          <div className="flex justify-between">
            <span>{t("order.paidAt")}</span>
            <span className="tabular-nums">{when(o.paidAt)}</span>
          </div>
        ) : null}
        {o.shipment ? (
          <div className="flex justify-between" data-testid="order-shipment">
            <span>{t("order.shipment")}</span>
            <span className="flex items-center gap-2">
              <span className="tabular-nums text-neutral-700">
                {carrierLabel(t, o.shipment.carrier, o.shipment.carrierName)} {o.shipment.trackingNo}
              </span>
              <CopyButton text={o.shipment.trackingNo} label={t("order.copyNo")} className="relative rounded-full border border-neutral-200 px-2 text-[11px] text-neutral-600 after:absolute after:-inset-x-1 after:-inset-y-3.5" />
            </span>
          </div>
        ) : null}
        {o.payment?.refundNo ? (
          <div className="flex justify-between">
            <span>{t("order.refundNo")}</span>
            <span className="tabular-nums">{o.payment.refundNo}</span>
          </div>
        ) : null}
      </section>

      <div className="fixed inset-x-0 bottom-0 z-20 mx-auto flex max-w-md items-center border-t border-neutral-200 bg-white px-4 py-2.5 pb-[max(0.625rem,env(safe-area-inset-bottom))]">
        <OrderActions orderId={o.id} actions={actions} onRefund={() => setRequesting(true)} />
        {!Object.values(actions).some(Boolean) ? (
          <div className="flex w-full justify-end gap-2">
            <Link href="/" className="relative h-8 rounded-full border border-neutral-300 px-4 text-xs leading-8 text-neutral-700 after:absolute after:inset-x-0 after:-inset-y-1.5">
              {t("order.browseMore")}
            </Link>
          </div>
        ) : null}
      </div>
      {requesting ? <RefundRequestSheet orderId={o.id} atOnce={o.status === "PAID"} onClose={() => setRequesting(false)} /> : null}
    </div>
  );
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <div className="flex justify-between">
      <dt className="text-neutral-600">{label}</dt>
      <dd className="tabular-nums text-neutral-700">{value}</dd>
    </div>
  );
}
