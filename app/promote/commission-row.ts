// A 佣金明细 row's two lines and its amount. Only a level-1 entry comes with its buyer and order number (server/promotion
// myCommissions): a level-2 or 3 entry says whose team's order it was, by level, and when.
import { formatFen } from "@/components/money";
import type { Translator } from "@/lib/i18n/core";

export function commissionRowLines(t: Translator, c: { level: number; buyer: string | null; orderNo: string | null; createdAt: Date }, fmtDate: (d: Date) => string): { title: string; sub: string } {
  const level = t.opt(`promote.commissions.level.${c.level}`, String(c.level));
  return {
    title: c.buyer !== null ? t("promote.commissions.row", { buyer: c.buyer, level }) : t.opt(`promote.commissions.teamOrder.${c.level}`, level),
    sub: c.orderNo !== null ? t("promote.commissions.orderNo", { orderNo: c.orderNo, date: fmtDate(c.createdAt) }) : fmtDate(c.createdAt),
  };
}

/** A row's amount: "+¥x.xx" for money earned or on its way; a VOID or FORFEITED entry was never the shopper's, so no "+" and struck through. */
export function commissionRowAmount(c: { amountFen: number; status: string }): { text: string; lost: boolean } {
  const lost = c.status === "VOID" || c.status === "FORFEITED";
  return { text: `${lost ? "" : "+"}¥${formatFen(c.amountFen)}`, lost };
}
