"use client";

// The product's gallery, price, sales and stock state, "分享赚 ¥X" and the 推三返一 cashback, SKU picker
// (option groups; a sold-out value says 已售罄 and is not chosen), quantity stepper, and the add-to-cart / buy-now bar.
// Price, stock, picture and the amounts follow the chosen SKU (amounts computed by the engine, per SKU); the logic is sku-choice.ts.
import dynamic from "next/dynamic";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { formatFen } from "@/components/money";
import { stockState } from "@/server/catalog/stock";
import type { SkuOffer } from "@/server/promotion/product-offer";
import { Gallery } from "./Gallery";
import { Price } from "@/components/Price";
import { useT } from "@/lib/i18n/client";
import type { Locale } from "@/lib/i18n/core";
import { errorText } from "@/lib/i18n/labels";
import { MAX_CART_QTY } from "@/server/cart/limits";
import { buyableOf, candidatesOf, cashbackClaim, matches, priceRange, valueState } from "./sku-choice";

export interface PickerSku {
  id: number;
  code: string;
  options: string[];
  priceFen: number;
  stock: number;
  imageUrl: string | null;
}

interface Props {
  productId: number;
  name: string;
  categoryName: string | null;
  images: string[];
  optionGroups: { name: string; values: string[] }[];
  skus: PickerSku[];
  signedIn: boolean;
  salesCount: number;
  offers: SkuOffer[];
  /**
   * The 推三返一 campaign this viewer's order would follow (null: off, or a frozen viewer): its terms as every text states
   * them (rebateOfferParts: store credit, minimum order) and the offer in words, said when no shown SKU earns an amount.
   */
  rebate: { n: number; windowDays: number; terms: string; offerText: string } | null;
  /** The viewer's share link; null for a visitor. */
  shareLink: string | null;
}

/** Compact units by size: 万/亿 in Chinese, K/M/B in English. */
const COMPACT_UNITS: Record<Locale, [number, string][]> = {
  "zh-CN": [
    [100_000_000, "亿"],
    [10_000, "万"],
  ],
  en: [
    [1_000_000_000, "B"],
    [1_000_000, "M"],
    [1_000, "K"],
  ],
};

/**
 * The sales count in the page's language, compact and never rounded up: 12 345 → "1.2万" in zh-CN, "12.3K" in English.
 * Integer arithmetic, not Intl's roundingMode: older WebViews (Chrome < 106, Safari < 15.4) ignore it and round 19 999 up.
 */
export function salesText(n: number, locale: Locale): string {
  const count = Math.max(0, Math.floor(n));
  const unit = COMPACT_UNITS[locale].find(([size]) => count >= size);
  if (!unit) return String(count);
  const tenths = Math.floor(count / (unit[0] / 10));
  return `${Math.floor(tenths / 10)}${tenths % 10 ? `.${tenths % 10}` : ""}${unit[1]}`;
}

// Opened by a click only: not part of the page's first load.
const ShareSheet = dynamic(() => import("./ShareSheet").then((m) => m.ShareSheet));

