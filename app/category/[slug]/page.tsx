import Link from "next/link";
import { notFound } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { ProductGrid } from "@/components/ProductCard";
import { api } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const [data, t] = await Promise.all([api.catalog.category({ slug: decodeURIComponent(slug) }), getT()]);
  return { title: data?.category.name ?? t("category.title") };
}

export default async function CategoryPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const [data, categories, t] = await Promise.all([api.catalog.category({ slug: decodeURIComponent(slug) }), api.catalog.categories(), getT()]);
  if (!data) notFound();
  return (
    <AppShell title={data.category.name} back="/category">
      <nav className="flex gap-2 overflow-x-auto bg-white px-3 py-2 [scrollbar-width:none]" aria-label={t("category.title")}>
        {categories.map((c) => (
          <Link
            key={c.slug}
            href={`/category/${encodeURIComponent(c.slug)}`}
            className={`shrink-0 rounded-full px-3 py-1 text-sm ${c.slug === data.category.slug ? "bg-rose-600 text-white" : "bg-neutral-100 text-neutral-600"}`}
          >
            {c.name}
          </Link>
        ))}
      </nav>
      <div className="p-3">
        <ProductGrid products={data.products} />
      </div>
    </AppShell>
  );
}
