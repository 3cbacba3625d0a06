"use client";

// 订单管理: search form (filters in the URL), the orders table, 发货 one by one and 批量发货 by CSV.
import Link from "next/link";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { DataTable } from "@/components/merchant/DataTable";
import { FilterBar } from "@/components/merchant/FilterBar";
import { reversedDates } from "@/components/merchant/filter-checks";
import { ExportButton } from "@/components/merchant/ExportButton";
import { MoneyCell } from "@/components/merchant/MoneyCell";
import { StatusBadge, type Tone } from "@/components/merchant/StatusBadge";
import { useTableUrl } from "@/components/merchant/useUrlState";
import { useT } from "@/lib/i18n/client";
import { carrierLabel, errorText } from "@/lib/i18n/labels";
import { DateTimeText } from "@/components/merchant/DateTimeText";
import { useTimeZone } from "@/lib/time-zone";
import { useTRPC, type RouterInputs, type RouterOutputs } from "@/trpc/react";
import { AFTER_SHIP_ATTR, SHIP_OPENER_ATTR, ShipDialog, useFocusAfterShip } from "./ShipDialog";
import { BulkShipDialog } from "./BulkShipDialog";

type Row = RouterOutputs["merchantOrder"]["search"]["items"][number];
type Input = NonNullable<RouterInputs["merchantOrder"]["search"]> & { sort?: string; status?: string };
const STATUSES = ["PENDING_PAYMENT", "PAID", "SHIPPED", "DELIVERED", "COMPLETED", "CANCELLED", "REFUNDED"] as const;
/** 退款中 / 退款异常 sit in the status filter beside 已退款: REFUNDED orders whose money is on its way, or stuck (the badge's rule). */
const REFUND_FILTERS = new Map<string, "pending" | "stuck">([["REFUND_PENDING", "pending"], ["REFUND_STUCK", "stuck"]]);
const SORTS = ["createdAt", "paidAt", "goodsFen"];
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

export const ORDER_TONE: Record<string, Tone> = {
  PENDING_PAYMENT: "neutral", PAID: "progress", SHIPPED: "info", DELIVERED: "info", COMPLETED: "success", CANCELLED: "neutral", REFUNDED: "danger",
};

/** A REFUNDED order reads 已退款 only once its money is back (refundState from the server, the shopper's rule). */
function orderBadge(t: ReturnType<typeof useT>, o: Pick<Row, "status" | "refundState">): { label: string; tone: Tone } {
  const label = o.refundState === "pending" || o.refundState === "stuck" ? t(`mo.refundState.${o.refundState}`) : t(`order.status.${o.status}`);
  return { label, tone: o.refundState === "pending" ? "progress" : ORDER_TONE[o.status]! };
}

/** 优先发货 (SPEC §7), solid so it stands out among the status badges of a to-ship list. */
export function PriorityBadge() {
  const t = useT();
  return (
    <span className="inline-block whitespace-nowrap rounded bg-orange-600 px-1.5 py-0.5 text-xs font-medium text-white" data-testid="order-priority">
      {t("mo.priorityShipping")}
    </span>
  );
}

