"use client";

// 已冻结: frozen members, newest freeze first, who froze them, when and why; the case page lifts the freeze. Paged by
// keyset (server/risk/view.ts frozenMembersPage): the cursors walked are kept here, so 上一页 goes back without an offset.
import Link from "next/link";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { FilterBar } from "@/components/merchant/FilterBar";
import { StatusBadge } from "@/components/merchant/StatusBadge";
import { useUrlState } from "@/components/merchant/useUrlState";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { useTRPC, type RouterOutputs } from "@/trpc/react";

type Page = RouterOutputs["merchantRisk"]["frozen"];
type Cursor = NonNullable<Page["next"]>;

export function FrozenMembers({ freezeAt }: { freezeAt: number }) {
  const t = useT();
  const { get } = useUrlState();
  const member = get("member");
  return (
    <div>
      <p className="mb-3 text-xs text-neutral-500">{t("mr.frozenList.hint", { max: freezeAt })}</p>
      <FilterBar fields={[{ name: "member", label: t("mr.filter.member"), type: "text", placeholder: t("mr.filter.memberPh") }]} />
      {/* Keyed by the filter: a new filter starts again from the first page. */}
      <FrozenTable key={member} member={member || undefined} />
    </div>
  );
}

function FrozenTable({ member }: { member: string | undefined }) {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const [cursors, setCursors] = useState<Cursor[]>([]);
  const after = cursors[cursors.length - 1];
  const list = useQuery({
    ...trpc.merchantRisk.frozen.queryOptions({ member, after }, { retry: false }),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  const rows = list.data?.items ?? [];
  const head = ["mr.col.member", "mr.col.frozenAt", "mr.col.frozenBy", "mr.col.frozenReason", "mr.col.openFlags", "mr.col.actions"] as const;
  return (
    <div className="rounded-lg border border-neutral-200 bg-white" data-testid="table-risk-frozen">
      {list.isError ? (
        <p role="alert" className="m-3 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {errorText(t, list.error)}
        </p>
      ) : null}
      <div className="overflow-x-auto">
        <table className="min-w-full text-left text-sm">
          <thead className="bg-neutral-50 text-xs text-neutral-500">
            <tr>
              {head.map((k) => (
                <th key={k} className="px-3 py-2 font-medium">
                  {t(k)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className={list.isFetching ? "opacity-50" : undefined}>
            {rows.map((m) => (
              <tr key={m.id} className="border-t border-neutral-100 hover:bg-neutral-50" data-testid="risk-frozen-item" data-row-id={m.id}>
                <td className="px-3 py-2 align-top">
                  <Link href={`/merchant/risk/${m.id}`} className="whitespace-nowrap text-sky-700 hover:underline">
                    {m.nickname || m.username}
                    <span className="ml-1 text-xs text-neutral-400">#{m.id}</span>
                  </Link>
                </td>
                <td className="whitespace-nowrap px-3 py-2 align-top tabular-nums">{m.frozenAt ? formatDateTime(m.frozenAt, { timeZone }) : "—"}</td>
                <td className="px-3 py-2 align-top">
                  <span className="flex flex-wrap items-center gap-1">
                    <StatusBadge label={t(m.by === "review" ? "mr.frozenBy.review" : "mr.frozenBy.staff")} tone={m.by === "review" ? "danger" : "neutral"} status={m.by} />
                    <span className="whitespace-nowrap text-xs text-neutral-600">{m.byStaff ?? t("mr.frozenBy.system")}</span>
                  </span>
                </td>
                <td className="px-3 py-2 align-top text-xs" data-testid="frozen-reason">
                  {m.by === "review" ? (
                    <span className="flex flex-wrap items-center gap-1">
                      <span>{t("mr.frozenReason.review", { n: m.rejectionCount })}</span>
                      {m.rules.map((r) => (
                        <span key={r} data-rule={r}>
                          <StatusBadge label={t.opt(`mr.rule.${r}`, r)} tone="progress" />
                        </span>
                      ))}
                    </span>
                  ) : (
                    <span className="break-words">{m.reason ?? "—"}</span>
                  )}
                </td>
                <td className="px-3 py-2 align-top tabular-nums">{m.openFlags}</td>
                <td className="px-3 py-2 align-top">
                  <Link href={`/merchant/risk/${m.id}`} className="whitespace-nowrap rounded bg-neutral-900 px-2 py-1 text-xs text-white">
                    {t("mr.openUnfreeze")}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 ? <p className="px-3 py-10 text-center text-sm text-neutral-400">{list.isFetching ? "…" : t("m.table.empty")}</p> : null}
      <div className="flex flex-wrap items-center justify-between gap-2 border-t border-neutral-100 px-3 py-2 text-xs text-neutral-500">
        <span data-testid="table-page">{list.data ? t("mr.frozenList.total", { n: list.data.more ? `${list.data.total}+` : list.data.total }) : ""}</span>
        <div className="flex items-center gap-2">
          <button type="button" className="rounded border border-neutral-300 px-2 py-1 disabled:opacity-40" disabled={cursors.length === 0} onClick={() => setCursors([])}>
            {t("mr.frozenList.first")}
          </button>
          <button type="button" className="rounded border border-neutral-300 px-2 py-1 disabled:opacity-40" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
            {t("m.table.prev")}
          </button>
          <button
            type="button"
            className="rounded border border-neutral-300 px-2 py-1 disabled:opacity-40"
            disabled={!list.data?.next || list.isFetching}
            onClick={() => list.data?.next && setCursors([...cursors, list.data.next])}
          >
            {t("m.table.next")}
          </button>
        </div>
      </div>
    </div>
  );
}
