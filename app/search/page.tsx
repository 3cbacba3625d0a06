import { AppShell } from "@/components/AppShell";
import { ProductGrid } from "@/components/ProductCard";
import { SearchBox } from "@/components/SearchBox";
import { parseSort, SortBar } from "@/components/SortBar";
import { api } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ q?: string; sort?: string }> };

// NUL bytes are refused by the API's text() inputs: drop them from what was typed.
const queryOf = (raw: unknown) => (typeof raw === "string" ? raw.split("\u0000").join("").trim().slice(0, 100) : "");

export async function generateMetadata({ searchParams }: Props) {
  const [q, t] = [queryOf((await searchParams).q), await getT()];
  return { title: q ? t("search.titleFor", { q }) : t("search.title") };
}

/** 搜索: title and category words (partial Chinese input tolerated, server/catalog searchProducts), sortable. */
export default async function SearchPage({ searchParams }: Props) {
  const sp = await searchParams;
  const q = queryOf(sp.q);
  const sort = parseSort(sp.sort);
  const t = await getT();
  const results = q ? await api.catalog.search({ q, sort }) : [];
  const picks = q && results.length ? null : (await api.catalog.products({ limit: 6 })).items;
  return (
    <AppShell title={t("search.title")} back="/">
      <div className="bg-white px-3 pt-2">
        <SearchBox q={q} tone="white" />
      </div>
      {q ? <SortBar base="/search" current={sort} params={{ q }} /> : null}
      <div className="p-3" data-testid="search-results" data-count={results.length}>
        {q && results.length ? <ProductGrid products={results} /> : null}
        {q && !results.length ? (
          <p className="py-8 text-center text-sm text-neutral-500" data-testid="search-empty">
            {t("search.none", { q })}
          </p>
        ) : null}
        {picks ? (
          <section aria-label={t("cart.recommend")}>
            <h2 className="mb-2 text-center text-sm font-semibold text-neutral-600">— {t("cart.recommend")} —</h2>
            <ProductGrid products={picks} />
          </section>
        ) : null}
      </div>
    </AppShell>
  );
}
