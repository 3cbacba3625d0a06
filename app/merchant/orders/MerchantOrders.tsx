"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { formatYuan } from "@/components/money";
import { useTRPC, type RouterInputs } from "@/trpc/react";

type Status = Exclude<RouterInputs["merchantOrder"]["list"], void | undefined>["status"];

const FILTERS: { status: Status; label: string }[] = [
  { status: undefined, label: "全部" },
  { status: "PENDING_PAYMENT", label: "待付款" },
  { status: "PAID", label: "待发货" },
  { status: "SHIPPED", label: "已发货" },
  { status: "DELIVERED", label: "已收货" },
  { status: "COMPLETED", label: "已完成" },
  { status: "REFUNDED", label: "已退款" },
  { status: "CANCELLED", label: "已取消" },
];

const fmt = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false });

export function MerchantOrders() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>(undefined);
  const [message, setMessage] = useState<{ id: number; text: string } | null>(null);
  const list = useQuery(trpc.merchantOrder.list.queryOptions(status ? { status } : {}));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.merchantOrder.pathKey() });
  const ship = useMutation(
    trpc.merchantOrder.ship.mutationOptions({ onSuccess: refresh, onError: (e, v) => setMessage({ id: v.id, text: e.message }) }),
  );
  const refund = useMutation(
    trpc.merchantOrder.refund.mutationOptions({ onSuccess: refresh, onError: (e, v) => setMessage({ id: v.id, text: e.message }) }),
  );

  return (
    <>
      <nav className="flex gap-2 overflow-x-auto bg-white px-3 py-2 text-xs" aria-label="订单状态">
        {FILTERS.map((f) => (
          <button
            key={f.label}
            type="button"
            onClick={() => setStatus(f.status)}
            className={`shrink-0 rounded-full px-3 py-1 ${status === f.status ? "bg-neutral-900 text-white" : "bg-neutral-100 text-neutral-600"}`}
          >
            {f.label}
          </button>
        ))}
      </nav>
      {list.isPending ? <p className="py-16 text-center text-sm text-neutral-400">加载中…</p> : null}
      {list.isError ? <p className="py-16 text-center text-sm text-rose-600">{list.error.message}</p> : null}
      {list.data && !list.data.items.length ? <p className="py-16 text-center text-sm text-neutral-400">暂无订单</p> : null}
      <ul className="space-y-2 p-3">
        {list.data?.items.map((o) => (
          <li key={o.id} className="rounded-lg bg-white p-3 text-sm shadow-sm" data-testid="merchant-order" data-order-no={o.orderNo} data-status={o.status}>
            <div className="flex items-center justify-between text-xs">
              <span className="tabular-nums text-neutral-500">{o.orderNo}</span>
              <span className="font-medium text-neutral-800">{o.statusLabel}</span>
            </div>
            <p className="mt-1.5 line-clamp-2">{o.summary}</p>
            <div className="mt-1 text-xs text-neutral-500">
              {o.buyer} · 下单 {fmt.format(o.createdAt)}
              {o.paidAt ? ` · 支付 ${fmt.format(o.paidAt)}` : ""}
            </div>
            {o.address ? <div className="mt-0.5 text-xs text-neutral-400">{o.address}</div> : null}
            <div className="mt-2 flex items-center justify-between">
              <span className="tabular-nums">
                实付 <b>{formatYuan(o.payableFen)}</b>
                {o.creditUsedFen ? <span className="text-xs text-neutral-400">（购物金 {formatYuan(o.creditUsedFen)}）</span> : null}
              </span>
              <span className="flex gap-2">
                {o.canRefund ? (
                  <button
                    type="button"
                    disabled={refund.isPending}
                    onClick={() => {
                      if (window.confirm(`确定为订单 ${o.orderNo} 全额退款？`)) refund.mutate({ id: o.id });
                    }}
                    className="h-7 rounded border border-neutral-300 px-3 text-xs disabled:opacity-50"
                  >
                    退款
                  </button>
                ) : null}
                {o.canShip ? (
                  <button
                    type="button"
                    disabled={ship.isPending}
                    onClick={() => ship.mutate({ id: o.id })}
                    className="h-7 rounded bg-neutral-900 px-3 text-xs text-white disabled:opacity-50"
                  >
                    发货
                  </button>
                ) : null}
              </span>
            </div>
            {message?.id === o.id ? (
              <p role="alert" className="mt-1 text-right text-xs text-rose-600">
                {message.text}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}
