// KPI facts (issue 11): each domain event that moves a dashboard figure writes one fact, in the
// transaction of the change, keyed by the event ("order_paid:42"). Facts are insert-only, so
// concurrent payments never queue on a shared counter row; foldKpiFacts (./daily.ts) folds them
// into the daily aggregates exactly once.
import { writeSideRows, type Ctx } from "../context";
import { Prisma } from "../db";
import { sponsorAtEachSql } from "../tiers/at-close";
import { localDay } from "./periods";

/** The KpiDaily columns a fact may add to. */
export const DAILY_METRICS = [
  "paidOrders",
  "gmvFen",
  "repeatOrders",
  "referralOrders",
  "referralGmvFen",
  "refundedOrders",
  "refundedFen",
  "newMembers",
  "referredSignups",
  "newPayingMembers",
  "referredNewPaying",
  "visits",
  "commissionL1Fen",
  "commissionL2Fen",
  "commissionL3Fen",
  "commissionsPaidFen",
  "cashbackPaidFen",
  "teamBonusFen",
  "stepBonusFen",
  "pendingCommissionDelta",
  "pendingCashbackDelta",
  "withdrawingDelta",
  "availableDelta",
  "creditDelta",
] as const;
export type DailyMetric = (typeof DAILY_METRICS)[number];
export type Deltas = Partial<Record<DailyMetric, number>>;

export interface FactData {
  deltas: Deltas;
  /** Per-member figures of the day: commission accrued, and a share while a paying member. */
  earnedFen?: number;
  shared?: boolean;
  /** Pieces per product id that entered (+) or left (−) the sold orders: 已售 (ProductSales). */
  sold?: Record<string, number>;
}

export interface KpiFactRow {
  key: string;
  kind: string;
  day: string;
  memberId: number | null;
  data: object;
}

/** One event's fact as a row, or null when it moves nothing. */
export function kpiFactRow(ctx: Pick<Ctx, "config">, key: string, kind: string, at: Date, data: FactData, memberId: number | null = null): KpiFactRow | null {
  const deltas = Object.fromEntries(Object.entries(data.deltas).filter(([, v]) => v !== 0));
  if (Object.keys(deltas).length === 0 && !data.earnedFen && !data.shared && !data.sold) return null;
  return { key, kind, day: localDay(at, ctx.config.timeZone), memberId, data: { ...data, deltas } };
}

/**
 * Records facts, with the transaction's other side rows. A repeat of a key still pending changes nothing; once
 * folded its key is gone, so exactly-once rests on the caller: each fact is written by the transaction that
 * makes its event's state change (paid, refunded, settled…), which happens once.
 */
export async function recordKpiFacts(ctx: Ctx, rows: (KpiFactRow | null)[]): Promise<void> {
  if (ctx.simulation) return;
  const facts = rows.filter((r): r is KpiFactRow => r !== null);
  if (facts.length > 0) await writeSideRows(ctx, { facts });
}

/**
 * An order's refund, on the refund's day: the refunded figures, the pieces back, and — when it was the buyer's first paid
 * order — one new paying member less (and one referred, if the buyer had a sponsor when it was paid, as its payment
 * counted it): SPEC §5 removes such an invitee for good, so the member is no longer a new buyer the program brought.
 */
export async function recordRefundFact(
  ctx: Ctx,
  order: { id: number; goodsFen: number; paidAt: Date | null; lines: { productId: number; qty: number }[] },
  buyer: { id: number; sponsorId: number | null; firstPaidOrderId: number | null },
): Promise<void> {
  if (ctx.simulation) return;
  const first = buyer.firstPaidOrderId === order.id;
  const sponsor = sponsorAtEachSql(Prisma.sql`${buyer.id}::int`, Prisma.sql`${buyer.sponsorId}::int`, Prisma.sql`${order.paidAt}::timestamptz`);
  const referred = first && (await ctx.tx.$queryRaw<{ referred: boolean }[]>`SELECT ${sponsor} IS NOT NULL AS referred`)[0]?.referred === true;
  await recordKpiFact(ctx, `order_refunded:${order.id}`, "order_refunded", ctx.now, {
    deltas: { refundedOrders: 1, refundedFen: order.goodsFen, newPayingMembers: first ? -1 : 0, referredNewPaying: referred ? -1 : 0 },
    sold: soldPieces(order.lines, -1),
  });
}

/** Records one event's fact (see recordKpiFacts for why it counts once). */
export async function recordKpiFact(ctx: Ctx, key: string, kind: string, at: Date, data: FactData, memberId: number | null = null): Promise<void> {
  await recordKpiFacts(ctx, [kpiFactRow(ctx, key, kind, at, data, memberId)]);
}

/** The dashboard figures a ledger transaction moves (rewards paid out, liabilities by kind). */
export function ledgerDeltas(kind: string, memberLegs: { bucket: string; amountFen: number }[]): Deltas {
  const sum = (bucket: string) => memberLegs.filter((l) => l.bucket === bucket).reduce((s, l) => s + l.amountFen, 0);
  const pending = sum("pending");
  const paidOut = sum("available") + sum("credit");
  const d: Deltas = { withdrawingDelta: sum("withdrawing"), availableDelta: sum("available"), creditDelta: sum("credit") };
  if (kind.startsWith("commission_")) d.pendingCommissionDelta = pending;
  if (kind.startsWith("rebate_")) d.pendingCashbackDelta = pending;
  if (kind === "commission_settle") d.commissionsPaidFen = paidOut;
  if (kind === "rebate_pay") d.cashbackPaidFen = paidOut;
  if (kind === "team_bonus") d.teamBonusFen = paidOut;
  if (kind === "step_bonus") d.stepBonusFen = paidOut;
  return d;
}

/** An order's pieces per product, negated when it leaves the sold orders (a refund). */
export function soldPieces(lines: { productId: number; qty: number }[], sign: 1 | -1): Record<string, number> {
  const sold: Record<string, number> = {};
  for (const l of lines) sold[l.productId] = (sold[l.productId] ?? 0) + sign * l.qty;
  return sold;
}