export function OrdersClient({ canWrite }: { canWrite: boolean }) {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const { page, pageSize, sort, get } = useTableUrl({ sort: "createdAt.desc" });
  const [shipping, setShipping] = useState<Row | null>(null);
  const [bulk, setBulk] = useState(false);
  const status = get("status");
  const input: Input = {
    page,
    pageSize,
    sort: (sort && SORTS.includes(sort.id) ? `${sort.id}.${sort.desc ? "desc" : "asc"}` : "createdAt.desc") as never,
    orderNo: get("orderNo") || undefined,
    phone: get("phone") || undefined,
    status: (STATUSES as readonly string[]).includes(status) ? (status as never) : undefined,
    refund: REFUND_FILTERS.get(status),
    from: DAY_RE.test(get("from")) ? get("from") : undefined,
    to: DAY_RE.test(get("to")) ? get("to") : undefined,
    product: get("product") || undefined,
    // 仅优先发货 (SPEC §7); 待发货 lists those orders first (server/orders/merchant.ts).
    priority: get("priority") === "1" || undefined,
  };
  const list = useQuery({ ...trpc.merchantOrder.search.queryOptions(input, { retry: false }), placeholderData: keepPreviousData });
  const focusAfterShip = useFocusAfterShip(list.data);

  const columns = useMemo<ColumnDef<Row, unknown>[]>(
    () => [
      {
        id: "orderNo",
        header: t("mo.col.orderNo"),
        enableSorting: false,
        enableHiding: false,
        cell: ({ row }) => (
          <Link href={`/merchant/orders/${row.original.id}`} className="font-mono text-xs text-sky-700 hover:underline" data-order-no={row.original.orderNo}>
            {row.original.orderNo}
          </Link>
        ),
      },
      { id: "buyer", header: t("mo.col.buyer"), enableSorting: false, cell: ({ row }) => <span className="whitespace-nowrap">{row.original.buyer}</span> },
      // Two lines at most, the whole list (名称（规格） ×数量) in the tooltip: a narrow column leaves 物流 clear of 操作 at 1280 px.
      { id: "items", header: t("mo.col.items"), enableSorting: false, cell: ({ row }) => <span className="line-clamp-2 min-w-28 max-w-48" title={row.original.summary}>{row.original.summary}</span> },
      { id: "goodsFen", header: t("mo.col.goods"), cell: ({ row }) => <span className="block min-w-16 whitespace-nowrap"><MoneyCell fen={row.original.goodsFen} /></span> },
      { id: "payable", header: t("mo.col.payable"), enableSorting: false, cell: ({ row }) => <span className="block min-w-16 whitespace-nowrap"><MoneyCell fen={row.original.payableFen} /></span> },
      {
        id: "status",
        header: t("mo.col.status"),
        enableSorting: false,
        cell: ({ row }) => (
          <span className="flex flex-wrap gap-1" data-testid="order-status" data-status={row.original.status} data-refund={row.original.refundState ?? undefined}>
            <StatusBadge {...orderBadge(t, row.original)} status={row.original.status} />
            {row.original.refundRequestOpen ? <StatusBadge label={t("mo.afterSalesOpen")} tone="danger" /> : null}
            {row.original.priorityShipping ? <PriorityBadge /> : null}
          </span>
        ),
      },
      // Date and time may wrap onto two lines: on a laptop's 1366 px the row then fits beside the pinned 操作 column.
      { id: "createdAt", header: t("mo.col.createdAt"), cell: ({ row }) => <DateTimeText at={row.original.createdAt} timeZone={timeZone} className="block min-w-20" /> },
      { id: "paidAt", header: t("mo.col.paidAt"), cell: ({ row }) => (row.original.paidAt ? <DateTimeText at={row.original.paidAt} timeZone={timeZone} className="block min-w-20" /> : "—") },
      {
        id: "shipment",
        header: t("mo.col.shipment"),
        enableSorting: false,
        // The carrier above its waybill number, which may break anywhere: a long number is never hidden under 操作.
        cell: ({ row }) =>
          row.original.shipment ? (
            <span className="block min-w-24 text-xs" data-testid="order-row-shipment">
              <span className="block whitespace-nowrap">{carrierLabel(t, row.original.shipment.carrier)}</span>{" "}
              <span className="block break-all font-mono">{row.original.shipment.trackingNo}</span>
            </span>
          ) : (
            "—"
          ),
      },
      {
        id: "actions",
        header: t("mo.col.actions"),
        enableSorting: false,
        enableHiding: false,
        cell: ({ row }) => (
          <span className="flex gap-2 whitespace-nowrap">
            {canWrite && row.original.canShip ? (
              <button type="button" className="rounded bg-neutral-900 px-2 py-1 text-xs text-white" onClick={() => setShipping(row.original)} {...{ [SHIP_OPENER_ATTR]: "" }}>
                {t("mo.ship")}
              </button>
            ) : null}
            {/* The row's next action once shipped: the focus comes here from the ship dialog (its 发货 opener is gone). */}
            <Link href={`/merchant/orders/${row.original.id}`} className="rounded border border-neutral-300 px-2 py-1 text-xs" {...{ [AFTER_SHIP_ATTR]: row.original.id }}>
              {t("mo.detail")}
            </Link>
          </span>
        ),
      },
    ],
    [t, canWrite, timeZone],
  );

  return (
    <div>
      <FilterBar
        errors={{ to: reversedDates(get("from"), get("to")) ? t("m.filter.reversedDates") : undefined }}
        fields={[
          { name: "orderNo", label: t("mo.filter.orderNo"), type: "text", placeholder: t("mo.filter.orderNoPh") },
          { name: "phone", label: t("mo.filter.phone"), type: "text", placeholder: t("mo.filter.phonePh") },
          { name: "status", label: t("mo.filter.status"), type: "select", options: [{ value: "", label: t("mo.filter.anyStatus") }, ...STATUSES.map((s) => ({ value: s, label: t(`order.status.${s}`) })), ...[...REFUND_FILTERS].map(([value, state]) => ({ value, label: t(`mo.refundState.${state}`) }))] },
          { name: "from", label: t("mo.filter.from"), type: "date" },
          { name: "to", label: t("mo.filter.to"), type: "date" },
          { name: "product", label: t("mo.filter.product"), type: "text" },
          { name: "priority", label: t("mo.filter.priority"), type: "select", options: [{ value: "", label: t("mo.filter.anyPriority") }, { value: "1", label: t("mo.filter.priorityOnly") }] },
        ]}
      >
        <ExportButton href="/merchant/orders/export" />
        {canWrite ? (
          <button type="button" className="rounded-md border border-neutral-900 px-4 py-1.5 text-sm" onClick={() => setBulk(true)}>
            {t("mo.bulk.open")}
          </button>
        ) : null}
      </FilterBar>
      {list.isError ? (
        <p role="alert" className="mb-3 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {errorText(t, list.error)}
        </p>
      ) : null}
      <DataTable id="orders" columns={columns} rows={list.data?.items ?? []} total={list.data?.total ?? 0} more={list.data?.more} loading={list.isFetching} defaultSort="createdAt.desc" rowTestId="merchant-order" getRowId={(r) => String(r.id)} />
      {shipping ? (
        <ShipDialog
          order={shipping}
          onClose={() => setShipping(null)}
          onShipped={() => {
            setShipping(null);
            focusAfterShip(shipping.id);
          }}
        />
      ) : null}
      {bulk ? <BulkShipDialog onClose={() => setBulk(false)} /> : null}
    </div>
  );
}
