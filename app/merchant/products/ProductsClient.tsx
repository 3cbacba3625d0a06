"use client";

// 商品列表: search form, table with row actions, pagination; filters live in the URL.
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ExportButton } from "@/components/merchant/ExportButton";
import { formatYuan } from "@/components/money";
import { ProductImage } from "@/components/ProductImage";
import { thumbnailUrl } from "@/server/storage/urls";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";

const SORTS = ["sort", "newest", "stock", "price"] as const;
type Sort = (typeof SORTS)[number];

export function ProductsClient() {
  const t = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const queryClient = useQueryClient();
  const q = params.get("q") ?? "";
  const category = params.get("category") ?? "";
  const shelf = (params.get("shelf") ?? "") as "" | "on" | "off";
  const sort = (SORTS as readonly string[]).includes(params.get("sort") ?? "") ? (params.get("sort") as Sort) : "sort";
  const page = Math.max(1, Number(params.get("page")) || 1);
  const [search, setSearch] = useState(q);
  const [error, setError] = useState<string | null>(null);

  function setParams(next: Record<string, string | number | null>) {
    const sp = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(next)) {
      if (v === null || v === "" || (k === "page" && v === 1)) sp.delete(k);
      else sp.set(k, String(v));
    }
    router.replace(`${pathname}${sp.size ? `?${sp}` : ""}`);
  }

  const categories = useQuery(trpc.merchantCatalog.categories.queryOptions());
  const list = useQuery(
    trpc.merchantCatalog.products.queryOptions({ q: q || undefined, category: category || undefined, shelf: shelf || undefined, sort, page, pageSize: 20 }),
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.merchantCatalog.pathKey() });
  const setShelf = useMutation(trpc.merchantCatalog.setShelf.mutationOptions({ onSuccess: refresh, onError: (e) => setError(e.message) }));
  const setSort = useMutation(trpc.merchantCatalog.setSort.mutationOptions({ onSuccess: refresh, onError: (e) => setError(e.message) }));
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / list.data.pageSize)) : 1;

  return (
    <div className="space-y-4">
      <form
        className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 shadow-sm"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ q: search.trim(), page: 1 });
        }}
      >
        <input
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder={t("mcat.products.search")}
          aria-label={t("mcat.products.search")}
          className="h-9 w-64 rounded border border-neutral-300 px-3 text-sm"
        />
        <select aria-label={t("mcat.col.category")} value={category} onChange={(e) => setParams({ category: e.target.value, page: 1 })} className="h-9 rounded border border-neutral-300 px-2 text-sm">
          <option value="">{t("mcat.products.allCategories")}</option>
          {categories.data?.map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.name}
            </option>
          ))}
        </select>
        <select aria-label={t("mcat.col.shelf")} value={shelf} onChange={(e) => setParams({ shelf: e.target.value, page: 1 })} className="h-9 rounded border border-neutral-300 px-2 text-sm">
          <option value="">{t("mcat.products.allShelf")}</option>
          <option value="on">{t("mcat.products.onShelf")}</option>
          <option value="off">{t("mcat.products.offShelf")}</option>
        </select>
        <select aria-label={t("mcat.products.sortBy")} value={sort} onChange={(e) => setParams({ sort: e.target.value === "sort" ? null : e.target.value, page: 1 })} className="h-9 rounded border border-neutral-300 px-2 text-sm">
          {SORTS.map((s) => (
            <option key={s} value={s}>
              {t(`mcat.products.sort.${s}`)}
            </option>
          ))}
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

      <div className="overflow-x-auto rounded-lg bg-white shadow-sm">
        <table className="w-full min-w-[900px] text-sm">
          <thead className="bg-neutral-50 text-left text-xs text-neutral-500">
            <tr>
              <th className="px-4 py-2.5 font-medium">{t("mcat.col.product")}</th>
              <th className="px-4 py-2.5 font-medium">{t("mcat.col.category")}</th>
              <th className="px-4 py-2.5 text-right font-medium">{t("mcat.col.price")}</th>
              <th className="px-4 py-2.5 text-right font-medium">{t("mcat.col.stock")}</th>
              <th className="px-4 py-2.5 text-right font-medium">{t("mcat.col.skus")}</th>
              <th className="px-4 py-2.5 font-medium">{t("mcat.col.sort")}</th>
              <th className="px-4 py-2.5 font-medium">{t("mcat.col.shelf")}</th>
              <th className="px-4 py-2.5 font-medium">{t("mcat.col.actions")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-neutral-100">
            {list.data?.items.map((p) => (
              <tr key={p.id} data-testid="product-row" data-product-id={p.id}>
                <td className="px-4 py-2">
                  <div className="flex items-center gap-3">
                    <div className="w-11 shrink-0 overflow-hidden rounded">
                      <ProductImage src={thumbnailUrl(p.imageUrl)} name={p.name} className="!p-0.5 !text-[8px]" />
                    </div>
                    <div className="min-w-0">
                      <div className="truncate font-medium text-neutral-800">{p.name}</div>
                      <div className="truncate text-xs text-neutral-400">{p.codes.join(" · ")}</div>
                    </div>
                  </div>
                </td>
                <td className="px-4 py-2 text-neutral-600">{p.categoryName}</td>
                <td className="px-4 py-2 text-right tabular-nums">
                  {p.minPriceFen === p.maxPriceFen ? formatYuan(p.minPriceFen) : `${formatYuan(p.minPriceFen)} ~ ${formatYuan(p.maxPriceFen)}`}
                </td>
                <td className={`px-4 py-2 text-right tabular-nums ${p.stock <= 10 ? "text-amber-600" : ""}`}>{p.stock}</td>
                <td className="px-4 py-2 text-right tabular-nums">{p.skuCount}</td>
                <td className="px-4 py-2">
                  <input
                    type="number"
                    defaultValue={p.sort}
                    aria-label={`${t("mcat.col.sort")} ${p.name}`}
                    className="h-8 w-20 rounded border border-neutral-200 px-2 text-sm tabular-nums"
                    onBlur={(e) => {
                      const v = Number(e.target.value);
                      if (Number.isSafeInteger(v) && v !== p.sort) setSort.mutate({ id: p.id, sort: v });
                    }}
                  />
                </td>
                <td className="px-4 py-2">
                  <span className={`rounded px-2 py-0.5 text-xs ${p.active ? "bg-emerald-50 text-emerald-700" : "bg-neutral-100 text-neutral-500"}`}>
                    {p.active ? t("mcat.products.onShelf") : t("mcat.products.offShelf")}
                  </span>
                </td>
                <td className="space-x-3 whitespace-nowrap px-4 py-2">
                  <Link href={`/merchant/products/${p.id}`} className="text-rose-600 hover:underline">
                    {t("mcat.action.edit")}
                  </Link>
                  <button type="button" className="text-neutral-600 hover:underline" onClick={() => setShelf.mutate({ id: p.id, active: !p.active })}>
                    {p.active ? t("mcat.action.takeOff") : t("mcat.action.putOn")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.isPending ? <p className="py-12 text-center text-sm text-neutral-400">{t("common.loading")}</p> : null}
        {list.data && !list.data.items.length ? <p className="py-12 text-center text-sm text-neutral-400">{t("mcat.products.empty")}</p> : null}
      </div>

      <div className="flex items-center justify-between text-sm text-neutral-500">
        <span>{t("mcat.products.total", { n: list.data?.total ?? 0 })}</span>
        <div className="flex items-center gap-3">
          <button type="button" disabled={page <= 1} onClick={() => setParams({ page: page - 1 })} className="rounded border border-neutral-300 bg-white px-3 py-1 disabled:opacity-40">
            {t("mcat.page.prev")}
          </button>
          <span>{t("mcat.page.of", { page, pages })}</span>
          <button type="button" disabled={page >= pages} onClick={() => setParams({ page: page + 1 })} className="rounded border border-neutral-300 bg-white px-3 py-1 disabled:opacity-40">
            {t("mcat.page.next")}
          </button>
        </div>
      </div>
    </div>
  );
}
