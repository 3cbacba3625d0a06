import Link from "next/link";
import { PageHeader } from "../_components/staff";
import { getT } from "@/lib/i18n/server";

/** The catalogue pages' title and their 商品 / 分类 / 库存 tabs (the back-office shell draws the rest). */
export async function CatalogShell({ title, active, actions, children }: { title: string; active: "products" | "categories" | "stock"; actions?: React.ReactNode; children: React.ReactNode }) {
  const t = await getT();
  const tabs = [
    { key: "products", href: "/merchant/products", label: t("mcat.nav.products") },
    { key: "categories", href: "/merchant/categories", label: t("mcat.nav.categories") },
    { key: "stock", href: "/merchant/stock", label: t("mcat.nav.stock") },
  ] as const;
  return (
    <div className="mx-auto max-w-7xl">
      <PageHeader title={title}>{actions}</PageHeader>
      <nav className="mb-4 flex gap-1 border-b border-neutral-200 text-sm" aria-label={t("mcat.products.title")}>
        {tabs.map((tab) => (
          <Link
            key={tab.key}
            href={tab.href}
            aria-current={tab.key === active ? "page" : undefined}
            className={`-mb-px border-b-2 px-4 py-2 ${tab.key === active ? "border-rose-600 font-medium text-rose-700" : "border-transparent text-neutral-500 hover:text-neutral-800"}`}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      {children}
    </div>
  );
}
