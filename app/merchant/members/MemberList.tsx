"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { DataTable } from "@/components/merchant/DataTable";
import { ExportButton } from "@/components/merchant/ExportButton";
import { FilterBar } from "@/components/merchant/FilterBar";
import { MoneyCell } from "@/components/merchant/MoneyCell";
import { StatusBadge } from "@/components/merchant/StatusBadge";
import { useTableUrl } from "@/components/merchant/useUrlState";
import { DateTimeText } from "@/components/merchant/DateTimeText";
import { useTimeZone } from "@/lib/time-zone";
import { useT } from "@/lib/i18n/client";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { AccountBadge } from "./_parts/AccountBadge";

type Row = RouterOutputs["merchantMember"]["list"]["rows"][number];
/**
 * When the table is wider than the window, its scroll box shows it: a shadow on each side that has
 * more columns (scroll-bound shadows under content-bound white covers) and a scrollbar that stays visible.
 */
const SCROLL_EDGES = [
  "[&_.overflow-x-auto]:[background:linear-gradient(to_right,white_30%,rgb(255_255_255/0))_left_center/2.5rem_100%_no-repeat_local,linear-gradient(to_left,white_30%,rgb(255_255_255/0))_right_center/2.5rem_100%_no-repeat_local,radial-gradient(farthest-side_at_0_50%,rgb(0_0_0/0.16),transparent)_left_center/0.75rem_100%_no-repeat_scroll,radial-gradient(farthest-side_at_100%_50%,rgb(0_0_0/0.16),transparent)_right_center/0.75rem_100%_no-repeat_scroll]",
  "[&_.overflow-x-auto::-webkit-scrollbar]:h-2",
  "[&_.overflow-x-auto::-webkit-scrollbar-thumb]:rounded-full",
  "[&_.overflow-x-auto::-webkit-scrollbar-thumb]:bg-neutral-300",
].join(" ");
const YES_NO = (v: string): "yes" | "no" | undefined => (v === "yes" || v === "no" ? v : undefined);
/** The account status filter's values (URL `frozen`): no 正常, yes 已冻结, deleted 已注销. */
const ACCOUNT_STATUS = (v: string): "yes" | "no" | "deleted" | undefined => (v === "deleted" ? v : YES_NO(v));

/** A tier's label: the shop's translation when there is one, else the configured name. */
export function useTierLabel() {
  const t = useT();
  return (tier: string) => t.opt(`tier.${tier}`, tier);
}

