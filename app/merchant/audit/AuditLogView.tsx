"use client";

import Link from "next/link";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTimeZone } from "@/lib/time-zone";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { DataTable } from "@/components/merchant/DataTable";
import { DateTimeText } from "@/components/merchant/DateTimeText";
import { ExportButton } from "@/components/merchant/ExportButton";
import { FilterBar } from "@/components/merchant/FilterBar";
import { reversedDates } from "@/components/merchant/filter-checks";
import { useTableUrl } from "@/components/merchant/useUrlState";
import { useT } from "@/lib/i18n/client";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { auditActionLabel, auditActionOptions, auditChanges, auditFields, auditRefText, auditTargetLabel, auditTargetOptions, type AuditFilterCodes, type AuditNames, type AuditRef } from "@/server/audit/display";
import { StatusBadge } from "@/components/merchant/StatusBadge";

type Row = RouterOutputs["merchantAudit"]["list"]["rows"][number];
const ACTOR_RE = /^(system|staff:\d+|member:\d+)$/;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A member or staff account a fact names: a member as elsewhere in the back office, name and #id (a deleted account
 * with its 已注销 badge), linking to their page where the viewer may open member pages; a staff account by name.
 */
function Ref({ r, text, canOpenMembers }: { r: AuditRef; text: string; canOpenMembers: boolean }) {
  const t = useT();
  if (r.kind === "staff" || r.name === null) return <>{text}</>;
  const name = canOpenMembers ? (
    <Link href={`/merchant/members/${r.id}`} className="underline decoration-neutral-300 underline-offset-2 hover:decoration-neutral-700" data-testid="audit-member-link">
      {r.name}
    </Link>
  ) : (
    r.name
  );
  return (
    <span data-testid="audit-member" data-member-id={r.id}>
      {name}
      <span className="ml-1 text-neutral-400">#{r.id}</span>
      {r.deleted ? (
        <span className="ml-1">
          <StatusBadge label={t("mm.deletedBadge")} tone="neutral" status="deleted" />
        </span>
      ) : null}
    </span>
  );
}

/** Before → after, one line per changed key, then the entry's other facts, each as "label: value"; ids of members and staff by name. */
function Changes({ row, names, canOpenMembers }: { row: Row; names: AuditNames | undefined; canOpenMembers: boolean }) {
  const t = useT();
  const timeZone = useTimeZone();
  const changes = auditChanges(t, timeZone, row.before, row.after, row.action, undefined, names);
  const fields = auditFields(t, timeZone, row.data, row.action, row.after, undefined, names);
  const side = (text: string, r: AuditRef | undefined) => (r ? <Ref r={r} text={auditRefText(r)} canOpenMembers={canOpenMembers} /> : text);
  if (!changes.length && !fields.length) return null;
  return (
    <dl className="max-w-xs space-y-0.5 break-words text-xs">
      {changes.map((c) => (
        <div key={`c-${c.key}`}>
          <dt className="inline text-neutral-500">{c.label}: </dt>
          <dd className="inline">
            {c.before !== undefined ? <span className="text-rose-700 line-through">{side(c.before, c.beforeRef)}</span> : null}
            {c.before !== undefined && c.after !== undefined ? " → " : null}
            {c.after !== undefined ? <span className="text-emerald-700">{side(c.after, c.afterRef)}</span> : null}
          </dd>
        </div>
      ))}
      {fields.map((f) => (
        <div key={`d-${f.key}`}>
          <dt className="inline text-neutral-500">{f.label}: </dt>
          <dd className="inline text-neutral-700">{side(f.value, f.ref)}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * `codes`: what the action and target filters offer (server/audit/query.ts auditFilterCodes), shown in words.
 * `canOpenMembers`: the viewer may open the member pages (membersRead), so a member an entry names links to theirs.
 */
export function AuditLogView({ codes, canOpenMembers = false }: { codes: AuditFilterCodes; canOpenMembers?: boolean }) {
  const t = useT();
  const timeZone = useTimeZone();
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
  const names = list.data?.names;

  const columns = useMemo<ColumnDef<Row, unknown>[]>(
    () => [
      {
        id: "createdAt",
        header: t("m.audit.time"),
        enableHiding: false,
        // Date above time when squeezed (each whole): at 1280 px the 请求 ID column stays in the box.
        cell: ({ row }) => <DateTimeText at={row.original.createdAt} timeZone={timeZone} seconds className="block min-w-20" />,
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
            <span title={row.original.actorName ?? undefined}>{row.original.actorDisplayName ?? row.original.actorName}</span>
          ),
      },
      {
        id: "action",
        header: t("m.audit.action"),
        // The name, and the code underneath (as the log stores it: the URL's action filter takes a prefix of it).
        cell: ({ row }) => (
          <span className="block">
            <span className="block">{auditActionLabel(t, row.original.action)}</span>
            <code className="block max-w-44 text-[11px] text-neutral-400 [overflow-wrap:anywhere]">{row.original.action}</code>
          </span>
        ),
      },
      {
        id: "target",
        header: t("m.audit.target"),
        // In words, and the code underneath (as for the action: the URL's target filter takes it).
        cell: ({ row }) => (
          <span className="block">
            <span className="block">{auditTargetLabel(t, row.original.target, names)}</span>
            <code className="block max-w-44 text-[11px] text-neutral-400 [overflow-wrap:anywhere]">{row.original.target}</code>
          </span>
        ),
      },
      { id: "changes", header: t("m.audit.changes"), enableSorting: false, cell: ({ row }) => <Changes row={row.original} names={names} canOpenMembers={canOpenMembers} /> },
      { id: "requestId", header: t("m.audit.request"), enableSorting: false, cell: ({ row }) => <span className="block max-w-[6rem] break-all font-mono text-[10px] text-neutral-400">{row.original.requestId ?? "—"}</span> },
    ],
    [t, timeZone, names, canOpenMembers],
  );

  return (
    <div>
      <FilterBar
        errors={{ toDay: reversedDates(get("fromDay"), get("toDay")) ? t("m.filter.reversedDates") : undefined }}
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
          { name: "action", label: t("m.audit.actionFilter"), type: "select", options: auditActionOptions(t, codes.actions, get("action")) },
          { name: "target", label: t("m.audit.targetFilter"), type: "select", options: auditTargetOptions(t, codes.kinds, codes.named, get("target")) },
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
