"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { ProductImage } from "@/components/ProductImage";
import { formatYuan } from "@/components/money";
import { useTRPC } from "@/trpc/react";
import { OrderActions } from "./_components/OrderActions";
import { PayCountdown, usePayOpen } from "./_components/Countdown";
import { StatusBadge } from "./_components/StatusBadge";
import { useT } from "@/lib/i18n/client";
import { errorText, orderStatusLabel } from "@/lib/i18n/labels";

type Tab = "all" | "unpaid" | "unshipped" | "shipped" | "done" | "refund";

export function OrdersList({ tab }: { tab: Tab }) {
  const t = useT();
  const trpc = useTRPC();
  const orders = useQuery(trpc.order.list.queryOptions({ tab }));
  if (orders.isPending) return <p className="py-16 text-center text-sm text-neutral-400">{t("common.loading")}</p>;
  if (orders.isError) return <p className="py-16 text-center text-sm text-rose-600">{errorText(t, orders.error)}</p>;
  const { items, serverNow } = orders.data;
  // "剩余 {time} 自动取消": the live countdown goes where {time} is.
  const [autoCancelBefore = "", autoCancelAfter = ""] = t("orders.autoCancel").split("{time}");
  if (!items.length)
    return (
      <div className="flex flex-col items-center gap-3 py-20 text-sm text-neutral-400">
        {t("orders.empty")}
        <Link href="/" className="rounded-full border border-rose-500 px-4 py-1.5 text-rose-600">
          {t("orders.browse")}
        </Link>
      </div>
    );
  return (
    <ul className="space-y-2 p-3">
      {items.map((o) => (
        <li key={o.id} className="rounded-xl bg-white p-3 shadow-sm" data-testid="order-card" data-order-no={o.orderNo}>
          <Link href={`/orders/${o.id}`} className="block">
            <div className="flex items-center justify-between">
              <span className="text-xs text-neutral-400 tabular-nums">{t("order.no", { orderNo: o.orderNo })}</span>
              <StatusBadge
                status={o.status}
                label={o.refundState && o.refundState !== "done" ? t(`order.status.refund.${o.refundState}`) : orderStatusLabel(t, o.status, o.statusLabel)}
              />
            </div>
            <div className="mt-2 flex gap-2">
              {o.lines.slice(0, 4).map((l) => (
                <div key={l.id} className="w-16 shrink-0 overflow-hidden rounded-lg">
                  <ProductImage src={l.product.imageUrl} name={l.product.name} className="!p-1 !text-[10px] !font-medium" />
                </div>
              ))}
              {o.lines.length === 1 ? <div className="line-clamp-2 flex-1 self-center text-sm">{o.lines[0]!.product.name}</div> : null}
            </div>
            <div className="mt-2 text-right text-xs text-neutral-500">
              {t("orders.summary", { n: o.itemCount, label: o.amount.label === "due" ? t("order.amount.due") : o.amount.label === "paid" ? t("orders.paid") : t("order.amount.total") })}{" "}
              <span className="text-sm font-semibold text-neutral-900 tabular-nums">{formatYuan(o.amount.fen)}</span>
            </div>
          </Link>
          <CardActions order={o} serverNow={serverNow} autoCancel={[autoCancelBefore, autoCancelAfter]} />
        </li>
      ))}
    </ul>
  );
}

type Card = { id: number; payableFen: number; paymentDeadline: Date | null; actions: Parameters<typeof OrderActions>[0]["actions"] };

/** A card's countdown and buttons: no pay button in the last minutes, when the server would refuse to start a payment. */
function CardActions({ order: o, serverNow, autoCancel: [before, after] }: { order: Card; serverNow: Date; autoCancel: [string, string] }) {
  const t = useT();
  const payOpen = usePayOpen(o.paymentDeadline, serverNow, o.payableFen);
  const pay = o.actions.pay && payOpen;
  return (
    <>
      {o.paymentDeadline && o.actions.pay ? (
        <p className="mt-1 text-right text-xs text-orange-600">
          {payOpen ? before : `${t("orders.closing")} · ${before}`}
          <PayCountdown deadline={o.paymentDeadline} serverNow={serverNow} />
          {after}
        </p>
      ) : null}
      {pay || o.actions.confirmDelivery ? (
        <div className="mt-2 border-t border-neutral-50 pt-2">
          <OrderActions orderId={o.id} actions={{ ...o.actions, pay, refund: false, cancel: false }} />
        </div>
      ) : null}
    </>
  );
}
