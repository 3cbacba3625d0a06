"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";

export function AddToCart({ productId, sku, stock, signedIn }: { productId: number; sku: string; stock: number; signedIn: boolean }) {
  const t = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  const add = useMutation(
    trpc.cart.add.mutationOptions({
      onSuccess: async () => {
        setMessage(t("product.added"));
        await queryClient.invalidateQueries({ queryKey: trpc.cart.pathKey() });
      },
      onError: (err) => setMessage(err.message),
    }),
  );

  function onAdd() {
    if (!signedIn) {
      router.push(`/login?callbackUrl=${encodeURIComponent(`/product/${productId}`)}`);
      return;
    }
    add.mutate({ productId, qty: 1 });
  }

  return (
    <div className="fixed inset-x-0 bottom-0 z-20 mx-auto flex max-w-md items-center gap-2 border-t border-neutral-200 bg-white px-3 py-2 pb-[max(0.5rem,env(safe-area-inset-bottom))]">
      <Link href="/cart" className="flex w-14 flex-col items-center text-[11px] text-neutral-500">
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
            disabled={stock <= 0 || add.isPending}
            className={`h-11 flex-1 bg-gradient-to-r from-amber-400 to-orange-500 text-base font-medium text-white disabled:opacity-50 ${stock <= 0 ? "rounded-full" : "rounded-l-full"}`}
          >
            {stock <= 0 ? t("product.soldOut") : add.isPending ? t("product.adding") : t("product.addToCart")}
          </button>
          {stock > 0 ? (
            <button
              type="button"
              onClick={() => {
                const target = `/checkout?sku=${encodeURIComponent(sku)}&qty=1`;
                router.push(signedIn ? target : `/login?callbackUrl=${encodeURIComponent(target)}`);
              }}
              className="h-11 flex-1 rounded-r-full bg-gradient-to-r from-orange-500 to-rose-600 text-base font-medium text-white"
            >
              {t("product.buyNow")}
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
