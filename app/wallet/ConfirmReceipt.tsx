"use client";

import { useState } from "react";
import { useT } from "@/lib/i18n/client";
import { confirmReceipt, type ReceiptOutcome, type ReceiptParams } from "./confirm-receipt";

/**
 * 确认收款 of a withdrawal WeChat holds until the shopper accepts it (商家转账). After WeChat's page closes the
 * wallet is asked again; the payout itself turns 已到账 once the server's query of WeChat says so.
 */
export function ConfirmReceipt({ params, onDone }: { params: ReceiptParams; onDone: () => void }) {
  const t = useT();
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<ReceiptOutcome | null>(null);
  if (outcome === "ok") {
    return (
      <p role="status" className="mt-1 text-xs text-emerald-600" data-testid="confirm-receipt-done">
        {t("wallet.confirm.done")}
      </p>
    );
  }
  return (
    <div className="mt-1.5" data-testid="confirm-receipt">
      <p className="text-xs text-amber-700">{t("wallet.confirm.hint")}</p>
      <button
        type="button"
        disabled={pending}
        className="mt-1 rounded-full bg-[#057a3d] px-3 py-1 text-xs text-white disabled:opacity-60"
        data-testid="confirm-receipt-button"
        onClick={() => {
          setPending(true);
          void confirmReceipt(params)
            .catch((): ReceiptOutcome => "fail")
            .then((o) => {
              setPending(false);
              setOutcome(o);
              if (o !== "outside") onDone();
            });
        }}
      >
        {pending ? t("wallet.confirm.opening") : t("wallet.confirm.button")}
      </button>
      {outcome === "outside" || outcome === "fail" ? (
        <p role="alert" className="mt-1 text-xs text-rose-600" data-testid="confirm-receipt-error">
          {t(`wallet.confirm.${outcome}`)}
        </p>
      ) : null}
    </div>
  );
}
