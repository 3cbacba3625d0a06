"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Price } from "@/components/Price";
import { ProductImage } from "@/components/ProductImage";
import { formatBps, formatYuan } from "@/components/money";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText, lineProblem } from "@/lib/i18n/labels";
import { AddressForm } from "@/components/address/AddressForm";
import type { Translator } from "@/lib/i18n/core";
import type { NothingToCheckOut } from "./nothing";

type Source = { kind: "cart" } | { kind: "buyNow"; sku: string; qty: number };

/** 32 hex digits from getRandomValues (crypto.randomUUID is missing outside secure contexts, e.g. a phone on the dev server's LAN address). */
/**
 * Whether an event on an address of the list picks it and closes the list: a tap or click (detail ≥ 1), Enter or
 * Space. Not the click an arrow key's move fires (detail 0): moving through the choices changes no context (WCAG 3.2.2).
 */
export function commitsAddress(e: { type: string; detail?: number; key?: string }): boolean {
  if (e.type === "click") return (e.detail ?? 0) > 0;
  return e.type === "keydown" && (e.key === "Enter" || e.key === " ");
}

const newCheckoutKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

export function CheckoutView({ source, nothing = null }: { source: Source; nothing?: NothingToCheckOut }) {
  const t = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const addresses = useQuery(trpc.address.list.queryOptions(undefined, { enabled: !nothing }));
  const preview = useQuery(trpc.order.preview.queryOptions({ source }, { retry: false, enabled: !nothing }));
  const [chosen, setChosen] = useState<number | null>(null);
  const [picking, setPicking] = useState(false);
  const [adding, setAdding] = useState(false);
  const [useCredit, setUseCredit] = useState(false);
  // One key for this page's checkout: a repeated 提交订单 gets the order already placed (server/orders createOrder).
  const [clientKey] = useState(newCheckoutKey);
  // Set in the tap itself: isPending disables the button only a render later, after a double tap's second click.
  const placing = useRef(false);
  // Opening the address list swaps 更换收货地址 away: the focus goes to the list's heading, and back to the button on close.
  const pickHeading = useRef<HTMLHeadingElement>(null);
  const changeButton = useRef<HTMLButtonElement>(null);
  const wasPicking = useRef(false);
  useEffect(() => {
    if (picking) pickHeading.current?.focus();
    else if (wasPicking.current) changeButton.current?.focus();
    wasPicking.current = picking;
  }, [picking]);
  const place = useMutation(
    trpc.order.place.mutationOptions({
      onSuccess: async (r) => {
        await queryClient.invalidateQueries({ queryKey: trpc.cart.pathKey() });
        // The cashier takes this page's place in the history: Back from it leads to where the shopper came from (the
        // product, the cart), not to a checkout that, shown afresh with a new key, would place the same order again.
        router.replace(r.cashierUrl);
      },
      onError: () => void queryClient.invalidateQueries({ queryKey: trpc.order.preview.queryKey({ source }) }),
    }),
  );
  // Should a browser keep this page in the history all the same (a cashier on another site opened without replacing) and
  // restore it as it was (placed, leaving): the order it placed is shown (去支付, its address), not a form whose changes the
  // same key would ignore, nor a cart emptied by the order.
  const placedId = place.data?.orderId;
  useEffect(() => {
    if (placedId === undefined) return;
    const restored = (e: PageTransitionEvent) => {
      if (e.persisted) router.replace(`/orders/${placedId}`);
    };
    window.addEventListener("pageshow", restored);
    return () => window.removeEventListener("pageshow", restored);
  }, [placedId, router]);

  if (nothing) return <NothingToOrder nothing={nothing} t={t} />;
  if (preview.isPending || addresses.isPending) return <p className="py-16 text-center text-sm text-neutral-400">{t("common.loading")}</p>;
  if (preview.isError)
    return (
      <div className="flex flex-col items-center gap-3 py-20 text-sm text-neutral-500">
        <p role="alert">{errorText(t, preview.error)}</p>
        <Link href="/" className="rounded-full border border-rose-500 px-4 py-1.5 text-rose-600">
          {t("checkout.browse")}
        </Link>
      </div>
    );
  const list = addresses.data ?? [];
  const address = list.find((a) => a.id === chosen) ?? list.find((a) => a.isDefault) ?? list[0] ?? null;
  const p = preview.data;
  const creditFen = useCredit ? p.creditUsableFen : 0;
  const payFen = p.goodsFen + p.shippingFen - creditFen;
  const showForm = adding || list.length === 0;
  // 提交订单 waits for an address: say so beside it rather than leave a grey button unexplained.
  const needAddress = !address || showForm;
  // Likewise a line that cannot be ordered (sold out, off the shelf): the reason, and the cart to fix it in.
  const hint = needAddress ? "needAddress" : !p.ok ? "linesBlocked" : null;
  // Placed: the page is on its way to the cashier.
  const submitting = place.isPending || place.isSuccess;
  const submit = () => {
    if (!address || placing.current) return;
    placing.current = true;
    // The amount on the screen: a price or credit that changed meanwhile is refused (PRICE_CHANGED) and the page refreshed.
    place.mutate({ source, addressId: address.id, useCredit, clientKey, expectedPayableFen: payFen }, { onError: () => (placing.current = false) });
  };

  return (
    <div className="space-y-2 p-3 pb-28">
      {/* Address */}
      <section className="rounded-xl bg-white p-4 shadow-sm" data-testid="checkout-address">
        {showForm ? (
          <>
            <h2 className="mb-3 text-sm font-semibold">{t("checkout.newAddress")}</h2>
            <AddressForm
              makeDefault={list.length === 0}
              onCancel={list.length ? () => setAdding(false) : undefined}
              onSaved={(a) => {
                setChosen(a.id);
                setAdding(false);
                setPicking(false);
              }}
            />
          </>
        ) : picking ? (
          <>
            <h2 ref={pickHeading} tabIndex={-1} id="checkout-pick-address" className="mb-2 text-sm font-semibold focus:outline-none">
              {t("checkout.pickAddress")}
            </h2>
            <div role="radiogroup" aria-labelledby="checkout-pick-address">
              <ul className="divide-y divide-neutral-100">
                {list.map((a) => (
                  <li key={a.id}>
                    {/* The list closes here, not on change: an arrow key only moves the choice. */}
                    <label
                      className="flex cursor-pointer items-start gap-3 py-2.5"
                      onClick={(e) => {
                        if (!commitsAddress(e)) return;
                        setChosen(a.id);
                        setPicking(false);
                      }}
                    >
                      <input
                        type="radio"
                        name="address"
                        className="mt-1 accent-rose-600"
                        checked={address?.id === a.id}
                        onChange={() => setChosen(a.id)}
                        onKeyDown={(e) => {
                          if (!commitsAddress(e)) return;
                          e.preventDefault();
                          setChosen(a.id);
                          setPicking(false);
                        }}
                      />
                      <span className="text-sm">
                        <span className="font-medium">{a.name}</span> <span className="text-neutral-500">{a.phone}</span>
                        {a.isDefault ? <span className="ml-1 rounded bg-rose-50 px-1 text-[10px] text-rose-600">{t("checkout.defaultBadge")}</span> : null}
                        <span className="block text-xs text-neutral-500">
                          {a.region} {a.detail}
                        </span>
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            </div>
            <button type="button" className="mt-2 w-full rounded-full border border-dashed border-rose-300 py-2 text-sm text-rose-600" onClick={() => setAdding(true)}>
              {t("checkout.addAddress")}
            </button>
            <button type="button" className="mt-2 w-full rounded-full border border-neutral-300 py-2 text-sm text-neutral-700" onClick={() => setPicking(false)}>
              {t("checkout.pickDone")}
            </button>
          </>
        ) : address ? (
          <button
            ref={changeButton}
            type="button"
            className="flex w-full items-center gap-3 text-left"
            onClick={() => setPicking(true)}
            aria-labelledby="checkout-change-address checkout-address-text"
          >
            <span id="checkout-change-address" hidden>
              {t("checkout.changeAddress")}
            </span>
            <span className="flex h-9 w-9 shrink-0 items-center justify-center rounded-full bg-rose-50 text-rose-600">
              <svg viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth={1.8} aria-hidden>
                <path d="M12 21s-7-6.2-7-11.5A7 7 0 0 1 19 9.5C19 14.8 12 21 12 21z" />
                <circle cx="12" cy="9.5" r="2.5" />
              </svg>
            </span>
            <span className="flex-1" id="checkout-address-text">
              <span className="block text-sm">
                <span className="font-medium">{address.name}</span> <span className="text-neutral-500">{address.phone}</span>
              </span>
              <span className="mt-0.5 block text-xs leading-5 text-neutral-600">
                {address.region} {address.detail}
              </span>
            </span>
            <span className="text-neutral-300" aria-hidden>
              ›
            </span>
          </button>
        ) : null}
      </section>

      {/* Lines */}
      <section className="rounded-xl bg-white p-4 shadow-sm">
        <ul className="space-y-3">
          {p.lines.map((l) => (
            <li key={l.skuId} className="flex gap-3" data-testid="checkout-line">
              <div className="w-16 shrink-0 overflow-hidden rounded-lg">
                <ProductImage src={l.imageUrl} name={l.name} />
              </div>
              <div className="flex flex-1 flex-col justify-between">
                <div className="line-clamp-2 text-sm">{l.name}</div>
                {l.skuLabel ? (
                  <div className="mt-0.5 w-fit rounded bg-neutral-100 px-1.5 py-0.5 text-xs text-neutral-500" data-testid="checkout-sku">
                    {l.skuLabel}
                  </div>
                ) : null}
                {l.problem ? <div className="text-xs text-amber-600">{lineProblem(t, l.problem)}</div> : null}
                <div className="flex items-center justify-between">
                  <Price fen={l.unitPriceFen} size="sm" />
                  <span className="text-xs text-neutral-500">×{l.qty}</span>
                </div>
              </div>
            </li>
          ))}
        </ul>
      </section>

      {/* Amounts */}
      <section className="space-y-2.5 rounded-xl bg-white p-4 text-sm shadow-sm">
        <Row label={t("order.amount.gross")} value={formatYuan(p.grossFen)} />
        {/* The goods amount (lines after discounts, no shipping): what rewards are computed from. */}
        <span hidden data-testid="checkout-goods" data-fen={p.goodsFen} />
        {p.discountFen > 0 ? <Row label={t("order.amount.discountRate", { rate: formatBps(p.tierDiscountBps) })} value={`-${formatYuan(p.discountFen)}`} accent /> : null}
        <Row label={t("order.amount.shipping")} value={p.shippingFen ? formatYuan(p.shippingFen) : t("order.amount.freeShipping")} />
        <div className="flex items-center justify-between">
          <span>
            {t("order.amount.credit")}
            <span className="ml-1 text-xs text-neutral-400">
              {p.creditBalanceFen > 0 ? t("checkout.creditAvailable", { usable: formatYuan(p.creditUsableFen), balance: formatYuan(p.creditBalanceFen) }) : t("checkout.noCredit")}
            </span>
          </span>
          <label className="relative inline-flex cursor-pointer items-center after:absolute after:-inset-2.5">
            <input
              type="checkbox"
              role="switch"
              aria-label={t("checkout.useCredit")}
              className="peer sr-only"
              checked={useCredit}
              disabled={p.creditUsableFen <= 0}
              onChange={(e) => setUseCredit(e.target.checked)}
            />
            <span className="h-6 w-10 rounded-full bg-neutral-200 transition peer-checked:bg-rose-600 peer-focus-visible:ring-2 peer-focus-visible:ring-rose-600 peer-focus-visible:ring-offset-2 peer-disabled:opacity-40" />
            <span className="absolute left-0.5 top-0.5 h-5 w-5 rounded-full bg-white shadow transition peer-checked:translate-x-4" />
          </label>
        </div>
        {creditFen > 0 ? <Row label={t("checkout.creditUsed")} value={`-${formatYuan(creditFen)}`} accent /> : null}
      </section>

      {place.error ? (
        <p role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-600">
          {errorText(t, place.error)}
        </p>
      ) : null}

      <div className="fixed inset-x-0 bottom-0 z-20 mx-auto flex max-w-md items-center justify-between border-t border-neutral-200 bg-white px-4 py-2 pb-[max(0.5rem,env(safe-area-inset-bottom))]">
        <span className="text-sm" data-testid="checkout-total">
          {t("checkout.total")} <Price fen={payFen} />
        </span>
        <div className="flex flex-col items-end gap-0.5">
          <button
            type="button"
            disabled={needAddress || !p.ok || submitting}
            onClick={submit}
            aria-describedby={hint ? "checkout-hint" : undefined}
            className="h-10 rounded-full bg-gradient-to-r from-orange-700 to-rose-700 px-7 text-sm font-medium text-white disabled:opacity-50"
          >
            {submitting ? t("checkout.submitting") : t("checkout.submit")}
          </button>
          {hint ? (
            <p id="checkout-hint" className="max-w-[11rem] text-right text-[11px] text-amber-700" data-testid="checkout-hint">
              {t(hint === "needAddress" ? "checkout.needAddress" : "checkout.linesBlocked")}
              {hint === "linesBlocked" && source.kind === "cart" ? (
                <Link href="/cart" className="ml-1 underline">
                  {t("checkout.backToCart")}
                </Link>
              ) : null}
            </p>
          ) : null}
        </div>
      </div>
    </div>
  );
}

/** An empty cart, or one with nothing ticked: said as such, with the way on (no request the server would refuse). */
export function NothingToOrder({ nothing, t }: { nothing: "empty" | "unselected"; t: Translator }) {
  return (
    <div className="flex flex-col items-center gap-3 py-20 text-sm text-neutral-500" data-testid="checkout-empty" data-nothing={nothing}>
      <p>{nothing === "empty" ? t("cart.empty") : t("checkout.nothingSelected")}</p>
      <Link href={nothing === "empty" ? "/" : "/cart"} className="rounded-full border border-rose-500 px-4 py-1.5 text-rose-600">
        {nothing === "empty" ? t("checkout.browse") : t("checkout.backToCart")}
      </Link>
    </div>
  );
}

function Row({ label, value, accent = false }: { label: string; value: string; accent?: boolean }) {
  return (
    <div className="flex justify-between">
      <span>{label}</span>
      <span className={`tabular-nums ${accent ? "text-rose-600" : "text-neutral-700"}`}>{value}</span>
    </div>
  );
}
