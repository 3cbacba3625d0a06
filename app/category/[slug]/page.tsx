import Link from "next/link";
import { notFound } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { ProductGrid } from "@/components/ProductCard";
import { parseSort, SortBar } from "@/components/SortBar";
import { api } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ sort?: string }> };

export async function generateMetadata({ params }: Props) {
  const { slug } = await params;
  const [data, t] = await Promise.all([api.catalog.category({ slug }), getT()]);
  return { title: data?.category.name ?? t("category.notFound") };
}

/** A category's products, sortable by sales, newest and price (the sort is in the URL). */
export default async function CategoryPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const sort = parseSort((await searchParams).sort);
  const [data, categories, t] = await Promise.all([api.catalog.category({ slug, sort }), api.catalog.categories(), getT()]);
  if (!data) notFound();
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
      <SortBar base={`/category/${encodeURIComponent(data.category.slug)}`} current={sort} />
      <div className="p-3">
        <ProductGrid products={data.products} priorityCount={2} />
      </div>
    </AppShell>
  );
}