export function MemberList() {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const tierLabel = useTierLabel();
  const { page, pageSize, sort, get } = useTableUrl({ sort: "createdAt.desc" });
  const input = {
    page,
    pageSize: pageSize as 20 | 50 | 100,
    sort: sort && ["createdAt", "teamSize", "id", "lastActiveAt"].includes(sort.id) ? (sort as { id: "createdAt" | "teamSize" | "id" | "lastActiveAt"; desc: boolean }) : null,
    q: get("q") || undefined,
    tier: get("tier") || undefined,
    distributor: YES_NO(get("distributor")),
    frozen: ACCOUNT_STATUS(get("frozen")),
  };
  const list = useQuery({ ...trpc.merchantMember.list.queryOptions(input), placeholderData: keepPreviousData });

  const columns = useMemo<ColumnDef<Row, unknown>[]>(() => {
    // Date and time may go on two lines (at the space, never inside either) when the window is narrow.
    const when = (d: Date) => <DateTimeText at={d} timeZone={timeZone} />;
    return [
      {
        id: "id",
        header: t("mm.col.member"),
        enableHiding: false,
        // Name (and a frozen or deleted account's badge) on the first line, phone and referral code on the second.
        cell: ({ row: { original: r } }) => (
          <div className="whitespace-nowrap">
            <div className="flex items-center gap-1.5">
              <Link href={`/merchant/members/${r.id}`} className="font-medium text-sky-700 hover:underline" data-testid="member-link">
                {r.nickname ?? r.username}
              </Link>
              <span className="text-xs text-neutral-400">#{r.id}</span>
              <AccountBadge frozen={r.frozen} deletedAt={r.deletedAt} />
            </div>
            <div className="flex gap-2 text-xs text-neutral-500">
              <span className="tabular-nums" title={t("mm.col.phone")}>{r.phoneMasked ?? "—"}</span>
              <span className="font-mono text-neutral-400" title={t("mm.detail.code")}>{r.referralCode}</span>
            </div>
          </div>
        ),
      },
      { id: "tier", header: t("mm.tier"), enableSorting: false, cell: ({ row }) => <span className="whitespace-nowrap">{tierLabel(row.original.tier)}</span> },
      {
        id: "sponsor",
        header: t("mm.col.sponsor"),
        enableSorting: false,
        cell: ({ row: { original: r } }) =>
          r.sponsor ? (
            <Link href={`/merchant/members/${r.sponsor.id}`} className="whitespace-nowrap text-sky-700 hover:underline">
              {r.sponsor.name}
            </Link>
          ) : (
            <span className="text-neutral-300">—</span>
          ),
      },
      {
        // Distributor standing only: an account's status is shown beside the member's name.
        id: "distributor",
        header: t("mm.col.distributor"),
        enableSorting: false,
        cell: ({ row: { original: r } }) => (
          <span className="whitespace-nowrap">
            {/* As the detail page: a distributor staff suspended reads 已停用, not 非分销员. */}
            <StatusBadge
              label={r.distributor ? t("mm.isDistributor") : r.distributorDisabled ? t("mm.distributorSuspended") : t("mm.notDistributor")}
              tone={r.distributor ? "info" : "neutral"}
              status={r.distributor ? "distributor" : r.distributorDisabled ? "distributor-disabled" : "member"}
            />
          </span>
        ),
      },
      { id: "directs", header: t("mm.col.directs"), enableSorting: false, cell: ({ row }) => <span className="tabular-nums">{row.original.directs}</span> },
      { id: "teamSize", header: t("mm.col.teamSize"), cell: ({ row }) => <span className="tabular-nums">{row.original.teamSize}</span> },
      { id: "earned", header: t("mm.col.earned"), enableSorting: false, cell: ({ row }) => <MoneyCell fen={row.original.earnedFen} /> },
      { id: "pending", header: t("mm.col.pending"), enableSorting: false, cell: ({ row }) => <MoneyCell fen={row.original.pendingFen} /> },
      { id: "withdrawn", header: t("mm.col.withdrawn"), enableSorting: false, cell: ({ row }) => <MoneyCell fen={row.original.withdrawnFen} /> },
      { id: "promotionOrders", header: t("mm.col.promotionOrders"), enableSorting: false, cell: ({ row }) => <span className="tabular-nums">{row.original.promotionOrders}</span> },
      { id: "promotionAmount", header: t("mm.col.promotionAmount"), enableSorting: false, cell: ({ row }) => <MoneyCell fen={row.original.promotionFen} /> },
      { id: "createdAt", header: t("mm.col.joined"), cell: ({ row }) => when(row.original.createdAt) },
      { id: "lastActiveAt", header: t("mm.col.lastActive"), cell: ({ row }) => (row.original.lastActiveAt ? when(row.original.lastActiveAt) : "—") },
    ];
  }, [t, tierLabel, timeZone]);

  const yesNo = [
    { value: "", label: t("mm.any") },
    { value: "yes", label: t("mm.yes") },
    { value: "no", label: t("mm.no") },
  ];
  return (
    <div>
      <FilterBar
        fields={[
          // A full phone number or its last four digits (尾号) both find the member (server/members/admin.ts memberWhere).
          { name: "q", label: t("mm.search"), type: "text", placeholder: t("mm.searchHint") },
          {
            name: "tier",
            label: t("mm.tier"),
            type: "select",
            options: [{ value: "", label: t("mm.anyTier") }, ...(list.data?.tiers ?? []).map((x) => ({ value: x, label: tierLabel(x) }))],
          },
          { name: "distributor", label: t("mm.distributor"), type: "select", options: yesNo },
          {
            // Every member unless one status is picked: a deleted account keeps its orders, ledger and place in the tree.
            name: "frozen",
            label: t("mm.status"),
            type: "select",
            options: [
              { value: "", label: t("mm.any") },
              { value: "no", label: t("mm.active") },
              { value: "yes", label: t("mm.frozenBadge") },
              { value: "deleted", label: t("mm.deletedBadge") },
            ],
          },
        ]}
      >
        <ExportButton href="/merchant/members/export" />
      </FilterBar>
      <div className={SCROLL_EDGES}>
        <DataTable id="members" columns={columns} rows={list.data?.rows ?? []} total={list.data?.total ?? 0} more={list.data?.more} loading={list.isFetching} defaultSort="createdAt.desc" rowTestId="member-row" getRowId={(r) => String(r.id)} />
      </div>
    </div>
  );
}
