"use client";

// The cart: tick lines (or 全选) for checkout, change quantities, delete; the total and the
// checkout button follow the ticked lines (the server keeps the ticks and computes the totals).
import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Price } from "@/components/Price";
import { ProductImage } from "@/components/ProductImage";
import { thumbnailUrl } from "@/server/storage/urls";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";

export function CartView({ recommendations }: { recommendations: React.ReactNode }) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [managing, setManaging] = useState(false);
  const cart = useQuery(trpc.cart.list.queryOptions());
  const refresh = { onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.cart.pathKey() }) };
  const setQty = useMutation(trpc.cart.setQty.mutationOptions(refresh));
  // Ticks the shopper just changed show at once (a controlled checkbox must re-render in the same event),
  // until the cart refetched after the last overlapping tick request agrees; the totals come from the server.
  const [pendingTicks, setPendingTicks] = useState<Record<number, boolean>>({});
  const select = useMutation(
    trpc.cart.select.mutationOptions({
      onSettled: async () => {
        if (queryClient.isMutating({ mutationKey: trpc.cart.select.mutationKey() }) > 1) return;
        await queryClient.invalidateQueries({ queryKey: trpc.cart.pathKey() });
        setPendingTicks({});
      },
    }),
  );
  const tick = (skuIds: number[], selected: boolean, all: boolean) => {
    setPendingTicks((p) => ({ ...p, ...Object.fromEntries(skuIds.map((id) => [id, selected])) }));
    select.mutate(all ? { selected } : { skuIds, selected });
  };
  const remove = useMutation(trpc.cart.remove.mutationOptions(refresh));

  if (cart.isPending) return <p className="py-16 text-center text-sm text-neutral-400">{t("common.loading")}</p>;
  if (cart.isError) return <p className="py-16 text-center text-sm text-rose-600">{errorText(t, cart.error)}</p>;
  const { items, totalFen, selectedCount } = cart.data;
  if (!items.length)
    return (
      <>
        <div className="flex flex-col items-center gap-3 py-14 text-sm text-neutral-400" data-testid="cart-empty">
          {t("cart.empty")}
          <Link href="/" className="rounded-full border border-rose-500 px-4 py-1.5 text-rose-600">
            {t("cart.browse")}
          </Link>
        </div>
        <section className="px-3" aria-label={t("cart.recommend")}>
          <h2 className="mb-2 text-center text-sm font-semibold text-neutral-600">— {t("cart.recommend")} —</h2>
          {recommendations}
        </section>
      </>
    );

  const isTicked = (i: (typeof items)[number]) => pendingTicks[i.skuId] ?? i.selected;
  const allSelected = items.every(isTicked);
  const ticked = items.filter(isTicked);
  const blocked = ticked.some((i) => !i.available);
  const canCheckout = selectedCount > 0 && !blocked;

  return (
    // The bottom padding is the checkout bar's height: the last line scrolls clear of it.
    <div className="pb-14">
      <div className="flex justify-end px-4 pt-2 text-sm">
        <button type="button" className="relative text-neutral-600 after:absolute after:-inset-x-3 after:-inset-y-3" onClick={() => setManaging((m) => !m)} data-testid="cart-manage">
          {managing ? t("cart.done") : t("cart.manage")}
        </button>
      </div>
      <ul className="space-y-2 p-3 pt-2">
        {items.map((i) => (
          <li key={i.skuId} className="flex items-center gap-2 rounded-xl bg-white p-3 shadow-sm" data-testid="cart-line" data-selected={isTicked(i)}>
            {/* The label's padding, cancelled by its negative margins, makes the 20 px box a 44 × 44 tap target. */}
            <label className="-my-3 -ml-4 -mr-2 flex shrink-0 py-3 pl-4 pr-2">
              <input
                type="checkbox"
                className="h-5 w-5 shrink-0 accent-rose-600"
                aria-label={t("cart.selectLine", { name: i.product.name })}
                checked={isTicked(i)}
                onChange={(e) => tick([i.skuId], e.target.checked, false)}
              />
            </label>
            <Link href={`/product/${i.productId}`} className="w-20 shrink-0 overflow-hidden rounded-lg">
              <ProductImage src={thumbnailUrl(i.product.imageUrl)} name={i.product.name} />
            </Link>
            <div className="flex min-w-0 flex-1 flex-col justify-between self-stretch">
              <div className="line-clamp-2 text-sm">{i.product.name}</div>
              {i.product.skuLabel ? (
                <div className="mt-0.5 w-fit rounded bg-neutral-100 px-1.5 py-0.5 text-xs text-neutral-500" data-testid="cart-sku">
                  {i.product.skuLabel}
                </div>
              ) : null}
              {!i.available ? (
                <div className="text-xs text-amber-600" data-testid="cart-line-problem">
                  {!i.product.active ? t("checkout.problem.inactive") : i.product.stock <= 0 ? t("checkout.problem.soldOut") : t("checkout.problem.lowStock", { n: i.product.stock })}
                </div>
              ) : null}
              <div className="flex items-center justify-between">
                <Price fen={i.product.priceFen} size="sm" />
                {managing ? (
                  <button
                    type="button"
                    className="relative rounded-full border border-rose-300 px-3 py-0.5 text-xs text-rose-600 after:absolute after:-inset-x-1 after:-inset-y-3"
                    onClick={() => remove.mutate({ skuIds: [i.skuId] })}
                    data-testid="cart-delete"
                  >
                    {t("cart.delete")}
                  </button>
                ) : (
                  <div className="flex items-center rounded-full border border-neutral-200 text-sm">
                    <button type="button" className="relative px-2.5 py-0.5 after:absolute after:-inset-x-2 after:-inset-y-2.5" aria-label={t("cart.decreaseItem", { name: i.product.name })} onClick={() => setQty.mutate({ skuId: i.skuId, qty: i.qty - 1 })}>
                      −
                    </button>
                    {/* The new quantity is read out after − or +, which stay focused. */}
                    <span className="min-w-6 text-center tabular-nums" aria-live="polite" data-testid="cart-qty">
                      {i.qty}
                    </span>
                    <button
                      type="button"
                      className="relative px-2.5 py-0.5 after:absolute after:-inset-x-2 after:-inset-y-2.5 disabled:opacity-30"
                      aria-label={t("cart.increaseItem", { name: i.product.name })}
                      disabled={!i.product.active || i.qty >= i.product.stock}
                      onClick={() => setQty.mutate({ skuId: i.skuId, qty: i.qty + 1 })}
                    >
                      +
                    </button>
                  </div>
                )}
              </div>
            </div>
          </li>
        ))}
      </ul>
      {/* A quantity change or deletion the server refused says why, not nothing. */}
      {setQty.error || remove.error ? (
        <p role="alert" className="mx-3 mb-2 rounded-lg bg-rose-50 px-3 py-2 text-xs text-rose-600">
          {errorText(t, setQty.error ?? remove.error)}
        </p>
      ) : null}
      {blocked ? (
        <p role="status" className="mx-3 rounded-lg bg-amber-50 px-3 py-2 text-xs text-amber-700">
          {t("cart.unavailableSelected")}
        </p>
      ) : null}
      {/* Right above the tab bar, whose height grows by the phone's bottom safe area (TabBar). */}
      <div className="fixed inset-x-0 bottom-[calc(3.5rem+env(safe-area-inset-bottom))] z-10 mx-auto flex max-w-md items-center gap-3 border-t border-neutral-100 bg-white px-4 py-2">
        <label className="-my-3 -ml-4 flex items-center gap-1.5 py-3 pl-4 text-sm text-neutral-700">
          <input type="checkbox" className="h-5 w-5 accent-rose-600" checked={allSelected} onChange={(e) => tick(items.map((i) => i.skuId), e.target.checked, true)} data-testid="cart-select-all" />
          {t("cart.selectAll")}
        </label>
        <span className="flex-1 text-right text-sm" data-testid="cart-total" data-fen={totalFen}>
          {managing ? null : (
            <>
              {t("cart.total")} <Price fen={totalFen} />
            </>
          )}
        </span>
        {managing ? (
          <button
            type="button"
            disabled={ticked.length === 0}
            onClick={() => remove.mutate({ skuIds: ticked.map((i) => i.skuId) })}
            className="rounded-full border border-rose-500 px-5 py-2.5 text-sm text-rose-600 disabled:opacity-40"
          >
            {t("cart.deleteSelected")}
          </button>
        ) : canCheckout ? (
          <Link href="/checkout" className="rounded-full bg-gradient-to-r from-orange-700 to-rose-700 px-6 py-2.5 text-sm font-medium text-white" data-testid="cart-checkout">
            {t("cart.checkoutCount", { n: selectedCount })}
          </Link>
        ) : (
          <span className="rounded-full bg-neutral-300 px-6 py-2.5 text-sm font-medium text-white" aria-disabled="true" data-testid="cart-checkout">
            {t("cart.checkoutCount", { n: selectedCount })}
          </span>
        )}
      </div>
    </div>
  );
}
