// Which way a wallet history row moved the shopper's money, for its sign and colour (SPEC §6). A ledger
// transaction that moves money between the member's own buckets has a net change of 0; it still reads as
// money in when it makes money usable (待结算 → 可提现, a withdrawal returned) and as money out when it
// takes it from what they can use (可提现 → 提现中). 提现中 → 已提现 only completes a withdrawal already
// shown as money out, so it carries no sign.
import { formatYuanGrouped } from "@/components/money";

export type HistoryDirection = "in" | "out" | "none";

/** The buckets a shopper can spend or withdraw. */
const USABLE = new Set(["available", "credit"]);

export function historyDirection(h: { netFen: number; from: string | null; to: string | null }): HistoryDirection {
  if (h.netFen > 0) return "in";
  if (h.netFen < 0) return "out";
  const fromUsable = h.from !== null && USABLE.has(h.from);
  const toUsable = h.to !== null && USABLE.has(h.to);
  if (toUsable && !fromUsable) return "in";
  if (fromUsable && !toUsable) return "out";
  return "none";
}

/** "+¥10.35" in, "−¥2,500.00" out (a minus sign, not a hyphen), "¥2,500.00" otherwise: grouped, as every wallet amount. */
export function signedYuan(direction: HistoryDirection, amountFen: number): string {
  const abs = formatYuanGrouped(Math.abs(amountFen));
  return direction === "in" ? `+${abs}` : direction === "out" ? `\u2212${abs}` : abs;
}

/** Money in in the income colour, money out dark, a completed move muted. */
export const DIRECTION_TONE: Record<HistoryDirection, string> = {
  in: "text-rose-600",
  out: "text-neutral-800",
  none: "text-neutral-500",
};
