// The 同意退款 confirmation names the money about to go back (the whole refund and its 购物金 part), so the staff
// member approves an amount, not only an order number; without the amount (not at hand) it says the order alone.
import type { Translator } from "@/lib/i18n/core";
import { formatYuanGrouped } from "@/components/money";

export function approveRefundText(t: Translator, r: { orderNo: string; totalFen?: number; creditFen?: number }): string {
  if (r.totalFen === undefined) return t("as.approve.body", { orderNo: r.orderNo });
  const amount = formatYuanGrouped(r.totalFen);
  if (!r.creditFen) return t("as.approve.bodyAmountNoCredit", { orderNo: r.orderNo, amount });
  return t("as.approve.bodyAmount", { orderNo: r.orderNo, amount, credit: t("as.col.amountCredit", { amount: formatYuanGrouped(r.creditFen) }) });
}
