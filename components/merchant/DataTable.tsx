"use client";

// The back office's list table: @tanstack/react-table (headless) with server-side sorting and
// pagination whose state lives in the URL (useTableUrl), and a column picker kept per table in
// localStorage. Rows come from the page's tRPC query; filtering is the FilterBar's job.
// On a narrow screen the table scrolls sideways inside its box and the "actions" column stays pinned at
// its right edge; Chinese words in cells are kept whole (a short category is not split a character a line).
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type Column,
  type ColumnDef,
  type RowData,
  type SortingState,
  type VisibilityState,
} from "@tanstack/react-table";
import { useCallback, useEffect, useRef, useState } from "react";
import { useT } from "@/lib/i18n/client";
import { useTableUrl } from "./useUrlState";

declare module "@tanstack/react-table" {
  // Type parameters must match the library's declaration to merge with it.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Short text (a status, a name, a time, an amount): kept on one line. */
    nowrap?: boolean;
    /** Long free text (a reason, a note): may break anywhere, where other cells keep words whole. */
    wrap?: boolean;
    /** The narrowest the column may be squeezed to, as a CSS length ("8rem"). */
    minWidth?: string;
  }
}

/** The column every list names "actions": pinned to the right edge while the table scrolls sideways. */
const PINNED = "actions";
/**
 * Narrow gaps between columns, the table's edges as wide as its box's: a ten-column list (orders) fits a 1440 px
 * screen beside the menu, so the pinned actions column covers no heading there (it covers what scrolls under it only on narrower screens).
 */
const CELL_PAD = "px-2 first:pl-3 last:pr-3";

function cellClasses<T>(column: Column<T, unknown>, overflowing: boolean, shadow: boolean, head: boolean): string {
  const meta = column.columnDef.meta;
  const classes = ["wrap-break-word", meta?.nowrap || head ? "whitespace-nowrap" : "", meta?.wrap ? "" : "break-keep"];
  if (column.id === PINNED && overflowing) {
    classes.push("sticky right-0 z-[1]", head ? "bg-neutral-50" : "bg-white group-hover:bg-neutral-50");
    // A shade on its left edge (a drawn strip: table cells paint no box-shadow with collapsed borders).
    if (shadow) classes.push("before:pointer-events-none before:absolute before:inset-y-0 before:left-0 before:w-2 before:-translate-x-full before:bg-linear-to-l before:from-black/10 before:to-transparent");
  }
  return classes.join(" ");
}

/** Whether the table is wider than its box, and whether columns are hidden to the right of what is shown. */
function useOverflow() {
  const box = useRef<HTMLDivElement>(null);
  const [state, setState] = useState({ overflowing: false, moreRight: false });
  const measure = useCallback(() => {
    const el = box.current;
    if (!el) return;
    const overflowing = el.scrollWidth > el.clientWidth + 1;
    const moreRight = overflowing && el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
    setState((s) => (s.overflowing === overflowing && s.moreRight === moreRight ? s : { overflowing, moreRight }));
  }, []);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    return () => observer.disconnect();
  }, [measure]);
  return { box, measure, ...state };
}

export interface DataTableProps<T> {
  /** Stable id: the column choice is remembered under it. */
  id: string;
  columns: ColumnDef<T, unknown>[];
  rows: T[];
  total: number;
  /** More rows match than `total` (a capped count): shown as "total+", and paging forward stays open. */
  more?: boolean;
  loading?: boolean;
  defaultSort?: string;
  rowTestId?: string;
  getRowId?: (row: T) => string;
}

