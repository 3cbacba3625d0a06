"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";

/**
 * A list page's state (filters, sort, page) kept in the URL, so a view can be shared and reloaded
 * (yudao / Dub pattern). `set` merges values; an empty value removes the parameter.
 */
export function useUrlState() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const get = useCallback((key: string) => params.get(key) ?? "", [params]);
  const set = useCallback(
    (values: Record<string, string | number | null | undefined>, opts: { resetPage?: boolean } = {}) => {
      const next = new URLSearchParams(params.toString());
      for (const [k, v] of Object.entries(values)) {
        if (v === null || v === undefined || v === "") next.delete(k);
        else next.set(k, String(v));
      }
      if (opts.resetPage) next.delete("page");
      const qs = next.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [params, router, pathname],
  );
  return { params, get, set };
}

/** Page (1-based), page size, and sort ("column.asc|desc") from the URL. */
export function useTableUrl(defaults: { pageSize?: number; sort?: string } = {}) {
  const { get, set, params } = useUrlState();
  const page = Math.max(1, Number.parseInt(get("page") || "1", 10) || 1);
  const pageSize = [20, 50, 100].includes(Number(get("size"))) ? Number(get("size")) : (defaults.pageSize ?? 20);
  const sortRaw = get("sort") || defaults.sort || "";
  const [sortId, sortDir] = sortRaw.split(".");
  const sort = sortId ? { id: sortId, desc: sortDir !== "asc" } : null;
  return { page, pageSize, sort, get, set, params };
}
