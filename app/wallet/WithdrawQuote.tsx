"use client";

import { useEffect, useRef, type RefObject } from "react";
import { formatFenGrouped } from "@/components/money";
import { useT } from "@/lib/i18n/client";
import { yuanInputToFen } from "./amount";

export type Quote = { amountFen: number; feeFen: number; netFen: number };

/**
 * The open quote once the amount box reads `amountText`: kept only while the box still says its amount ("2500" to
 * "2500.00"), else closed, so 确认提现 never confirms a fee for an amount that is no longer in the box.
 */
export function quoteForAmount(quote: Quote | null, amountText: string): Quote | null {
  return quote !== null && yuanInputToFen(amountText) === quote.amountFen ? quote : null;
}

/**
 * Where the keyboard focus goes as the fee quote opens or closes: each replaces the button that had the focus
 * (申请提现, then 返回修改 or 确认提现), which would drop it to the page's start. Opening, to the quote (its title
 * and figures are read next); closing, to the amount, the next thing to change or type.
 */
export function quoteFocusTarget(wasOpen: boolean, open: boolean): "quote" | "amount" | null {
  if (open === wasOpen) return null;
  return open ? "quote" : "amount";
}

/** The withdrawal's fee and what arrives, to confirm; the status line is always there so a new quote is announced. */
export function WithdrawQuote({ quote, pending, onBack, onConfirm, amountField }: { quote: Quote | null; pending: boolean; onBack: () => void; onConfirm: (quote: Quote) => void; amountField: RefObject<HTMLInputElement | null> }) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    const target = quoteFocusTarget(wasOpen.current, quote !== null);
    wasOpen.current = quote !== null;
    if (target === "quote") box.current?.focus();
    else if (target === "amount") amountField.current?.focus();
  }, [quote, amountField]);
  return (
    <>
      <p role="status" className="sr-only" data-testid="withdraw-quote-status">
        {quote ? t("wallet.fee.announce", { fee: formatFenGrouped(quote.feeFen), net: formatFenGrouped(quote.netFen) }) : ""}
      </p>
      {quote ? (
        <div ref={box} tabIndex={-1} role="group" aria-labelledby="withdraw-quote-title" className="space-y-1 rounded-lg bg-rose-50 p-3 text-xs focus:outline-2 focus:outline-rose-600" data-testid="withdraw-quote">
          <div id="withdraw-quote-title" className="font-medium text-neutral-800">{t("wallet.fee.confirmTitle")}</div>
          <div className="flex justify-between"><span>{t("wallet.fee.amount")}</span><span className="tabular-nums">¥{formatFenGrouped(quote.amountFen)}</span></div>
          <div className="flex justify-between"><span>{t("wallet.fee.fee")}</span><span className="tabular-nums" data-testid="withdraw-fee">¥{formatFenGrouped(quote.feeFen)}</span></div>
          <div className="flex justify-between font-medium"><span>{t("wallet.fee.net")}</span><span className="tabular-nums" data-testid="withdraw-net">¥{formatFenGrouped(quote.netFen)}</span></div>
          <div className="flex gap-2 pt-1">
            <button type="button" className="flex-1 rounded-full border border-neutral-300 py-1.5" onClick={onBack}>
              {t("wallet.fee.back")}
            </button>
            <button type="button" disabled={pending} className="flex-1 rounded-full bg-rose-600 py-1.5 text-white disabled:opacity-50" onClick={() => onConfirm(quote)}>
              {t("wallet.fee.confirm")}
            </button>
          </div>
        </div>
      ) : null}
    </>
  );
}
