"use client";

import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Price } from "@/components/Price";
import { ProductImage } from "@/components/ProductImage";
import { thumbnailUrl } from "@/server/storage/urls";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";

export function CartView() {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cart = useQuery(trpc.cart.list.queryOptions());
  const setQty = useMutation(
    trpc.cart.setQty.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.cart.pathKey() }) }),
  );

  if (cart.isPending) return <p className="py-16 text-center text-sm text-neutral-400">{t("common.loading")}</p>;
  if (cart.isError) return <p className="py-16 text-center text-sm text-rose-600">{cart.error.message}</p>;
  const { items, totalFen } = cart.data;
  if (!items.length)
    return (
      <div className="flex flex-col items-center gap-3 py-20 text-sm text-neutral-400">
        {t("cart.empty")}
        <Link href="/" className="rounded-full border border-rose-500 px-4 py-1.5 text-rose-600">
          {t("cart.browse")}
        </Link>
      </div>
    );

  return (
    <>
      <ul className="space-y-2 p-3">
        {items.map((i) => (
          <li key={i.skuId} className="flex gap-3 rounded-xl bg-white p-3 shadow-sm" data-testid="cart-line">
            <Link href={`/product/${i.productId}`} className="w-20 shrink-0 overflow-hidden rounded-lg">
              <ProductImage src={thumbnailUrl(i.product.imageUrl)} name={i.product.name} />
            </Link>
            <div className="flex flex-1 flex-col justify-between">
              <div className="line-clamp-2 text-sm">{i.product.name}</div>
              {i.product.skuLabel ? (
                <div className="mt-0.5 w-fit rounded bg-neutral-100 px-1.5 py-0.5 text-xs text-neutral-500" data-testid="cart-sku">
                  {i.product.skuLabel}
                </div>
              ) : null}
              {!i.product.active || i.product.stock < i.qty ? <div className="text-xs text-amber-600">{t("cart.lowStock")}</div> : null}
              <div className="flex items-center justify-between">
                <Price fen={i.product.priceFen} size="sm" />
                <div className="flex items-center rounded-full border border-neutral-200 text-sm">
                  <button type="button" className="px-2.5 py-0.5" aria-label={t("cart.decrease")} onClick={() => setQty.mutate({ skuId: i.skuId, qty: i.qty - 1 })}>
                    −
                  </button>
                  <span className="min-w-6 text-center tabular-nums">{i.qty}</span>
                  <button
                    type="button"
                    className="px-2.5 py-0.5 disabled:opacity-30"
                    aria-label={t("cart.increase")}
                    disabled={i.qty >= i.product.stock}
                    onClick={() => setQty.mutate({ skuId: i.skuId, qty: i.qty + 1 })}
                  >
                    +
                  </button>
                </div>
              </div>
            </div>
          </li>
        ))}
      </ul>
      <div className="fixed inset-x-0 bottom-14 z-10 mx-auto flex max-w-md items-center justify-between border-t border-neutral-100 bg-white px-4 py-2">
        <span className="text-sm">
          {t("cart.total")} <Price fen={totalFen} />
        </span>
        {items.some((i) => i.available) ? (
          <Link href="/checkout" className="rounded-full bg-gradient-to-r from-orange-500 to-rose-600 px-6 py-2 text-sm font-medium text-white">
            {t("cart.checkout")}
          </Link>
        ) : (
          <span className="rounded-full bg-neutral-300 px-6 py-2 text-sm font-medium text-white">{t("cart.checkout")}</span>
        )}
      </div>
    </>
  );
}
