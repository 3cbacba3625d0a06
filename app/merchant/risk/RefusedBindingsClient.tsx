"use client";

// 绑定被拒: sign-ups whose referral binding was refused (self-referral, the sponsor's own device; SPEC §8). They flag
// nobody, so the queue never lists them, and the risk role cannot open member pages: each member links to their risk
// case. Newest first, paged by keyset (server/risk/view.ts refusedBindingsPage); the cursors walked are kept here.
import Link from "next/link";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { StatusBadge } from "@/components/merchant/StatusBadge";
import { useT } from "@/lib/i18n/client";
import { useTimeZone } from "@/lib/time-zone";
import { useTRPC } from "@/trpc/react";
import { evidenceRows, fmtTime } from "./format";
import { KeysetTable, useKeysetCursors } from "./KeysetTable";

export function RefusedBindings() {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const { cursors, setCursors, after } = useKeysetCursors<number>();
  const list = useQuery({ ...trpc.merchantRisk.refusedBindings.queryOptions({ after }, { retry: false }), placeholderData: keepPreviousData, staleTime: 0 });
  const rows = list.data?.items ?? [];
  const head = ["mr.col.refusedAt", "mr.col.rule", "mr.col.involved", "mr.col.evidence"] as const;
  return (
    <div>
      <p className="mb-3 text-xs text-neutral-500">{t("mr.refused.hint")}</p>
      <KeysetTable testId="table-risk-refused" head={head} list={list} rows={rows.length} cursors={cursors} setCursors={setCursors}>
        {rows.map((e) => (
          <tr key={e.id} className="border-t border-neutral-100" data-testid="risk-refused-item" data-rule={e.rule}>
            <td className="whitespace-nowrap px-3 py-2 align-top tabular-nums">{fmtTime(e.at, timeZone)}</td>
            <td className="px-3 py-2 align-top">
              <StatusBadge label={t.opt(`mr.rule.${e.rule}`, e.label)} tone="neutral" />
            </td>
            <td className="px-3 py-2 align-top text-xs">
              <span className="flex flex-wrap gap-x-3 gap-y-1">
                {e.members.map((m) => (
                  <Link key={m.id} href={`/merchant/risk/${m.id}`} className="whitespace-nowrap text-sky-700 hover:underline">
                    {m.name}
                    <span className="ml-0.5 text-neutral-400">#{m.id}</span>
                  </Link>
                ))}
              </span>
            </td>
            <td className="px-3 py-2 align-top text-xs text-neutral-600">
              {evidenceRows(e.evidence).map((r) => (
                <div key={r.key}>
                  <span className="text-neutral-500">{r.key === "value" ? t("mr.case.evidence") : t.opt(`mr.evidence.${r.key}`, r.key)}: </span>
                  <span className="break-all">{r.cleared ? t("mr.case.evidenceCleared") : r.value}</span>
                </div>
              ))}
            </td>
          </tr>
        ))}
      </KeysetTable>
    </div>
  );
}
