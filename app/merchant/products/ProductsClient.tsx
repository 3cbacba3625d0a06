"use client";

// 商品列表: search form (filters in the URL) and the shared back-office table: server-side sorting
// by price, stock, sort value or creation, pagination and a column picker; row actions edit, shelve and re-sort.
import Link from "next/link";
import { useMemo, useState } from "react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/merchant/DataTable";
import { ExportButton } from "@/components/merchant/ExportButton";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";
import { DateTimeText } from "@/components/merchant/DateTimeText";
import { useTableUrl } from "@/components/merchant/useUrlState";
import { formatYuanGrouped } from "@/components/money";
import { ProductImage } from "@/components/ProductImage";
import { MERCHANT_PRODUCT_SORTS, type MerchantProductSort } from "@/server/catalog/schema";
import { thumbnailUrl } from "@/server/storage/urls";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { useTimeZone } from "@/lib/time-zone";

type Row = RouterOutputs["merchantCatalog"]["products"]["items"][number];

export function ProductsClient() {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { page, pageSize, sort, get, set } = useTableUrl({ sort: "sort.asc" });
  const q = get("q");
  const category = get("category");
  const shelf = get("shelf") === "on" || get("shelf") === "off" ? (get("shelf") as "on" | "off") : "";
  const sortKey = sort ? `${sort.id}.${sort.desc ? "desc" : "asc"}` : "";
  const [search, setSearch] = useState(q);
  const [error, setError] = useState<string | null>(null);
  // 上架 / 下架 changes what every shopper sees: it runs only once confirmed, the dialog naming the product.
  const [shelving, setShelving] = useState<Pick<Row, "id" | "name" | "active"> | null>(null);

  const categories = useQuery(trpc.merchantCatalog.categories.queryOptions());
  const list = useQuery({
    ...trpc.merchantCatalog.products.queryOptions({
      q: q || undefined,
      category: category || undefined,
      shelf: shelf || undefined,
      sort: (MERCHANT_PRODUCT_SORTS as readonly string[]).includes(sortKey) ? (sortKey as MerchantProductSort) : "sort.asc",
      page,
      pageSize,
    }),
    placeholderData: keepPreviousData,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.merchantCatalog.pathKey() });
  const onError = (e: Parameters<typeof errorText>[1]) => setError(errorText(t, e));
  const setShelf = useMutation(
    trpc.merchantCatalog.setShelf.mutationOptions({
      onSuccess: () => {
        setShelving(null);
        return refresh();
      },
      onError: (e) => {
        setShelving(null);
        onError(e);
      },
    }),
  );
  const setSort = useMutation(trpc.merchantCatalog.setSort.mutationOptions({ onSuccess: refresh, onError }));

  const columns = useMemo<ColumnDef<Row, unknown>[]>(
    () => [
      {
        id: "product",
        header: t("mcat.col.product"),
        enableSorting: false,
        enableHiding: false,
        cell: ({ row: { original: p } }) => (
          <div className="flex items-center gap-3">
            <div className="w-11 shrink-0 overflow-hidden rounded">
              <ProductImage src={thumbnailUrl(p.imageUrl)} name={p.name} className="!p-0.5 !text-[8px]" />
            </div>
            {/* Bounded: a long name or list of codes is cut with … (whole in the tooltip), never pushing 创建时间 under 操作. */}
            <div className="min-w-0 max-w-52">
              <div className="truncate font-medium text-neutral-800" title={p.name}>{p.name}</div>
              <div className="truncate text-xs text-neutral-400" title={p.codes.join(" · ")}>{p.codes.join(" · ")}</div>
            </div>
          </div>
        ),
      },
      { id: "category", header: t("mcat.col.category"), enableSorting: false, cell: ({ row }) => <span className="text-neutral-600">{row.original.categoryName}</span> },
      {
        id: "price",
        header: t("mcat.col.price"),
        cell: ({ row: { original: p } }) => (
          // A range may wrap after its ~, each amount kept whole.
          <span className="tabular-nums">
            <span className="whitespace-nowrap">{formatYuanGrouped(p.minPriceFen)}</span>
            {p.minPriceFen === p.maxPriceFen ? null : (
              <>
                {" ~ "}
                <span className="whitespace-nowrap">{formatYuanGrouped(p.maxPriceFen)}</span>
              </>
            )}
          </span>
        ),
      },
      { id: "stock", header: t("mcat.col.stock"), cell: ({ row: { original: p } }) => <span className={`tabular-nums ${p.stock <= 10 ? "text-amber-600" : ""}`}>{p.stock}</span> },
      { id: "skus", header: t("mcat.col.skus"), enableSorting: false, cell: ({ row }) => <span className="tabular-nums">{row.original.skuCount}</span> },
      {
        id: "sort",
        header: t("mcat.col.sort"),
        cell: ({ row: { original: p } }) => (
          <input
            type="number"
            defaultValue={p.sort}
            aria-label={`${t("mcat.col.sort")} ${p.name}`}
            className="h-8 w-16 rounded border border-neutral-200 px-2 text-sm tabular-nums"
            onBlur={(e) => {
              const v = Number(e.target.value);
              if (Number.isSafeInteger(v) && v !== p.sort) setSort.mutate({ id: p.id, sort: v });
            }}
          />
        ),
      },
      {
        id: "shelf",
        header: t("mcat.col.shelf"),
        enableSorting: false,
        cell: ({ row: { original: p } }) => (
          <span className={`whitespace-nowrap rounded px-2 py-0.5 text-xs ${p.active ? "bg-emerald-50 text-emerald-700" : "bg-neutral-100 text-neutral-500"}`}>
            {p.active ? t("mcat.products.onShelf") : t("mcat.products.offShelf")}
          </span>
        ),
      },
      // Date above time when squeezed (each whole): at a desk's 1280 px the row fits beside the pinned 操作 column.
      { id: "createdAt", header: t("mcat.col.created"), cell: ({ row }) => <DateTimeText at={row.original.createdAt} timeZone={timeZone} className="block min-w-20" /> },
      {
        id: "actions",
        header: t("mcat.col.actions"),
        enableSorting: false,
        enableHiding: false,
        cell: ({ row: { original: p } }) => (
          <span className="space-x-3 whitespace-nowrap">
            <Link href={`/merchant/products/${p.id}`} className="text-rose-600 hover:underline">
              {t("mcat.action.edit")}
            </Link>
            <button type="button" className="text-neutral-600 hover:underline" data-testid="product-shelf-toggle" onClick={() => setShelving({ id: p.id, name: p.name, active: p.active })}>
              {p.active ? t("mcat.action.takeOff") : t("mcat.action.putOn")}
            </button>
          </span>
        ),
      },
    ],
    [t, setSort, setShelving, timeZone],
  );

  return (
    <div className="space-y-4">
      <form method="post"
        className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 shadow-sm"
        onSubmit={(e) => {
          e.preventDefault();
          set({ q: search.trim() }, { resetPage: true });
        }}
      >
        <input
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder={t("mcat.products.search")}
          aria-label={t("mcat.products.search")}
          className="h-9 w-64 rounded border border-neutral-300 px-3 text-sm"
        />
        <select aria-label={t("mcat.col.category")} value={category} onChange={(e) => set({ category: e.target.value }, { resetPage: true })} className="h-9 rounded border border-neutral-300 px-2 text-sm">
          <option value="">{t("mcat.products.allCategories")}</option>
          {categories.data?.map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.name}
            </option>
          ))}
        </select>
        <select aria-label={t("mcat.col.shelf")} value={shelf} onChange={(e) => set({ shelf: e.target.value }, { resetPage: true })} className="h-9 rounded border border-neutral-300 px-2 text-sm">
          <option value="">{t("mcat.products.allShelf")}</option>
          <option value="on">{t("mcat.products.onShelf")}</option>
          <option value="off">{t("mcat.products.offShelf")}</option>
        </select>
        <button type="submit" className="h-9 rounded bg-neutral-800 px-4 text-sm text-white">
          {t("mcat.products.searchButton")}
        </button>
        <span className="ml-auto" />
        <ExportButton href="/merchant/products/export" />
        <Link href="/merchant/products/new" className="flex h-9 items-center rounded bg-rose-600 px-4 text-sm font-medium text-white" data-testid="new-product">
          + {t("mcat.products.new")}
        </Link>
      </form>

      {error ? (
        <p role="alert" className="rounded bg-rose-50 px-4 py-2 text-sm text-rose-700">
          {error}
        </p>
      ) : null}

      <DataTable
        id="products"
        columns={columns}
        rows={list.data?.items ?? []}
        total={list.data?.total ?? 0}
        loading={list.isFetching}
        defaultSort="sort.asc"
        rowTestId="product-row"
        getRowId={(p) => String(p.id)}
      />
      {shelving ? (
        <ConfirmDialog
          open
          title={t(shelving.active ? "mcat.shelf.offTitle" : "mcat.shelf.onTitle", { name: shelving.name })}
          body={<p data-testid="shelf-confirm-body">{t(shelving.active ? "mcat.shelf.offBody" : "mcat.shelf.onBody")}</p>}
          confirmLabel={t(shelving.active ? "mcat.action.takeOff" : "mcat.action.putOn")}
          danger={shelving.active}
          pending={setShelf.isPending}
          onConfirm={() => setShelf.mutate({ id: shelving.id, active: !shelving.active })}
          onCancel={() => setShelving(null)}
        />
      ) : null}
    </div>
  );
}
