import Link from "next/link";
import { headers } from "next/headers";
import { AppShell } from "@/components/AppShell";
import { CategoryIcon } from "@/components/CategoryIcon";
import { ProductGrid } from "@/components/ProductCard";
import { ProductImage } from "@/components/ProductImage";
import { Price } from "@/components/Price";
import { rebateOfferParts } from "@/lib/i18n/rebate-offer";
import { SearchBox } from "@/components/SearchBox";
import { thumbnailUrl } from "@/server/storage/urls";
import { api } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { getShopName } from "@/app/_lib/shop";
// The offer as the visitor's own order would get it (SPEC §5): the rules in force, or once signed in their variant.
import { viewerIdOf, visitorRebate } from "@/app/_lib/visitor";
import { homeShareLink } from "@/app/_lib/home-share-link";
import { getDb } from "@/server/db";
import { loadConfig } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";

export const dynamic = "force-dynamic";

const BANNER_TONES = {
  red: "from-rose-600 via-rose-500 to-orange-400",
  orange: "from-orange-500 via-amber-500 to-yellow-400",
  violet: "from-violet-600 via-fuchsia-500 to-pink-400",
} as const;

// Up to 5 in one row, else two rows as even as they go: 6 as 3 + 3, not 5 and one alone (static classes for Tailwind).
const CATEGORY_COLUMNS = ["grid-cols-1", "grid-cols-1", "grid-cols-2", "grid-cols-3", "grid-cols-4", "grid-cols-5"] as const;
const categoryColumns = (count: number) => CATEGORY_COLUMNS[count <= 5 ? count : Math.ceil(count / 2)];

export default async function HomePage() {
  const viewerId = headers().then((h) => viewerIdOf(h.get("cookie")));
  const shareLink = viewerId.then(async (id) => {
    const db = await getDb();
    return homeShareLink(db, await loadConfig(db), id, appNow());
  });
  const [{ banners: allBanners, categories, products }, t, rebate, shop, share] = await Promise.all([api.catalog.home(), getT(), viewerId.then(visitorRebate), getShopName(), shareLink]);
  // The campaign's own words (n, cashback share); no 推三返一 banner or strip while the campaign is off.
  // A cap, store credit or a minimum order is said here too: "全额返现" only for an uncapped full cash refund.
  const offer = rebateOfferParts(t, rebate);
  const banners = rebate.enabled ? allBanners : allBanners.filter((b) => b.id !== "refer3");
  return (
    <AppShell>
      <header className="bg-gradient-to-b from-rose-600 to-rose-500 px-4 pb-14 pt-4 text-white">
        <div className="flex items-center justify-between">
          <h1 className="text-xl font-bold tracking-wide" data-testid="shop-name">{shop}</h1>
          <Link prefetch={false} href={share.href} className="relative rounded-full bg-white/20 px-3 py-1 text-xs after:absolute after:inset-x-0 after:-inset-y-2.5" data-testid="home-share-link">
            {t(share.label)}
          </Link>
        </div>
        <p className="mt-1 text-xs text-rose-100">{t("home.tagline")}</p>
        <div className="mt-3">
          <SearchBox />
        </div>
      </header>

      <section className="-mt-11 px-3" aria-label={t("home.events")}>
        <div className="flex snap-x snap-mandatory gap-3 overflow-x-auto pb-1 [scrollbar-width:none]">
          {banners.map((b, i) => (
            <Link prefetch={false}
              key={b.id}
              href={b.href}
              className={`relative flex h-32 w-[88%] shrink-0 snap-center flex-col justify-center overflow-hidden rounded-2xl bg-gradient-to-r px-5 text-white shadow-md ${BANNER_TONES[b.tone]}`}
            >
              {b.priceFen !== undefined ? (
                // A best seller from the catalogue: picture, name, price, pieces sold.
                <span className="flex items-center gap-3" data-testid="product-banner">
                  <span className="w-24 shrink-0 overflow-hidden rounded-xl bg-white/20">
                    <ProductImage src={thumbnailUrl(b.imageUrl ?? null)} name={b.title} priority={i === 0} />
                  </span>
                  <span className="min-w-0">
                    <span className="line-clamp-2 text-base font-bold">{b.title}</span>
                    <span className="mt-1 block text-xs text-white/90">{t("product.sales", { n: b.salesCount ?? 0 })}</span>
                    <Price fen={b.priceFen} size="sm" className="mt-1 inline-block rounded-full bg-white px-2" />
                  </span>
                </span>
              ) : (
                <>
                  <span className="text-2xl font-extrabold">{t.opt(`home.banner.${b.id}.title`, b.title)}</span>
                  <span className="mt-1 text-sm text-white/90">{t.opt(`home.banner.${b.id}.subtitle`, b.subtitle, offer)}</span>
                  <span className="mt-3 w-fit rounded-full bg-white px-3 py-0.5 text-xs font-medium text-rose-600">{t("home.join")}</span>
                </>
              )}
              <span className="absolute -right-6 -top-6 h-28 w-28 rounded-full bg-white/15" aria-hidden />
              <span className="absolute -bottom-10 right-10 h-24 w-24 rounded-full bg-white/10" aria-hidden />
            </Link>
          ))}
        </div>
      </section>

      {categories.length ? (
        <section className={`mx-3 mt-3 grid ${categoryColumns(Math.min(categories.length, 10))} gap-y-3 rounded-2xl bg-white py-3`} aria-label={t("home.categories")}>
          {categories.slice(0, 10).map((c, i) => (
            <Link prefetch={false} key={c.slug} href={`/category/${encodeURIComponent(c.slug)}`} className="flex flex-col items-center gap-1 text-xs text-neutral-700">
              <CategoryIcon name={c.name} icon={c.icon} index={i} />
              <span className="max-w-16 truncate">{c.name}</span>
            </Link>
          ))}
        </section>
      ) : null}

      {rebate.enabled ? (
        <section className="mx-3 mt-3 flex items-center gap-3 rounded-2xl bg-gradient-to-r from-amber-50 to-rose-50 p-3 text-sm" aria-label={t("home.rebateAria")} data-testid="home-rebate">
          <span className="shrink-0 whitespace-nowrap rounded-lg bg-rose-600 px-2 py-1 text-xs font-bold text-white">{t("rebate.badge")}</span>
          <span className="flex-1 text-pretty text-neutral-700">{t("home.rebateLine", offer)}</span>
          <Link prefetch={false} href="/promote" className="relative shrink-0 whitespace-nowrap text-xs text-rose-600 after:absolute after:-left-1 after:-right-3 after:-inset-y-3.5">
            {t("home.invite")}
          </Link>
        </section>
      ) : null}

      <section className="px-3 pt-4" aria-label={t("home.products")}>
        <h2 className="mb-2 flex items-center gap-2 text-base font-bold">
          <span className="h-4 w-1 rounded bg-rose-600" />
          {t("home.recommended")}
        </h2>
        <ProductGrid products={products} priorityCount={2} />
      </section>
    </AppShell>
  );
}
