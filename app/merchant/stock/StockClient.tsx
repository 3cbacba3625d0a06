"use client";

// 库存: a search for any SKU by code or product name and the low-stock list (query and threshold in the URL), each
// row with a stock adjustment (delta and a required reason, audited), and the history of adjustments.
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import type { ColumnDef } from "@tanstack/react-table";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { formatYuanGrouped } from "@/components/money";
import { ExportButton } from "@/components/merchant/ExportButton";
import { DataTable } from "@/components/merchant/DataTable";
import { useTableUrl } from "@/components/merchant/useUrlState";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { newClientKey } from "@/server/catalog/schema";
import type { RouterOutputs } from "@/trpc/react";

type HistoryRow = RouterOutputs["merchantCatalog"]["stockHistory"]["items"][number];
type SkuRow = RouterOutputs["merchantCatalog"]["searchStock"]["items"][number];

export function StockClient() {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const queryClient = useQueryClient();
  const threshold = Math.max(0, Number(params.get("threshold") ?? 10) || 0);
  const low = useQuery(trpc.merchantCatalog.lowStock.queryOptions(params.has("threshold") ? { threshold } : {}));
  const q = (params.get("q") ?? "").trim();
  const found = useQuery({ ...trpc.merchantCatalog.searchStock.queryOptions({ q }), enabled: q !== "" });
  /** The URL with one parameter set (or dropped when empty), the others kept. */
  const withParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    return `${pathname}?${next}`;
  };
  const { page, pageSize } = useTableUrl();
  const history = useQuery(trpc.merchantCatalog.stockHistory.queryOptions({ page, pageSize }));
  const historyColumns = useMemo<ColumnDef<HistoryRow, unknown>[]>(
    () => [
      { id: "time", header: t("mcat.stock.time"), enableSorting: false, cell: ({ row }) => <span className="whitespace-nowrap text-xs text-neutral-500">{formatDateTime(row.original.createdAt, { timeZone })}</span> },
      {
        id: "product",
        header: t("mcat.col.product"),
        enableSorting: false,
        cell: ({ row }) => (
          <>
            {row.original.productName}
            {row.original.label ? <div className="text-xs text-neutral-500">{row.original.label}</div> : null}
          </>
        ),
      },
      {
        id: "delta",
        header: "±",
        enableSorting: false,
        cell: ({ row }) => <span className={`tabular-nums ${row.original.delta > 0 ? "text-emerald-600" : "text-rose-600"}`}>{row.original.delta > 0 ? `+${row.original.delta}` : row.original.delta}</span>,
      },
      { id: "after", header: t("mcat.stock.after"), enableSorting: false, cell: ({ row }) => <span className="tabular-nums">{row.original.stockAfter}</span> },
      { id: "reason", header: t("mcat.stock.reason"), enableSorting: false, meta: { wrap: true, minWidth: "10rem" }, cell: ({ row }) => <span className="text-neutral-600">{row.original.reason}</span> },
    ],
    [t, timeZone],
  );
  /** The row whose adjust form is open: "<list>:<skuId>", a SKU being in both lists. */
  const [editing, setEditing] = useState<string | null>(null);
  // One per opening of the dialog, kept across retries of its submission: a resent adjustment is applied once.
  const [clientKey, setClientKey] = useState(newClientKey);
  const [delta, setDelta] = useState("");
  const [reason, setReason] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const adjust = useMutation(
    trpc.merchantCatalog.adjustStock.mutationOptions({
      onSuccess: async () => {
        setEditing(null);
        setClientKey(newClientKey());
        setDelta("");
        setReason("");
        setMessage(null);
        await queryClient.invalidateQueries({ queryKey: trpc.merchantCatalog.pathKey() });
      },
      onError: (e) => {
        setMessage(errorText(t, e));
        // The key's first adjustment was saved (its answer lost): show it; a submission now is a new adjustment.
        if (e.data?.code === "CONFLICT") {
          setClientKey(newClientKey());
          void queryClient.invalidateQueries({ queryKey: trpc.merchantCatalog.pathKey() });
        }
      },
    }),
  );

  const skuHead = (
    <thead className="bg-neutral-50 text-left text-xs text-neutral-500">
      <tr>
        <th className="px-4 py-2 font-medium">{t("mcat.col.product")}</th>
        <th className="px-4 py-2 font-medium">{t("mcat.edit.skuCode")}</th>
        <th className="px-4 py-2 text-right font-medium">{t("mcat.col.price")}</th>
        <th className="px-4 py-2 text-right font-medium">{t("mcat.col.stock")}</th>
        <th className="px-4 py-2 font-medium">{t("mcat.col.actions")}</th>
      </tr>
    </thead>
  );
  const skuRow = (s: SkuRow, list: "found" | "low") => {
    const key = `${list}:${s.skuId}`;
    return (
      <tr key={s.skuId} data-testid={list === "low" ? "low-stock-row" : "stock-search-row"} data-code={s.code} className="align-top">
        <td className="px-4 py-2">
          <Link href={`/merchant/products/${s.productId}`} className="font-medium hover:underline">
            {s.productName}
          </Link>
          {s.onShelf ? null : <span className="ml-2 rounded bg-neutral-100 px-1.5 py-0.5 text-xs text-neutral-500">{t("mcat.products.offShelf")}</span>}
          {s.label ? <div className="text-xs text-neutral-500">{s.label}</div> : null}
        </td>
        <td className="px-4 py-2 text-neutral-500">{s.code}</td>
        <td className="px-4 py-2 text-right tabular-nums">{formatYuanGrouped(s.priceFen)}</td>
        <td className={`px-4 py-2 text-right font-medium tabular-nums ${s.stock === 0 ? "text-rose-600" : s.stock <= threshold ? "text-amber-600" : ""}`}>{s.stock}</td>
        <td className="px-4 py-2">
          {editing === key ? (
            <form method="post"
              className="flex flex-col gap-2"
              onSubmit={(e) => {
                e.preventDefault();
                const d = Number(delta);
                if (!Number.isSafeInteger(d) || d === 0) return setMessage(t("mcat.stock.err.delta"));
                adjust.mutate({ skuId: s.skuId, delta: d, reason, clientKey });
              }}
            >
              <input value={delta} onChange={(e) => setDelta(e.target.value)} placeholder="+20 / -3" aria-label={t("mcat.stock.delta")} className="h-8 w-36 rounded border border-neutral-300 px-2" inputMode="numeric" />
              <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t("mcat.stock.reason")} aria-label={t("mcat.stock.reason")} className="h-8 w-36 rounded border border-neutral-300 px-2" />
              <div className="flex gap-2">
                <button type="submit" disabled={adjust.isPending} className="rounded bg-rose-600 px-3 py-1 text-white">
                  {t("mcat.action.save")}
                </button>
                <button type="button" onClick={() => setEditing(null)} className="rounded border border-neutral-300 px-3 py-1">
                  {t("mcat.action.cancel")}
                </button>
              </div>
            </form>
          ) : (
            <button type="button" className="text-rose-600 hover:underline" onClick={() => { setEditing(key); setClientKey(newClientKey()); setMessage(null); }}>
              {t("mcat.stock.adjust")}
            </button>
          )}
        </td>
      </tr>
    );
  };

  return (
    <div className="grid gap-4 xl:grid-cols-[3fr_2fr]">
      <div className="space-y-4">
        {message ? (
          <p role="alert" className="rounded bg-rose-50 px-3 py-2 text-sm text-rose-700">
            {message}
          </p>
        ) : null}
        <section className="rounded-lg bg-white shadow-sm">
          <form
            role="search"
            method="get"
            className="flex flex-wrap items-center gap-3 border-b border-neutral-100 px-4 py-3"
            onSubmit={(e) => {
              e.preventDefault();
              router.replace(withParam("q", String(new FormData(e.currentTarget).get("q") ?? "").trim()));
            }}
          >
            <h2 className="text-base font-semibold">{t("mcat.stock.search")}</h2>
            <input
              key={q}
              name="q"
              type="search"
              defaultValue={q}
              maxLength={100}
              placeholder={t("mcat.stock.searchPlaceholder")}
              aria-label={t("mcat.stock.searchPlaceholder")}
              className="h-8 min-w-0 flex-1 rounded border border-neutral-300 px-2 text-sm"
            />
            <button type="submit" className="h-8 rounded bg-neutral-800 px-3 text-sm text-white">
              {t("mcat.products.searchButton")}
            </button>
          </form>
          {q && found.data ? (
            found.data.items.length ? (
              <>
                <table className="w-full text-sm" data-testid="stock-search-results">
                  {skuHead}
                  <tbody className="divide-y divide-neutral-100">{found.data.items.map((s) => skuRow(s, "found"))}</tbody>
                </table>
                {found.data.more ? <p className="px-4 py-2 text-xs text-neutral-500">{t("mcat.stock.searchMore", { n: found.data.items.length })}</p> : null}
              </>
            ) : (
              <p className="py-6 text-center text-sm text-neutral-400" data-testid="stock-search-none">
                {t("mcat.stock.searchNone", { q })}
              </p>
            )
          ) : null}
        </section>
        <section className="rounded-lg bg-white shadow-sm">
          <div className="flex items-center justify-between border-b border-neutral-100 px-4 py-3">
            <h2 className="text-base font-semibold">{t("mcat.stock.low")}</h2>
            <div className="flex items-center gap-3">
              <label className="flex items-center gap-2 text-sm text-neutral-600">
                {t("mcat.stock.threshold")} ≤
                <input
                  type="number"
                  min={0}
                  defaultValue={threshold}
                  onBlur={(e) => router.replace(withParam("threshold", String(Math.max(0, Number(e.target.value) || 0))))}
                  className="h-8 w-20 rounded border border-neutral-300 px-2"
                />
              </label>
              <ExportButton href="/merchant/stock/export" />
            </div>
          </div>
          <table className="w-full text-sm">
            {skuHead}
            <tbody className="divide-y divide-neutral-100">
              {low.data?.items.map((s) => skuRow(s, "low"))}
            </tbody>
          </table>
          {low.data && !low.data.items.length ? <p className="py-10 text-center text-sm text-neutral-400">{t("mcat.stock.noneLow")}</p> : null}
        </section>
      </div>

      <section className="rounded-lg bg-white shadow-sm">
        <div className="flex items-center justify-between border-b border-neutral-100 px-4 py-3">
          <h2 className="text-base font-semibold">{t("mcat.stock.history")}</h2>
          <ExportButton href="/merchant/stock/history/export" />
        </div>
        <DataTable
          id="stock-history"
          columns={historyColumns}
          rows={history.data?.items ?? []}
          total={history.data?.total ?? 0}
          loading={history.isFetching}
          rowTestId="stock-history-row"
          getRowId={(r) => String(r.id)}
        />
      </section>
    </div>
  );
}
