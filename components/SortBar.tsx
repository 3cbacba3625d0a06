import Link from "next/link";
import { getT } from "@/lib/i18n/server";
import type { ProductSort } from "@/server/catalog";

const SORTS: ProductSort[] = ["default", "sales", "newest", "price_asc", "price_desc"];

/** 综合 / 销量 / 新品 / 价格↑ / 价格↓ as links (the sort lives in the URL: shareable, works without JS). */
export async function SortBar({ base, current, params = {} }: { base: string; current: ProductSort; params?: Record<string, string> }) {
  const t = await getT();
  const href = (sort: ProductSort) => {
    const q = new URLSearchParams(params);
    if (sort !== "default") q.set("sort", sort);
    const s = q.toString();
    return s ? `${base}?${s}` : base;
  };
  // 价格↑ and 价格↓ read as the same word "价格" to a screen reader: their names say the direction.
  return (
    <nav className="flex justify-between bg-white px-3 py-2 text-sm" aria-label={t("sort.label")} data-testid="sort-bar">
      {SORTS.map((s) => (
        <Link prefetch={false} key={s} href={href(s)} aria-label={s === "price_asc" || s === "price_desc" ? t(`sort.name.${s}`) : undefined} aria-current={s === current ? "true" : undefined} className={`relative after:absolute after:-inset-x-3 after:-top-1 after:-bottom-5 ${s === current ? "font-semibold text-rose-600" : "text-neutral-600"}`}>
          {t(`sort.${s}`)}
        </Link>
      ))}
    </nav>
  );
}

export function parseSort(raw: string | undefined): ProductSort {
  return SORTS.find((s) => s === raw) ?? "default";
}
