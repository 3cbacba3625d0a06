import Link from "next/link";
import { notFound } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { ProductGrid } from "@/components/ProductCard";
import { parseSort, SortBar } from "@/components/SortBar";
import { api } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { getDb } from "@/server/db";
import { getCategory } from "@/server/catalog";
import { categoryPageData, cursorParam } from "./data";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ sort?: string; cursor?: string | string[] }> };

export async function generateMetadata({ params }: Props) {
  const { slug } = await params;
  const [category, t] = await Promise.all([getDb().then((db) => getCategory(db, slug)), getT()]);
  return { title: category?.name ?? t("category.notFound") };
}

/**
 * A category's products, sortable by sales, newest and price (the sort is in the URL), a page at a time: 加载更多 is a
 * link to the next page (?cursor=, rendered here like the first), so it works without JS and on any instance.
 */
export default async function CategoryPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const query = await searchParams;
  const sort = parseSort(query.sort);
  const cursor = cursorParam(query.cursor);
  const [data, categories, t] = await Promise.all([getDb().then((db) => categoryPageData(db, { slug, sort, cursor })), api.catalog.categories(), getT()]);
  if (!data) notFound();
  const base = `/category/${encodeURIComponent(data.category.slug)}`;
  const pageHref = (next?: string) => {
    const q = new URLSearchParams();
    if (sort !== "default") q.set("sort", sort);
    if (next) q.set("cursor", next);
    const s = q.toString();
    return s ? `${base}?${s}` : base;
  };
  const later = cursor !== undefined && !data.cursorRefused;
  return (
    <AppShell title={data.category.name} back="/category">
      <nav className="flex gap-2 overflow-x-auto bg-white px-3 py-2 [scrollbar-width:none]" aria-label={t("category.title")}>
        {categories.map((c) => (
          <Link prefetch={false}
            key={c.slug}
            href={`/category/${encodeURIComponent(c.slug)}`}
            className={`relative shrink-0 rounded-full px-3 py-1 text-sm after:absolute after:inset-x-0 after:-inset-y-2 ${c.slug === data.category.slug ? "bg-rose-600 text-white" : "bg-neutral-100 text-neutral-600"}`}
          >
            {c.name}
          </Link>
        ))}
      </nav>
      <SortBar base={base} current={sort} />
      {data.cursorRefused ? (
        <p role="status" className="bg-amber-50 px-3 py-2 text-xs text-amber-700" data-testid="category-cursor-reset">
          {t("category.cursorReset")}
        </p>
      ) : null}
      {later ? (
        <Link prefetch={false} href={pageHref()} className="block px-3 pt-3 text-xs text-neutral-500" data-testid="category-first-page">
          {t("category.firstPage")}
        </Link>
      ) : null}
      <div className="p-3">
        <ProductGrid products={data.items} priorityCount={2} />
        {data.nextCursor ? (
          <Link prefetch={false} rel="next" href={pageHref(data.nextCursor)} className="mt-3 block rounded-full bg-white py-2.5 text-center text-sm text-neutral-700 shadow-sm active:opacity-80" data-testid="category-load-more">
            {t("category.loadMore")}
          </Link>
        ) : data.items.length && later ? (
          <p className="py-4 text-center text-xs text-neutral-400">{t("category.end")}</p>
        ) : null}
      </div>
    </AppShell>
  );
}
