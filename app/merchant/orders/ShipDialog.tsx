"use client";

// 发货 one order: carrier + tracking number (the same zod schema as the tRPC input).
import { useForm, type FieldErrors, type UseFormRegisterReturn } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import type { Translator } from "@/lib/i18n/core";
import { errorText } from "@/lib/i18n/labels";
import { SHIP_CARRIERS, shipFormInput, type ShipForm } from "@/server/orders/shipping-schema";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";
import { FieldError, INVALID_CLASSES, invalidProps } from "@/components/merchant/FieldError";
import { carrierChoice } from "./[id]/timeline";

/** The form's refusals in the page's language: the schema's messages are message keys (server/orders/shipping-schema.ts). */
export function shipErrorText(t: Translator, errors: FieldErrors<ShipForm>): { carrier?: string; trackingNo?: string } {
  const trackingNo = errors.trackingNo?.message;
  return {
    carrier: errors.carrier ? t("mo.ship.chooseCarrier") : undefined,
    trackingNo: trackingNo === undefined ? undefined : t.opt(trackingNo, t("mo.ship.trackingNoInvalid")),
  };
}

/** Marks the element that takes the focus once the order is shipped (data-after-ship={order id}). */
export const AFTER_SHIP_ATTR = "data-after-ship";
/** Marks a 发货 button: where the focus goes when the shipped order left the page (a list of orders to ship). */
export const SHIP_OPENER_ATTR = "data-ship-opener";

/**
 * After a ship the 发货 button that opened the dialog leaves with the PAID state and the browser would drop the focus
 * on <body>: it goes to the order's element marked AFTER_SHIP_ATTR instead (its status on the order page, its next
 * action in the list), else — the order left the list — to the next order's 发货. False when the page has neither.
 */
export function focusAfterShip(root: Pick<ParentNode, "querySelector">, orderId: number): boolean {
  const target = root.querySelector<HTMLElement>(`[${AFTER_SHIP_ATTR}="${orderId}"]`) ?? root.querySelector<HTMLElement>(`[${SHIP_OPENER_ATTR}]`);
  target?.focus();
  return target !== null;
}

/**
 * For the dialog's opener: call the returned function with the order's id when it is shipped (with the dialog's
 * closing). Once the dialog is gone — its own ending has given the focus back to the opener, if still there — the
 * focus moves as focusAfterShip says; `view` is the page's data, whose refresh may come after and remove the row
 * the focus went to: then, if the focus was lost with it, it moves again (once).
 */
export function useFocusAfterShip(view: unknown): (orderId: number) => void {
  const [shipped, setShipped] = useState<{ orderId: number } | null>(null);
  const seen = useRef<{ shipped: object; refreshes: number } | null>(null);
  useEffect(() => {
    if (!shipped) return;
    if (seen.current?.shipped === shipped) seen.current.refreshes += 1;
    else seen.current = { shipped, refreshes: 0 };
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (seen.current.refreshes === 0 || (seen.current.refreshes === 1 && lost)) focusAfterShip(document, shipped.orderId);
  }, [shipped, view]);
  return useCallback((orderId) => setShipped({ orderId }), []);
}

/** `onShipped` runs instead of `onClose` once the order is shipped (the dialog is to close). */
export function ShipDialog({ order, onClose, onShipped = onClose }: { order: { id: number; orderNo: string }; onClose: () => void; onShipped?: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<ShipForm>({ resolver: zodResolver(shipFormInput), defaultValues: { trackingNo: "" } });
  const ship = useMutation(
    trpc.merchantOrder.shipWithTracking.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.merchantOrder.pathKey() });
        onShipped();
      },
      onError: (e) => setError(errorText(t, e)),
    }),
  );
  const submit = form.handleSubmit((v) => ship.mutate({ id: order.id, ...v }));
  return (
    <ConfirmDialog open title={t("mo.ship.title", { orderNo: order.orderNo })} confirmLabel={t("mo.ship.submit")} pending={ship.isPending} onConfirm={() => void submit()} onCancel={onClose}>
      <div className="mt-3 space-y-3 text-sm">
        <ShipFields
          carrier={form.register("carrier")}
          trackingNo={form.register("trackingNo")}
          errors={shipErrorText(t, form.formState.errors)}
        />
        {error ? (
          <p role="alert" className="text-xs text-rose-600">
            {error}
          </p>
        ) : null}
      </div>
    </ConfirmDialog>
  );
}

/** The two fields, each marked invalid and described by its message (read out as it appears) while refused. */
export function ShipFields({ carrier, trackingNo, errors }: { carrier: UseFormRegisterReturn<"carrier">; trackingNo: UseFormRegisterReturn<"trackingNo">; errors: { carrier?: string; trackingNo?: string } }) {
  const t = useT();
  return (
    <>
      <label className="block">
        {t("mo.ship.carrier")}
        <select {...carrier} {...invalidProps("ship-carrier", errors.carrier)} className={`mt-1 block w-full rounded-md border border-neutral-300 px-2 py-1.5 ${INVALID_CLASSES}`} defaultValue="">
          <option value="" disabled>
            {t("mo.ship.chooseCarrier")}
          </option>
          {SHIP_CARRIERS.map((c) => (
            <option key={c} value={c}>
              {carrierChoice(t, c)}
            </option>
          ))}
        </select>
      </label>
      <FieldError name="ship-carrier" message={errors.carrier} />
      <label className="block">
        {t("mo.ship.trackingNo")}
        <input {...trackingNo} {...invalidProps("ship-trackingNo", errors.trackingNo)} className={`mt-1 block w-full rounded-md border border-neutral-300 px-2 py-1.5 font-mono ${INVALID_CLASSES}`} autoComplete="off" />
      </label>
      <FieldError name="ship-trackingNo" message={errors.trackingNo} />
    </>
  );
}