export function SkuPurchase({ productId, name, categoryName, images, optionGroups, skus, signedIn, salesCount, offers, rebate, shareLink }: Props) {
  const t = useT();
  const router = useRouter();
  const [picked, setPicked] = useState<(string | null)[]>(() => optionGroups.map(() => null));
  const [qty, setQty] = useState(1);
  const [sharing, setSharing] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);

  const chosen = useMemo(
    () => (optionGroups.length === 0 ? skus[0] ?? null : picked.every((v) => v !== null) ? (skus.find((s) => matches(s, picked)) ?? null) : null),
    [optionGroups.length, picked, skus],
  );
  const candidates = candidatesOf(skus, picked);
  // Before a choice the page states what can be bought: a sold-out SKU's price is no offer (all SKUs only when all are sold out).
  const buyable = buyableOf(candidates);
  const range = priceRange(buyable) ?? { minFen: 0, maxFen: 0 };
  const minPrice = range.minFen;
  const maxPrice = range.maxFen;
  const stock = chosen ? chosen.stock : candidates.reduce((n, s) => n + Math.max(0, s.stock), 0);
  const maxQty = Math.max(1, Math.min(chosen?.stock ?? 1, MAX_CART_QTY));
  const soldOut = skus.every((s) => s.stock <= 0);
  const missing = optionGroups.find((_, i) => picked[i] === null);

  // A value is chosen when some SKU in stock has it with the other groups' choices; a sold-out one says so when tapped.
  function pick(group: number, value: string) {
    if (picked[group] !== value && valueState(skus, picked, group, value) === "sold_out") {
      setMessage(t("product.skuSoldOutTapped", { value }));
      return;
    }
    setMessage(null);
    setPicked((prev) => prev.map((v, i) => (i === group ? (v === value ? null : value) : v)));
    setQty(1);
  }

  // The product's pictures, then SKU pictures not among them; choosing a SKU shows its picture.
  const gallery = [...images, ...skus.map((s) => s.imageUrl).filter((u): u is string => !!u && !images.includes(u))].filter((u, i, all) => all.indexOf(u) === i);
  const focus = chosen?.imageUrl ? gallery.indexOf(chosen.imageUrl) : null;

  // 分享赚 of the chosen SKU, else of the cheapest buyable candidate (what the "from" price shows).
  const offerOf = (skuId: number) => offers.find((o) => o.skuId === skuId);
  const shown = chosen ?? buyable.reduce<PickerSku | null>((best, s) => (best === null || s.priceFen < best.priceFen ? s : best), null);
  const offer = shown ? offerOf(shown.id) : undefined;
  // 推三返一: the chosen SKU's amount; before a choice the highest a buyable candidate earns, 最高可返 when they differ (the
  // cheapest's would undersell the dearer ones, and a range would repeat the price range above it).
  const cashback = cashbackClaim((chosen ? [chosen] : buyable).map((s) => offerOf(s.id)?.cashbackFen ?? 0));
  const state = stockState(stock);

  // The tRPC client is loaded at the first add to cart (trpc/lazy.ts), not with the page.
  async function addToCart(skuId: number) {
    setAdding(true);
    try {
      const { client, queryClient, trpc } = await import("@/trpc/lazy");
      await client.cart.add.mutate({ skuId, qty });
      setMessage(t("product.added"));
      await queryClient.invalidateQueries({ queryKey: trpc.cart.pathKey() });
    } catch (err) {
      setMessage(err instanceof Error ? errorText(t, err) : String(err));
    } finally {
      setAdding(false);
    }
  }

  function needChoice(): boolean {
    if (chosen) return false;
    setMessage(missing ? t("sku.choose", { name: missing.name }) : t("product.soldOut"));
    return true;
  }
  function onAdd() {
    if (!signedIn) {
      router.push(`/login?callbackUrl=${encodeURIComponent(`/product/${productId}`)}`);
      return;
    }
    if (needChoice()) return;
    void addToCart(chosen!.id);
  }
  function onBuy() {
    if (needChoice()) return;
    const target = `/checkout?sku=${encodeURIComponent(chosen!.code)}&qty=${qty}`;
    router.push(signedIn ? target : `/login?callbackUrl=${encodeURIComponent(target)}`);
  }

  const chosenOut = chosen !== null && chosen.stock <= 0;
  return (
    <>
      <Gallery images={gallery} name={name} focus={focus} />
      <section className="bg-white p-4">
        <div className="flex items-start justify-between gap-3">
        <div data-testid="product-price" data-fen={chosen?.priceFen ?? minPrice}>
          {chosen || minPrice === maxPrice ? (
            <Price fen={chosen?.priceFen ?? minPrice} size="lg" />
          ) : (
            <span>
              <Price fen={minPrice} size="lg" />
              <span className="mx-1 text-rose-600">-</span>
              <Price fen={maxPrice} size="md" />
            </span>
          )}
        </div>
        <button
          type="button"
          className="relative shrink-0 rounded-full bg-gradient-to-r from-amber-700 to-orange-700 px-3 py-1.5 text-xs font-medium text-white shadow-sm after:absolute after:inset-x-0 after:-inset-y-2"
          data-testid="share-earn"
          data-fen={offer?.shareEarnFen ?? 0}
          onClick={() => (signedIn ? setSharing(true) : router.push(`/login?callbackUrl=${encodeURIComponent(`/product/${productId}`)}`))}
        >
          {offer && offer.shareEarnFen > 0 ? t("product.shareEarn", { amount: formatFen(offer.shareEarnFen) }) : t("product.share")}
        </button>
        </div>
        <h1 className="mt-2 text-lg font-semibold leading-snug" data-testid="product-name">
          {name}
        </h1>
        <div className="mt-2 flex gap-3 text-xs text-neutral-500">
          {categoryName ? <span>{t("product.category", { name: categoryName })}</span> : null}
          <span data-testid="product-sales" data-count={salesCount}>
            {t("product.sales", { n: salesText(salesCount, t.locale) })}
          </span>
          <span data-testid="product-stock" data-stock={stock} className={state === "low" ? "text-amber-600" : state === "sold_out" ? "text-neutral-400" : "text-emerald-600"}>
            {t(`product.stockState.${state}`)}
          </span>
        </div>
        {/* The page's one statement of 推三返一, next to the price its amount follows (none on a sold-out product: nothing to buy). */}
        {rebate && !soldOut ? (
          <p
            className="mt-3 flex items-center gap-2 rounded-lg bg-rose-50 px-3 py-2 text-xs text-rose-700"
            data-testid="product-cashback"
            data-fen={cashback?.fen ?? 0}
            data-up-to={cashback?.upTo ? "true" : undefined}
          >
            <span className="shrink-0 rounded bg-rose-600 px-1.5 py-0.5 font-bold text-white">{t("rebate.badge")}</span>
            <span className="text-pretty">
              {cashback
                ? t(cashback.upTo ? "product.cashbackUpTo" : "product.cashbackLine", { days: rebate.windowDays, n: rebate.n, amount: formatFen(cashback.fen), terms: rebate.terms })
                : rebate.offerText}
            </span>
          </p>
        ) : null}
      </section>

      <section className="mt-2 space-y-4 bg-white p-4" aria-label={t("sku.quantity")}>
        {optionGroups.map((g, gi) => (
          <div key={g.name} role="radiogroup" aria-label={g.name} data-testid="sku-group">
            <div className="mb-2 text-sm text-neutral-500">{g.name}</div>
            <div className="flex flex-wrap gap-2">
              {g.values.map((v) => {
                const on = picked[gi] === v;
                const offered = valueState(skus, picked, gi, v);
                const out = !on && offered === "sold_out";
                return (
                  <button
                    key={v}
                    type="button"
                    role="radio"
                    aria-checked={on}
                    // Sold out: readable, named so, and not chosen (a tap says why); no SKU with the other choices: disabled.
                    aria-disabled={out ? true : undefined}
                    aria-label={out ? t("product.skuSoldOutLabel", { value: v }) : undefined}
                    data-state={on ? "on" : offered}
                    disabled={!on && offered === "none"}
                    onClick={() => pick(gi, v)}
                    className={`relative min-w-12 rounded-full border px-3 py-2 text-sm after:absolute after:inset-x-0 after:-inset-y-1 ${
                      on
                        ? "border-rose-500 bg-rose-50 text-rose-600"
                        : offered === "available"
                          ? "border-neutral-200 text-neutral-800"
                          : out
                            ? "border-dashed border-neutral-300 bg-neutral-50 text-neutral-500"
                            : "border-dashed border-neutral-200 text-neutral-300"
                    }`}
                  >
                    {v}
                    {out ? (
                      <span className="ml-1.5 rounded bg-neutral-200 px-1 py-0.5 align-middle text-[11px] leading-none text-neutral-600" aria-hidden data-testid="sku-sold-out">
                        {t("product.soldOut")}
                      </span>
                    ) : null}
                  </button>
                );
              })}
            </div>
          </div>
        ))}
        <div className="flex items-center justify-between">
          <span className="text-sm text-neutral-500">
            {t("sku.quantity")}
            {chosen && optionGroups.length ? (
              <span className="ml-2 text-xs text-neutral-400" data-testid="sku-selected">
                {t("sku.selected", { label: chosen.options.join(" / ") })}
              </span>
            ) : null}
          </span>
          <div className="flex items-center rounded-full border border-neutral-200 text-sm">
            <button type="button" className="relative px-3 py-1 after:absolute after:-inset-x-1.5 after:-inset-y-2 disabled:opacity-30" aria-label={t("sku.decrease")} disabled={qty <= 1} onClick={() => setQty((q) => Math.max(1, q - 1))}>
              −
            </button>
            <span className="min-w-8 text-center tabular-nums" data-testid="qty">
              {qty}
            </span>
            <button
              type="button"
              className="relative px-3 py-1 after:absolute after:-inset-x-1.5 after:-inset-y-2 disabled:opacity-30"
              aria-label={t("sku.increase")}
              disabled={!chosen || qty >= maxQty}
              onClick={() => setQty((q) => Math.min(maxQty, q + 1))}
            >
              +
            </button>
          </div>
        </div>
      </section>

      {sharing && shareLink ? <ShareSheet productId={productId} link={shareLink} earnFen={offer?.shareEarnFen ?? 0} onClose={() => setSharing(false)} /> : null}

      <div className="fixed inset-x-0 bottom-0 z-20 mx-auto flex max-w-md items-center gap-2 border-t border-neutral-200 bg-white px-3 py-2 pb-[max(0.5rem,env(safe-area-inset-bottom))]">
        <Link prefetch={false} href="/cart" className="flex w-14 flex-col items-center text-[11px] text-neutral-500">
          <svg viewBox="0 0 24 24" className="h-6 w-6" fill="none" stroke="currentColor" strokeWidth={1.8} aria-hidden>
            <path d="M3 4h2l2.4 11h11.2L21 7H7M9 20a1 1 0 1 0 0-2 1 1 0 0 0 0 2zm9 0a1 1 0 1 0 0-2 1 1 0 0 0 0 2z" />
          </svg>
          {t("cart.title")}
        </Link>
        <div className="flex-1">
          {message ? (
            <p role="status" className="mb-1 text-center text-xs text-rose-600">
              {message}
            </p>
          ) : null}
          <div className="flex">
            <button
              type="button"
              onClick={onAdd}
              disabled={soldOut || chosenOut || adding}
              className={`h-11 flex-1 bg-gradient-to-r from-amber-700 to-orange-700 text-base font-medium text-white disabled:opacity-50 ${soldOut ? "rounded-full" : "rounded-l-full"}`}
            >
              {soldOut || chosenOut ? t("product.soldOut") : adding ? t("product.adding") : t("product.addToCart")}
            </button>
            {!soldOut ? (
              <button
                type="button"
                onClick={onBuy}
                disabled={chosenOut}
                className="h-11 flex-1 rounded-r-full bg-gradient-to-r from-orange-700 to-rose-700 text-base font-medium text-white disabled:opacity-50"
              >
                {t("product.buyNow")}
              </button>
            ) : null}
          </div>
        </div>
      </div>
    </>
  );
}
