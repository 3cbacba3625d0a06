import Link from "next/link";
import { AppShell } from "@/components/AppShell";
import { CategoryIcon } from "@/components/CategoryIcon";
import { api } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("category.title") };
}

export default async function CategoriesPage() {
  const [categories, t] = await Promise.all([api.catalog.categories(), getT()]);
  return (
    <AppShell title={t("category.all")}>
      <div className="grid grid-cols-3 gap-3 p-3">
        {categories.map((c, i) => (
          <Link prefetch={false} key={c.slug} href={`/category/${encodeURIComponent(c.slug)}`} className="flex flex-col items-center gap-2 rounded-xl bg-white py-4 text-sm shadow-sm">
            <CategoryIcon name={c.name} icon={c.icon} index={i} />
            {c.name}
          </Link>
        ))}
        {categories.length === 0 ? <p className="col-span-3 py-12 text-center text-sm text-neutral-400">{t("category.empty")}</p> : null}
      </div>
    </AppShell>
  );
}
