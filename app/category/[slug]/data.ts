import type { Db, Tx } from "@/server/db";
import { getCategory, listCategoryProducts, type ProductSort } from "@/server/catalog";
import { DomainError } from "@/server/context";

/**
 * A category page: the category and one page of its products in `sort`, after `cursor` (the 加载更多 link's), or
 * null for an unknown category. A cursor the catalogue refuses (edited, cut short, another sort's) shows the first
 * page with `cursorRefused`, never an error page.
 */
export async function categoryPageData(db: Db | Tx, opts: { slug: string; sort: ProductSort; cursor?: string }) {
  const category = await getCategory(db, opts.slug);
  if (!category) return null;
  const list = (cursor?: string) => listCategoryProducts(db, { category: category.slug, sort: opts.sort, cursor });
  try {
    return { category, ...(await list(opts.cursor)), cursorRefused: false };
  } catch (e) {
    if (!(e instanceof DomainError && e.code === "INVALID_CURSOR") || opts.cursor === undefined) throw e;
  }
  return { category, ...(await list()), cursorRefused: true };
}

/** ?cursor= as the page got it: a repeated parameter is no cursor the catalogue made (refused like any other). */
export function cursorParam(raw: string | string[] | undefined): string | undefined {
  return raw === undefined || typeof raw === "string" ? raw : "";
}
