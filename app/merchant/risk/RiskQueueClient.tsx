"use client";

// 风控审核 queue: members with open flags on the shared table (filters in the URL), and the frozen members beside it
// (view=frozen) and the sign-ups whose binding was refused (view=refused). Fetched on the client only: the server
// renders no time strings that the browser could format differently.
import Link from "next/link";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useEffect, useMemo, useState } from "react";
import { DataTable } from "@/components/merchant/DataTable";
import { FilterBar } from "@/components/merchant/FilterBar";
import { ExportButton } from "@/components/merchant/ExportButton";
import { StatusBadge } from "@/components/merchant/StatusBadge";
import { useTableUrl, useUrlState } from "@/components/merchant/useUrlState";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { FrozenMembers } from "./FrozenMembersClient";
import { RefusedBindings } from "./RefusedBindingsClient";
import { clearReviewFlash, peekReviewFlash, reviewFlashText } from "./review-flash";

type Row = RouterOutputs["merchantRisk"]["queue"]["items"][number];

export function RiskQueueClient({ rules, freezeAt }: { rules: { value: string; label: string }[]; freezeAt: number }) {
  const t = useT();
  const { get } = useUrlState();
  const view = get("view");
  const frozen = view === "frozen";
  const refused = view === "refused";
  // The decision just taken on a case (review-flash.ts), told once: read at mount, then cleared.
  const [flash] = useState(peekReviewFlash);
  useEffect(() => clearReviewFlash(), []);
  const tab = (active: boolean) => `-mb-px border-b-2 px-4 py-2 text-sm ${active ? "border-rose-600 font-medium text-rose-700" : "border-transparent text-neutral-500 hover:text-neutral-800"}`;
  return (
    <div>
      {/* Plain links: a tab's filters are its own, so switching starts from none. */}
      <nav className="mb-3 flex gap-1 border-b border-neutral-200" aria-label={t("m.nav.risk")}>
        <Link href="/merchant/risk" className={tab(!frozen && !refused)} aria-current={frozen || refused ? undefined : "page"} data-testid="risk-tab-queue">
          {t("mr.tab.queue")}
        </Link>
        <Link href="/merchant/risk?view=frozen" className={tab(frozen)} aria-current={frozen ? "page" : undefined} data-testid="risk-tab-frozen">
          {t("mr.tab.frozen")}
        </Link>
        <Link href="/merchant/risk?view=refused" className={tab(refused)} aria-current={refused ? "page" : undefined} data-testid="risk-tab-refused">
          {t("mr.tab.refused")}
        </Link>
      </nav>
      {flash ? (
        <p role="status" className="mb-3 rounded bg-emerald-50 px-3 py-1.5 text-sm text-emerald-700" data-testid="risk-flash" data-decision={flash.decision}>
          {reviewFlashText(t, flash)}
        </p>
      ) : null}
      {frozen ? <FrozenMembers freezeAt={freezeAt} /> : refused ? <RefusedBindings /> : <OpenQueue rules={rules} />}
    </div>
  );
}

function OpenQueue({ rules }: { rules: { value: string; label: string }[] }) {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const { page, pageSize, get } = useTableUrl();
  const rule = get("rule");
  const queue = useQuery({
    ...trpc.merchantRisk.queue.queryOptions({ page, pageSize, rule: rules.some((r) => r.value === rule) ? rule : undefined, member: get("member") || undefined }, { retry: false }),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  const columns = useMemo<ColumnDef<Row, unknown>[]>(
    () => [
      {
        id: "member",
        header: t("mr.col.member"),
        enableSorting: false,
        enableHiding: false,
        cell: ({ row }) => (
          <Link href={`/merchant/risk/${row.original.id}`} className="whitespace-nowrap text-sky-700 hover:underline">
            {row.original.nickname || row.original.username}
            <span className="ml-1 text-xs text-neutral-400">#{row.original.id}</span>
          </Link>
        ),
      },
      {
        id: "flags",
        header: t("mr.col.flags"),
        enableSorting: false,
        cell: ({ row }) => (
          <span className="flex flex-wrap gap-1">
            {row.original.flags.map((f) => (
              <span key={f.id} data-rule={f.rule}>
                <StatusBadge label={t.opt(`mr.rule.${f.rule}`, f.label)} tone="progress" />
              </span>
            ))}
          </span>
        ),
      },
      { id: "latest", header: t("mr.col.latest"), enableSorting: false, cell: ({ row }) => <span className="whitespace-nowrap tabular-nums">{row.original.latestAt ? formatDateTime(row.original.latestAt, { timeZone }) : "—"}</span> },
      { id: "joined", header: t("mr.col.joined"), enableSorting: false, cell: ({ row }) => <span className="whitespace-nowrap tabular-nums">{formatDateTime(row.original.createdAt, { timeZone })}</span> },
      { id: "rejections", header: t("mr.col.rejections"), enableSorting: false, cell: ({ row }) => <span className="tabular-nums">{row.original.rejectionCount}</span> },
      { id: "frozen", header: t("mr.col.frozen"), enableSorting: false, cell: ({ row }) => (row.original.frozen ? <StatusBadge label={t("mr.frozen")} tone="danger" /> : "—") },
      {
        id: "actions",
        header: t("mr.col.actions"),
        enableSorting: false,
        enableHiding: false,
        cell: ({ row }) => (
          <Link href={`/merchant/risk/${row.original.id}`} className="whitespace-nowrap rounded bg-neutral-900 px-2 py-1 text-xs text-white">
            {t("mr.open")}
          </Link>
        ),
      },
    ],
    [t, timeZone],
  );
  return (
    <div>
      <p className="mb-3 text-xs text-neutral-500">{t("mr.hint")}</p>
      <FilterBar
        fields={[
          { name: "rule", label: t("mr.filter.rule"), type: "select", options: [{ value: "", label: t("mr.filter.anyRule") }, ...rules] },
          { name: "member", label: t("mr.filter.member"), type: "text", placeholder: t("mr.filter.memberPh") },
        ]}
      >
        <ExportButton href="/merchant/risk/export" />
      </FilterBar>
      {queue.isError ? (
        <p role="alert" className="mb-3 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {errorText(t, queue.error)}
        </p>
      ) : null}
      <DataTable id="risk" columns={columns} rows={queue.data?.items ?? []} total={queue.data?.total ?? 0} loading={queue.isFetching} rowTestId="risk-queue-item" getRowId={(r) => String(r.id)} />
    </div>
  );
}
