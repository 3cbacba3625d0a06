"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { DataTable } from "@/components/merchant/DataTable";
import { ExportButton } from "@/components/merchant/ExportButton";
import { FilterBar } from "@/components/merchant/FilterBar";
import { useTableUrl } from "@/components/merchant/useUrlState";
import { useLocale, useT } from "@/lib/i18n/client";
import { intlLocale } from "@/lib/i18n/core";
import { useTRPC, type RouterOutputs } from "@/trpc/react";

type Row = RouterOutputs["merchantAudit"]["list"]["rows"][number];
const ACTOR_RE = /^(system|staff:\d+|member:\d+)$/;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Before → after, one line per changed key (the rest of the entry's details below). */
function Changes({ row }: { row: Row }) {
  const before = (row.before ?? {}) as Record<string, unknown>;
  const after = (row.after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const data = row.data && typeof row.data === "object" && Object.keys(row.data).length ? JSON.stringify(row.data) : null;
  return (
    <div className="max-w-sm space-y-0.5 break-all font-mono text-xs">
      {keys.map((k) => (
        <div key={k}>
          <span className="text-neutral-500">{k}:</span> {k in before ? <span className="text-rose-700 line-through">{JSON.stringify(before[k])}</span> : null}
          {k in before && k in after ? " → " : null}
          {k in after ? <span className="text-emerald-700">{JSON.stringify(after[k])}</span> : null}
        </div>
      ))}
      {data ? <div className="text-neutral-500">{data}</div> : null}
    </div>
  );
}

export function AuditLogView() {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const { page, pageSize, sort, get } = useTableUrl({ sort: "createdAt.desc" });
  const actor = get("actor");
  const input = {
    page,
    pageSize: pageSize as 20 | 50 | 100,
    sort: sort && ["createdAt", "action", "target"].includes(sort.id) ? (sort as { id: "createdAt" | "action" | "target"; desc: boolean }) : null,
    actor: ACTOR_RE.test(actor) ? actor : undefined,
    action: get("action") || undefined,
    target: get("target") || undefined,
    fromDay: DAY_RE.test(get("fromDay")) ? get("fromDay") : undefined,
    toDay: DAY_RE.test(get("toDay")) ? get("toDay") : undefined,
  };
  const list = useQuery({ ...trpc.merchantAudit.list.queryOptions(input), placeholderData: keepPreviousData });
  const actors = useQuery(trpc.merchantAudit.actors.queryOptions());

  const columns = useMemo<ColumnDef<Row, unknown>[]>(
    () => [
      {
        id: "createdAt",
        header: t("m.audit.time"),
        enableHiding: false,
        cell: ({ row }) => <span className="whitespace-nowrap tabular-nums">{new Date(row.original.createdAt).toLocaleString(intlLocale(locale), { timeZone: "Asia/Shanghai" })}</span>,
      },
      {
        id: "actor",
        header: t("m.audit.actor"),
        enableSorting: false,
        cell: ({ row }) =>
          row.original.actorType === "system" ? (
            <span className="text-neutral-400">{t("m.audit.system")}</span>
          ) : row.original.actorType === "member" ? (
            t("m.audit.member", { id: row.original.actorId ?? "" }) + (row.original.actorName ? ` ${row.original.actorName}` : "")
          ) : (
            row.original.actorName
          ),
      },
      { id: "action", header: t("m.audit.action"), cell: ({ row }) => <code className="text-xs">{row.original.action}</code> },
      { id: "target", header: t("m.audit.target"), cell: ({ row }) => <code className="block max-w-[11rem] break-all text-xs">{row.original.target}</code> },
      { id: "changes", header: t("m.audit.changes"), enableSorting: false, cell: ({ row }) => <Changes row={row.original} /> },
      { id: "requestId", header: t("m.audit.request"), enableSorting: false, cell: ({ row }) => <span className="block max-w-[6rem] break-all font-mono text-[10px] text-neutral-400">{row.original.requestId ?? "—"}</span> },
    ],
    [t, locale],
  );

  return (
    <div>
      <FilterBar
        fields={[
          {
            name: "actor",
            label: t("m.audit.actorFilter"),
            type: "select",
            options: [
              { value: "", label: t("m.audit.anyActor") },
              { value: "system", label: t("m.audit.system") },
              ...(actors.data ?? []).map((a) => ({ value: `staff:${a.id}`, label: `${a.displayName} (${a.username})` })),
            ],
          },
          { name: "action", label: t("m.audit.actionFilter"), type: "text", placeholder: "withdrawal." },
          { name: "target", label: t("m.audit.targetFilter"), type: "text" },
          { name: "fromDay", label: t("m.audit.from"), type: "date" },
          { name: "toDay", label: t("m.audit.to"), type: "date" },
        ]}
      >
        <ExportButton href="/merchant/audit/export" />
      </FilterBar>
      <DataTable id="audit" columns={columns} rows={list.data?.rows ?? []} total={list.data?.total ?? 0} loading={list.isFetching} defaultSort="createdAt.desc" rowTestId="audit-row" getRowId={(r) => String(r.id)} />
    </div>
  );
}
