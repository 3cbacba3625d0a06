// The dashboard's cards (pure: the page, the CSV export and their tests share them): how each figure shows, which way is
// better, and its change against the previous period.
import type { MessageKey, Translator } from "@/lib/i18n/core";
import type { KpiFigures } from "@/server/kpi/dashboard";
import { formatFen, formatYuanGrouped } from "@/components/money";

const pct = (v: number | null) => (v === null ? null : `${(v * 100).toFixed(1)}%`);
// The page groups thousands (¥1,234.50); the CSV writes an amount as plain 元 (csvFigureRow).
const fen = (v: number | null) => (v === null ? null : formatYuanGrouped(v));
const plain = (v: number | null) => (v === null ? null : String(v));
const twoDp = (v: number | null) => (v === null ? null : v.toFixed(2));

/** One figure: how it shows, which way is better; compared with the previous period. */
export interface Figure {
  id: string;
  label: MessageKey;
  value: (f: KpiFigures) => number | null;
  /** As the page shows it: an amount in fen grouped by thousands (¥1,234.50). */
  format: (v: number | null) => string | null;
  /** An amount in fen: the CSV writes it as plain 元 with two decimals, its name saying 元. */
  amount?: boolean;
  /** Which way of moving is good news: a rising cost or payout ratio is not. */
  better: "up" | "down";
  /** A share (0..1): its change is shown in percentage points, not relative to itself. */
  share?: boolean;
}

export interface Card extends Figure {
  def: MessageKey;
  alert?: (v: number | null) => boolean;
  /** The card's own figure's name where the card's title covers its details too (the CSV's row). */
  valueLabel?: MessageKey;
  /** Figures of the same subject shown in the card beside its own, each with its comparison. */
  details?: Figure[];
}

export const CARDS: Card[] = [
  { id: "gmv", label: "kpi.gmv", def: "kpi.gmv.def", value: (f) => f.gmvFen, format: fen, amount: true, better: "up" },
  { id: "orders", label: "kpi.orders", def: "kpi.orders.def", value: (f) => f.paidOrders, format: plain, better: "up" },
  { id: "aov", label: "kpi.aov", def: "kpi.aov.def", value: (f) => f.aovFen, format: fen, amount: true, better: "up" },
  { id: "newMembers", label: "kpi.newMembers", def: "kpi.newMembers.def", value: (f) => f.newMembers, format: plain, better: "up" },
  { id: "newPaying", label: "kpi.newPaying", def: "kpi.newPaying.def", value: (f) => f.newPayingMembers, format: plain, better: "up" },
  { id: "kFactor", label: "kpi.kFactor", def: "kpi.kFactor.def", value: (f) => f.kFactor, format: twoDp, better: "up" },
  { id: "cac", label: "kpi.cac", def: "kpi.cac.def", value: (f) => f.cacFen, format: fen, amount: true, better: "down" },
  // Seed 004: 复购率低于 40% 时自动推送预警. Its members beside it: the rate's numerator and denominator.
  {
    id: "repurchase", label: "kpi.repurchase", def: "kpi.repurchase.def", value: (f) => f.repurchaseRate, format: pct, better: "up", share: true, alert: (v) => v !== null && v < 0.4,
    details: [
      { id: "repeatMembers", label: "kpi.repurchase.repeaters", value: (f) => f.repeatMembers, format: plain, better: "up" },
      { id: "payingMembers", label: "kpi.repurchase.payers", value: (f) => f.payingMembers, format: plain, better: "up" },
    ],
  },
  { id: "payoutRatio", label: "kpi.payoutRatio", def: "kpi.payoutRatio.def", value: (f) => f.payoutRatio, format: pct, better: "down", share: true },
  { id: "referralShare", label: "kpi.referralShare", def: "kpi.referralShare.def", value: (f) => f.referralGmvShare, format: pct, better: "up", share: true },
  { id: "activeDistributors", label: "kpi.activeDistributors", def: "kpi.activeDistributors.def", value: (f) => f.activeDistributors, format: plain, better: "up" },
  { id: "rewardsPaid", label: "kpi.rewardsPaid", def: "kpi.rewardsPaid.def", value: (f) => f.rewardsPaidFen, format: fen, amount: true, better: "down" },
  {
    id: "refunds", label: "kpi.refunds", valueLabel: "kpi.refunds.amount", def: "kpi.refunds.def", value: (f) => f.refundedFen, format: fen, amount: true, better: "down",
    details: [
      { id: "refundedOrders", label: "kpi.refunds.orders", value: (f) => f.refundedOrders, format: plain, better: "down" },
      { id: "refundRate", label: "kpi.refunds.rate", value: (f) => f.refundRate, format: pct, better: "down", share: true },
    ],
  },
];

/** Every figure the cards show, in the page's order, each under its own name: the CSV export's rows. */
export const CARD_FIGURES: Figure[] = CARDS.flatMap((c) => [{ ...c, label: c.valueLabel ?? c.label }, ...(c.details ?? [])]);

/**
 * A figure's row of the CSV export: its name (an amount's says 元, as the daily columns do), this period's value, the
 * previous one's, the change as a signed number and its unit apart (a cell starting with + or − that is not a plain
 * number would be guarded as a formula). An amount is plain 元 with two decimals ("1234.50", no ¥, no thousands
 * separator) like every CSV export of the app; counts, ratios and shares as the page shows them.
 */
export function csvFigureRow(t: Translator, f: Figure, current: KpiFigures, previous: KpiFigures): string[] {
  const [cur, prev] = [f.value(current), f.value(previous)];
  const cell = (v: number | null) => (v === null ? t("kpi.none") : f.amount ? formatFen(v) : (f.format(v) ?? t("kpi.none")));
  const delta = cardChange(f, cur, prev);
  const unit = delta ? t(delta.unit === "points" ? "kpi.csv.points" : "kpi.csv.percent") : "";
  return [f.amount ? t("kpi.csv.yuan", { label: t(f.label) }) : t(f.label), cell(cur), cell(prev), delta?.amount ?? "", unit];
}

/** A card's change: `amount` ("+4.0") in percent, or in percentage points for a share; `tone` by `better`. */
export interface Change {
  amount: string;
  unit: "percent" | "points";
  tone: "good" | "bad" | "flat";
}

export function cardChange(card: Pick<Figure, "better" | "share">, cur: number | null, prev: number | null): Change | null {
  if (cur === null || prev === null) return null;
  let d: number;
  if (card.share) d = (cur - prev) * 100;
  else if (prev === 0) return null;
  else d = ((cur - prev) / Math.abs(prev)) * 100;
  const amount = d.toFixed(1);
  // Judged on what is shown: a change that rounds to 0.0 is no change.
  const shown = Number(amount);
  const tone = shown === 0 ? "flat" : (shown > 0) === (card.better === "up") ? "good" : "bad";
  return { amount: `${shown > 0 ? "+" : ""}${shown === 0 ? "0.0" : amount}`, unit: card.share ? "points" : "percent", tone };
}
