"use client";

// The risk desk's lists paged by keyset (已冻结, 绑定被拒): the table's frame, its empty and error states and the
// 首页 / 上一页 / 下一页 pager over the cursors walked, kept here so 上一页 goes back without an offset.
import { useState, type ReactNode } from "react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import type { MessageKey } from "@/lib/i18n/core";

type ListQuery<C> = { isError: boolean; error: Parameters<typeof errorText>[1]; isFetching: boolean; data?: { next: C | null } };

/** The cursors walked (the last is the page shown; none: the first page). */
export function useKeysetCursors<C>() {
  const [cursors, setCursors] = useState<C[]>([]);
  return { cursors, setCursors, after: cursors[cursors.length - 1] };
}

export function KeysetTable<C>({
  testId, head, list, rows, cursors, setCursors, count, children,
}: {
  testId: string;
  head: readonly MessageKey[];
  list: ListQuery<C>;
  rows: number;
  cursors: C[];
  setCursors: (c: C[]) => void;
  /** Shown at the pager's left (a total), if any. */
  count?: ReactNode;
  children: ReactNode;
}) {
  const t = useT();
  const pagerButton = "rounded border border-neutral-300 px-2 py-1 disabled:opacity-40";
  return (
    <div className="rounded-lg border border-neutral-200 bg-white" data-testid={testId}>
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
          <tbody className={list.isFetching ? "opacity-50" : undefined}>{children}</tbody>
        </table>
      </div>
      {rows === 0 ? <p className="px-3 py-10 text-center text-sm text-neutral-400">{list.isFetching ? "…" : t("m.table.empty")}</p> : null}
      <div className="flex flex-wrap items-center justify-between gap-2 border-t border-neutral-100 px-3 py-2 text-xs text-neutral-500">
        <span data-testid="table-page">{count}</span>
        <div className="flex items-center gap-2">
          <button type="button" className={pagerButton} disabled={cursors.length === 0} onClick={() => setCursors([])}>
            {t("mr.frozenList.first")}
          </button>
          <button type="button" className={pagerButton} disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
            {t("m.table.prev")}
          </button>
          <button
            type="button"
            className={pagerButton}
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
