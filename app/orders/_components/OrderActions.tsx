"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { Sheet } from "@/components/Sheet";

type Actions = { pay: boolean; cancel: boolean; confirmDelivery: boolean; refund: boolean };

/** The shopper's buttons on an order; every rule is checked again on the server. */
/** `onRefund` opens the after-sales request form (the order detail page); without it there is no refund button. */
export function OrderActions({ orderId, actions, compact = false, onRefund }: { orderId: number; actions: Actions; compact?: boolean; onRefund?: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  // A list page shows many orders' buttons: each question's id is its own.
  const questionId = useId();
  const [asking, setAsking] = useState<{ question: string; ok: string; run: () => void } | null>(null);
  const confirmThen = (question: string, ok: string, run: () => void) => setAsking({ question, ok, run });
  const refresh = async () => {
    setError(null);
    await queryClient.invalidateQueries({ queryKey: trpc.order.pathKey() });
    router.refresh();
  };
  const onError = (e: Parameters<typeof errorText>[1]) => setError(errorText(t, e));
  // Set in the tap itself: isPending disables 去支付 only a render later, after a double tap has started a second payment.
  const paying = useRef(false);
  const pay = useMutation(trpc.order.pay.mutationOptions({ onSuccess: (r) => router.push(r.cashierUrl), onError }));
  const cancel = useMutation(trpc.order.cancel.mutationOptions({ onSuccess: refresh, onError }));
  const confirm = useMutation(trpc.order.confirmDelivery.mutationOptions({ onSuccess: refresh, onError }));
  const busy = pay.isPending || cancel.isPending || confirm.isPending;

  const ghost = "relative h-8 rounded-full border border-neutral-300 px-4 text-xs text-neutral-700 after:absolute after:inset-x-0 after:-inset-y-1.5 disabled:opacity-50";
  const primary = "relative h-8 rounded-full bg-gradient-to-r from-orange-700 to-rose-700 px-4 text-xs font-medium text-white after:absolute after:inset-x-0 after:-inset-y-1.5 disabled:opacity-50";
  const buttons = [
    actions.cancel && (
      <button key="cancel" type="button" className={ghost} disabled={busy} onClick={() => confirmThen(t("orderActions.cancelQuestion"), t("orderActions.cancel"), () => cancel.mutate({ id: orderId }))}>
        {t("orderActions.cancel")}
      </button>
    ),
    actions.refund && onRefund && (
      <button key="refund" type="button" className={ghost} disabled={busy} onClick={onRefund}>
        {t("orderActions.refund")}
      </button>
    ),
    actions.confirmDelivery && (
      <button key="confirm" type="button" className={primary} disabled={busy} onClick={() => confirmThen(t("orderActions.confirmQuestion"), t("orderActions.confirm"), () => confirm.mutate({ id: orderId }))}>
        {t("orderActions.confirm")}
      </button>
    ),
    actions.pay && (
      <button key="pay" type="button" className={primary} disabled={busy} onClick={() => {
          if (paying.current) return;
          paying.current = true;
          pay.mutate({ id: orderId }, { onSettled: () => (paying.current = false) });
        }}>
        {pay.isPending ? t("orderActions.redirecting") : t("orderActions.pay")}
      </button>
    ),
  ].filter(Boolean);
  if (!buttons.length && !error) return null;
  return (
    <div className={compact ? "" : "w-full"}>
      {error ? (
        <p role="alert" className="mb-2 text-right text-xs text-rose-600">
          {error}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">{buttons}</div>
      {asking ? (
        <Sheet labelledBy={questionId} onClose={() => setAsking(null)} placement="center">
          <div className="w-full max-w-xs overflow-hidden rounded-2xl bg-white text-center">
            <p id={questionId} className="px-5 py-6 text-sm leading-6 text-neutral-700">
              {asking.question}
            </p>
            <div className="flex border-t border-neutral-100 text-sm">
              <button type="button" className="h-11 flex-1 text-neutral-500" onClick={() => setAsking(null)}>
                {t("orderActions.notNow")}
              </button>
              <button
                type="button"
                className="h-11 flex-1 border-l border-neutral-100 font-medium text-rose-600"
                onClick={() => {
                  const run = asking.run;
                  setAsking(null);
                  run();
                }}
              >
                {asking.ok}
              </button>
            </div>
          </div>
        </Sheet>
      ) : null}
    </div>
  );
}
