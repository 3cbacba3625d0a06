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
import { useLocale, useT } from "@/lib/i18n/client";
import { intlLocale } from "@/lib/i18n/core";
import { useTRPC, type RouterOutputs } from "@/trpc/react";

type Row = RouterOutputs["merchantMember"]["list"]["rows"][number];
const YES_NO = (v: string): "yes" | "no" | undefined => (v === "yes" || v === "no" ? v : undefined);

/** A tier's label: the shop's translation when there is one, else the configured name. */
export function useTierLabel() {
  const t = useT();
  return (tier: string) => t.opt(`tier.${tier}`, tier);
}

export function MemberList() {
  const t = useT();
  const locale = useLocale();
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
    frozen: YES_NO(get("frozen")),
  };
  const list = useQuery({ ...trpc.merchantMember.list.queryOptions(input), placeholderData: keepPreviousData });

  const columns = useMemo<ColumnDef<Row, unknown>[]>(() => {
    const when = (d: Date) => new Date(d).toLocaleString(intlLocale(locale), { timeZone: "Asia/Shanghai", dateStyle: "short", timeStyle: "short" });
    return [
      {
        id: "id",
        header: t("mm.col.member"),
        enableHiding: false,
        cell: ({ row: { original: r } }) => (
          <Link href={`/merchant/members/${r.id}`} className="font-medium text-sky-700 hover:underline" data-testid="member-link">
            {r.nickname ?? r.username}
            <span className="ml-1 text-xs text-neutral-400">#{r.id} · {r.referralCode}</span>
          </Link>
        ),
      },
      { id: "phone", header: t("mm.col.phone"), enableSorting: false, cell: ({ row }) => <span className="tabular-nums">{row.original.phoneMasked ?? "—"}</span> },
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
        id: "status",
        header: t("mm.col.status"),
        enableSorting: false,
        cell: ({ row: { original: r } }) => (
          <div className="flex gap-1">
            <StatusBadge label={r.distributor ? t("mm.isDistributor") : t("mm.notDistributor")} tone={r.distributor ? "info" : "neutral"} status={r.distributor ? "distributor" : "member"} />
            {r.frozen ? <StatusBadge label={t("mm.frozenBadge")} tone="danger" status="frozen" /> : null}
          </div>
        ),
      },
      { id: "directs", header: t("mm.col.directs"), enableSorting: false, cell: ({ row }) => <span className="tabular-nums">{row.original.directs}</span> },
      { id: "teamSize", header: t("mm.col.teamSize"), cell: ({ row }) => <span className="tabular-nums">{row.original.teamSize}</span> },
      { id: "earned", header: t("mm.col.earned"), enableSorting: false, cell: ({ row }) => <MoneyCell fen={row.original.earnedFen} /> },
      { id: "pending", header: t("mm.col.pending"), enableSorting: false, cell: ({ row }) => <MoneyCell fen={row.original.pendingFen} /> },
      { id: "withdrawn", header: t("mm.col.withdrawn"), enableSorting: false, cell: ({ row }) => <MoneyCell fen={row.original.withdrawnFen} /> },
      { id: "promotionOrders", header: t("mm.col.promotionOrders"), enableSorting: false, cell: ({ row }) => <span className="tabular-nums">{row.original.promotionOrders}</span> },
      { id: "promotionAmount", header: t("mm.col.promotionAmount"), enableSorting: false, cell: ({ row }) => <MoneyCell fen={row.original.promotionFen} /> },
      {
        id: "createdAt",
        header: t("mm.col.joined"),
        cell: ({ row }) => <span className="whitespace-nowrap tabular-nums">{when(row.original.createdAt)}</span>,
      },
      { id: "lastActiveAt", header: t("mm.col.lastActive"), cell: ({ row }) => <span className="whitespace-nowrap tabular-nums">{row.original.lastActiveAt ? when(row.original.lastActiveAt) : "—"}</span> },
    ];
  }, [t, locale, tierLabel]);

  const yesNo = [
    { value: "", label: t("mm.any") },
    { value: "yes", label: t("mm.yes") },
    { value: "no", label: t("mm.no") },
  ];
  return (
    <div>
      <FilterBar
        fields={[
          { name: "q", label: t("mm.search"), type: "text", placeholder: "138…" },
          {
            name: "tier",
            label: t("mm.tier"),
            type: "select",
            options: [{ value: "", label: t("mm.anyTier") }, ...(list.data?.tiers ?? []).map((x) => ({ value: x, label: tierLabel(x) }))],
          },
          { name: "distributor", label: t("mm.distributor"), type: "select", options: yesNo },
          { name: "frozen", label: t("mm.frozen"), type: "select", options: yesNo },
        ]}
      >
        <ExportButton href="/merchant/members/export" />
      </FilterBar>
      <DataTable id="members" columns={columns} rows={list.data?.rows ?? []} total={list.data?.total ?? 0} more={list.data?.more} loading={list.isFetching} defaultSort="createdAt.desc" rowTestId="member-row" getRowId={(r) => String(r.id)} />
    </div>
  );
}