export function DataTable<T>({ id, columns, rows, total, more = false, loading, defaultSort, rowTestId, getRowId }: DataTableProps<T>) {
  const t = useT();
  const { page, pageSize, sort, set } = useTableUrl({ sort: defaultSort });
  const [visibility, setVisibility] = useState<VisibilityState>({});
  const [pickerOpen, setPickerOpen] = useState(false);
  useEffect(() => {
    try {
      const saved = localStorage.getItem(`fm.table.${id}.columns`);
      if (saved) setVisibility(JSON.parse(saved) as VisibilityState);
    } catch {
      // a broken saved choice falls back to every column
    }
  }, [id]);
  const sorting: SortingState = sort ? [sort] : [];
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const { box, measure, overflowing, moreRight } = useOverflow();
  // A page past the last (an old link, rows gone since) opens the last page rather than an empty one; a
  // capped count (`more`) does not know the last page.
  useEffect(() => {
    if (!loading && !more && page > pages) set({ page: pages > 1 ? pages : null });
  }, [loading, more, page, pages, set]);

  const table = useReactTable<T>({
    data: rows,
    columns,
    getRowId,
    state: { sorting, columnVisibility: visibility, pagination: { pageIndex: page - 1, pageSize } },
    manualSorting: true,
    manualPagination: true,
    pageCount: pages,
    onColumnVisibilityChange: (updater) => {
      const next = typeof updater === "function" ? updater(visibility) : updater;
      setVisibility(next);
      localStorage.setItem(`fm.table.${id}.columns`, JSON.stringify(next));
    },
    getCoreRowModel: getCoreRowModel(),
  });

  return (
    // data-overflowing: the actions column is pinned over the others, so its cells may repeat what they cover
    // (group-data-[overflowing=true]/table: variants, e.g. a withdrawal's amount beside 通过).
    <div className="group/table rounded-lg border border-neutral-200 bg-white" data-testid={`table-${id}`} data-overflowing={overflowing}>
      <div className="flex items-center justify-end border-b border-neutral-100 px-3 py-2">
        <div className="relative">
          <button type="button" className="rounded-md border border-neutral-300 px-2 py-1 text-xs text-neutral-600" onClick={() => setPickerOpen((o) => !o)} aria-expanded={pickerOpen}>
            {t("m.table.columns")}
          </button>
          {pickerOpen ? (
            <div className="absolute right-0 z-10 mt-1 w-48 rounded-md border border-neutral-200 bg-white p-2 text-sm shadow-lg">
              {table
                .getAllLeafColumns()
                .filter((c) => c.getCanHide())
                .map((c) => (
                  <label key={c.id} className="flex items-center gap-2 py-1">
                    <input type="checkbox" checked={c.getIsVisible()} onChange={c.getToggleVisibilityHandler()} />
                    {typeof c.columnDef.header === "string" ? c.columnDef.header : c.id}
                  </label>
                ))}
            </div>
          ) : null}
        </div>
      </div>
      <div ref={box} className="overflow-x-auto" onScroll={measure}>
        <table className="min-w-full text-left text-sm">
          <thead className="bg-neutral-50 text-xs text-neutral-500">
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                {hg.headers.map((h) => {
                  const dir = h.column.getIsSorted();
                  return (
                    <th
                      key={h.id}
                      className={`${CELL_PAD} py-2 font-medium ${cellClasses(h.column, overflowing, moreRight, true)}`}
                      style={{ minWidth: h.column.columnDef.meta?.minWidth }}
                      aria-sort={dir ? (dir === "desc" ? "descending" : "ascending") : undefined}
                    >
                      {/* Columns have no accessor (cells render rows): sortable unless the column says otherwise; the button is 24 px tall (WCAG 2.5.8), -my-1 keeps the row's height. */}
                      {h.column.columnDef.enableSorting !== false ? (
                        <button
                          type="button"
                          className="-my-1 inline-flex min-h-6 items-center gap-1 hover:text-neutral-900"
                          onClick={() => set({ sort: `${h.column.id}.${dir === "desc" ? "asc" : "desc"}` }, { resetPage: true })}
                        >
                          {flexRender(h.column.columnDef.header, h.getContext())}
                          <span aria-hidden>{dir === "desc" ? "↓" : dir === "asc" ? "↑" : "↕"}</span>
                        </button>
                      ) : (
                        flexRender(h.column.columnDef.header, h.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className={loading ? "opacity-50" : undefined}>
            {table.getRowModel().rows.map((r) => (
              <tr key={r.id} className="group border-t border-neutral-100 hover:bg-neutral-50" data-testid={rowTestId} data-row-id={r.id}>
                {r.getVisibleCells().map((c) => (
                  <td key={c.id} className={`${CELL_PAD} py-2 align-top ${cellClasses(c.column, overflowing, moreRight, false)}`}>
                    {flexRender(c.column.columnDef.cell, c.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {/* Outside the scroll box: centred in what is shown, even when the columns are wider than a phone. */}
      {rows.length === 0 ? <p className="px-3 py-10 text-center text-sm text-neutral-400">{loading ? "…" : t("m.table.empty")}</p> : null}
      <div className="flex flex-wrap items-center justify-between gap-2 border-t border-neutral-100 px-3 py-2 text-xs text-neutral-500">
        <span data-testid="table-page">{t("m.table.page", { page, pages: more ? `${pages}+` : pages, total: more ? `${total}+` : total })}</span>
        <div className="flex items-center gap-2">
          <select className="rounded border border-neutral-300 px-1 py-1" value={pageSize} onChange={(e) => set({ size: e.target.value }, { resetPage: true })} aria-label={t("m.table.pageSizeLabel")}>
            {[20, 50, 100].map((n) => (
              <option key={n} value={n}>
                {t("m.table.pageSize", { n })}
              </option>
            ))}
          </select>
          <button type="button" className="rounded border border-neutral-300 px-2 py-1 disabled:opacity-40" disabled={page <= 1} onClick={() => set({ page: page - 1 })}>
            {t("m.table.prev")}
          </button>
          <button type="button" className="rounded border border-neutral-300 px-2 py-1 disabled:opacity-40" disabled={more ? rows.length < pageSize : page >= pages} onClick={() => set({ page: page + 1 })}>
            {t("m.table.next")}
          </button>
        </div>
      </div>
    </div>
  );
}
