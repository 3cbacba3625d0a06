"use client";

// 售后处理: the refund-request queue (pending first, soonest auto-approval on top), approve / reject.
import Link from "next/link";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { DataTable } from "@/components/merchant/DataTable";
import { ExportButton } from "@/components/merchant/ExportButton";
import { FilterBar } from "@/components/merchant/FilterBar";
import { MoneyCell } from "@/components/merchant/MoneyCell";
import { formatYuanGrouped } from "@/components/money";
import { StatusBadge, type Tone } from "@/components/merchant/StatusBadge";
import { useTableUrl } from "@/components/merchant/useUrlState";
import { useT } from "@/lib/i18n/client";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { DecisionButtons } from "./Decision";
import { PhotoThumbs } from "@/components/PhotoThumbs";

type Row = RouterOutputs["merchantAfterSales"]["list"]["items"][number];
const STATUSES = ["PENDING", "APPROVED", "REJECTED", "CLOSED"] as const;
type Status = (typeof STATUSES)[number];
const TONE: Record<Status, Tone> = { PENDING: "progress", APPROVED: "success", REJECTED: "danger", CLOSED: "neutral" };

export function AfterSalesClient({ canDecide }: { canDecide: boolean }) {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const { page, pageSize, get } = useTableUrl();
  // The queue opens on what needs an answer; "all" shows every request.
  const raw = get("status") || "PENDING";
  const status = (STATUSES as readonly string[]).includes(raw) ? (raw as Status) : undefined;
  const list = useQuery({ ...trpc.merchantAfterSales.list.queryOptions({ status, orderNo: get("orderNo") || undefined, page, pageSize }), placeholderData: keepPreviousData });

  const columns = useMemo<ColumnDef<Row, unknown>[]>(
    () => [
      {
        id: "order",
        header: t("mo.col.orderNo"),
        enableSorting: false,
        enableHiding: false,
        cell: ({ row }) => (
          <Link href={`/merchant/orders/${row.original.order.id}`} className="font-mono text-xs text-sky-700 hover:underline">
            {row.original.order.orderNo}
          </Link>
        ),
      },
      { id: "buyer", header: t("mo.col.buyer"), enableSorting: false, meta: { nowrap: true }, cell: ({ row }) => row.original.order.buyer },
      { id: "items", header: t("mo.col.items"), enableSorting: false, cell: ({ row }) => <span className="line-clamp-2 max-w-xs" title={row.original.order.summary}>{row.original.order.summary}</span> },
      {
        id: "amount",
        header: t("as.col.amount"),
        enableSorting: false,
        meta: { nowrap: true },
        // The whole refund with its 购物金 part; — for a rejected or closed request (nothing refunded).
        cell: ({ row }) => (
          <>
            <MoneyCell fen={row.original.refund?.totalFen} />
            {row.original.refund?.creditFen ? (
              <span className="block text-xs text-neutral-500">{t("as.col.amountCredit", { amount: formatYuanGrouped(row.original.refund.creditFen) })}</span>
            ) : null}
          </>
        ),
      },
      {
        id: "reason",
        header: t("as.col.reason"),
        enableSorting: false,
        meta: { wrap: true, minWidth: "10rem" },
        cell: ({ row }) => (
          <span className="block max-w-xs">
            {t.opt(`afterSales.reason.${row.original.reason}`, row.original.reasonLabel)}
            {row.original.detail ? <span className="block text-xs text-neutral-500">{row.original.detail}</span> : null}
            <PhotoThumbs urls={row.original.photos} label={t("afterSales.photos")} size="h-10 w-10" />
            {row.original.rejectReason ? <span className="block text-xs text-rose-700">{t("afterSales.rejectReason", { reason: row.original.rejectReason })}</span> : null}
          </span>
        ),
      },
      {
        id: "status",
        header: t("mo.col.status"),
        enableSorting: false,
        cell: ({ row }) => (
          <span className="flex flex-wrap gap-1">
            <StatusBadge label={t(`afterSales.status.${row.original.status}`)} tone={TONE[row.original.status]} status={row.original.status} />
            <StatusBadge label={t(`order.status.${row.original.order.status}`)} status={row.original.order.status} />
          </span>
        ),
      },
      { id: "requestedAt", header: t("as.col.requestedAt"), enableSorting: false, cell: ({ row }) => <span className="whitespace-nowrap tabular-nums">{formatDateTime(row.original.createdAt, { timeZone })}</span> },
      {
        id: "autoAt",
        header: t("as.col.autoAt"),
        enableSorting: false,
        cell: ({ row }) => <span className="whitespace-nowrap tabular-nums text-amber-700">{row.original.status === "PENDING" && row.original.dueAt ? formatDateTime(row.original.dueAt, { timeZone }) : "—"}</span>,
      },
      {
        id: "actions",
        header: t("mo.col.actions"),
        enableSorting: false,
        enableHiding: false,
        cell: ({ row }) =>
          row.original.status === "PENDING" && canDecide ? (
            <DecisionButtons request={{ id: row.original.id, orderNo: row.original.order.orderNo, totalFen: row.original.refund?.totalFen, creditFen: row.original.refund?.creditFen }} />
          ) : (
            <span className="text-xs text-neutral-400">{row.original.decidedAt ? `${t("as.decided")} ${formatDateTime(row.original.decidedAt, { timeZone })}` : "—"}</span>
          ),
      },
    ],
    [t, canDecide, timeZone],
  );

  return (
    <div>
      <FilterBar
        fields={[
          { name: "status", label: t("as.filter.status"), type: "select", options: [...STATUSES.map((s) => ({ value: s, label: t(`afterSales.status.${s}`) })), { value: "all", label: t("as.filter.any") }] },
          { name: "orderNo", label: t("mo.filter.orderNo"), type: "text" },
        ]}
      >
        <ExportButton href="/merchant/after-sales/export" />
      </FilterBar>
      <DataTable id="after-sales" columns={columns} rows={list.data?.items ?? []} total={list.data?.total ?? 0} loading={list.isFetching} rowTestId="refund-request-row" getRowId={(r) => String(r.id)} />
    </div>
  );
}
