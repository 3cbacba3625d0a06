"use client";

// 已冻结: frozen members, newest freeze first, who froze them, when and why; the case page lifts the freeze. Paged by
// keyset (server/risk/view.ts frozenMembersPage): the cursors walked are kept here, so 上一页 goes back without an offset.
import Link from "next/link";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { FilterBar } from "@/components/merchant/FilterBar";
import { StatusBadge } from "@/components/merchant/StatusBadge";
import { useUrlState } from "@/components/merchant/useUrlState";
import { useT } from "@/lib/i18n/client";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { KeysetTable, useKeysetCursors } from "./KeysetTable";

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
  const { cursors, setCursors, after } = useKeysetCursors<Cursor>();
  const list = useQuery({
    ...trpc.merchantRisk.frozen.queryOptions({ member, after }, { retry: false }),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  const rows = list.data?.items ?? [];
  const head = ["mr.col.member", "mr.col.frozenAt", "mr.col.frozenBy", "mr.col.frozenReason", "mr.col.openFlags", "mr.col.actions"] as const;
  return (
    <KeysetTable
      testId="table-risk-frozen"
      head={head}
      list={list}
      rows={rows.length}
      cursors={cursors}
      setCursors={setCursors}
      count={list.data ? t("mr.frozenList.total", { n: list.data.more ? `${list.data.total}+` : list.data.total }) : ""}
    >
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
    </KeysetTable>
  );
}
