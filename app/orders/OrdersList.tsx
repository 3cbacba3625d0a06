"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { ProductImage } from "@/components/ProductImage";
import { formatYuan } from "@/components/money";
import { useTRPC } from "@/trpc/react";
import { OrderActions } from "./_components/OrderActions";
import { PayCountdown } from "./_components/Countdown";
import { StatusBadge } from "./_components/StatusBadge";

type Tab = "all" | "unpaid" | "unshipped" | "shipped" | "done" | "refund";

export function OrdersList({ tab }: { tab: Tab }) {
  const trpc = useTRPC();
  const orders = useQuery(trpc.order.list.queryOptions({ tab }));
  if (orders.isPending) return <p className="py-16 text-center text-sm text-neutral-400">加载中…</p>;
  if (orders.isError) return <p className="py-16 text-center text-sm text-rose-600">{orders.error.message}</p>;
  const { items, serverNow } = orders.data;
  if (!items.length)
    return (
      <div className="flex flex-col items-center gap-3 py-20 text-sm text-neutral-400">
        暂无相关订单
        <Link href="/" className="rounded-full border border-rose-500 px-4 py-1.5 text-rose-600">
          去逛逛
        </Link>
      </div>
    );
  return (
    <ul className="space-y-2 p-3">
      {items.map((o) => (
        <li key={o.id} className="rounded-xl bg-white p-3 shadow-sm" data-testid="order-card" data-order-no={o.orderNo}>
          <Link href={`/orders/${o.id}`} className="block">
            <div className="flex items-center justify-between">
              <span className="text-xs text-neutral-400 tabular-nums">订单号 {o.orderNo}</span>
              <StatusBadge status={o.status} label={o.statusLabel} />
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
              共 {o.itemCount} 件 · {o.status === "PENDING_PAYMENT" ? "需付款" : "实付"}{" "}
              <span className="text-sm font-semibold text-neutral-900 tabular-nums">{formatYuan(o.payableFen)}</span>
            </div>
          </Link>
          {o.paymentDeadline && o.actions.pay ? (
            <p className="mt-1 text-right text-xs text-orange-600">
              剩余 <PayCountdown deadline={o.paymentDeadline} serverNow={serverNow} /> 自动取消
            </p>
          ) : null}
          {o.actions.pay || o.actions.confirmDelivery ? (
            <div className="mt-2 border-t border-neutral-50 pt-2">
              <OrderActions orderId={o.id} actions={{ ...o.actions, refund: false, cancel: false }} />
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
