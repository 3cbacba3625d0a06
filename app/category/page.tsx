import Link from "next/link";
import { AppShell } from "@/components/AppShell";
import { CategoryIcon } from "@/components/CategoryIcon";
import { api } from "@/trpc/server";

export const dynamic = "force-dynamic";
export const metadata = { title: "分类" };

export default async function CategoriesPage() {
  const categories = await api.catalog.categories();
  return (
    <AppShell title="全部分类">
      <div className="grid grid-cols-3 gap-3 p-3">
        {categories.map((c, i) => (
          <Link key={c.slug} href={`/category/${encodeURIComponent(c.slug)}`} className="flex flex-col items-center gap-2 rounded-xl bg-white py-4 text-sm shadow-sm">
            <CategoryIcon name={c.name} index={i} />
            {c.name}
          </Link>
        ))}
        {categories.length === 0 ? <p className="col-span-3 py-12 text-center text-sm text-neutral-400">暂无分类</p> : null}
      </div>
    </AppShell>
  );
}
