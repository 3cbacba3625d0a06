// The KPI dashboard's figures (issue 11), read from the daily aggregates (a few hundred rows for a
// year) after folding pending facts (a comparison cut at now's time of day adds one day's raw slice);
// and the same figures computed from the raw tables, which the reconciliation test and the e2e test
// door compare them with.
import { Prisma, type Db } from "../db";
import { zonedMidnight } from "../clock/time";
import { loadConfig, refuse } from "../context";
import { DAILY_METRICS, type DailyMetric } from "./facts";
import { foldKpiFacts } from "./daily";
import { memberFigures, type Earner, type MemberFigures } from "./members";
import { sponsorAtEachSql } from "../tiers/at-close";
import { addDays, daysOf, resolvePeriod, type DashboardPeriods, type PartialDay, type Period, type PeriodPreset } from "./periods";

export { resolvePeriod, type Period, type PeriodPreset };

export type Totals = Record<DailyMetric, number>;

const zero = (): Totals => Object.fromEntries(DAILY_METRICS.map((m) => [m, 0])) as Totals;

/** The figures of a period, from its totals and the distinct-member counts. */
export interface KpiFigures {
  gmvFen: number;
  paidOrders: number;
  aovFen: number | null;
  newMembers: number;
  newPayingMembers: number;
  kFactor: number | null;
  cacFen: number | null;
  /** Members with a paid order in the period (refunded later or not); of them, those with one that is not their first paid order. */
  payingMembers: number;
  repeatMembers: number;
  /** repeatMembers ÷ payingMembers. */
  repurchaseRate: number | null;
  payoutRatio: number | null;
  referralGmvShare: number | null;
  activeDistributors: number;
  sharers: number;
  rewardsPaidFen: number;
  /** Goods amount of the orders refunded in the period (by refund time), and how many. */
  refundedFen: number;
  refundedOrders: number;
  /** Refunded amount ÷ GMV of the same period (the refunded orders may have been paid earlier). */
  refundRate: number | null;
  funnel: { visits: number; signups: number; firstOrders: number };
  levels: { l1Fen: number; l2Fen: number; l3Fen: number };
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/** The distinct-member counts of a period (server/kpi/members.ts, or the raw tables). */
export type Distinct = Omit<MemberFigures, "top">;

export function figuresOf(t: Totals, distinct: Distinct): KpiFigures {
  const rewards = t.commissionsPaidFen + t.cashbackPaidFen + t.teamBonusFen + t.stepBonusFen;
  return {
    gmvFen: t.gmvFen,
    paidOrders: t.paidOrders,
    aovFen: t.paidOrders === 0 ? null : Math.round(t.gmvFen / t.paidOrders),
    newMembers: t.newMembers,
    newPayingMembers: t.newPayingMembers,
    kFactor: ratio(t.referredNewPaying, distinct.sharers),
    cacFen: t.newPayingMembers === 0 ? null : Math.round(rewards / t.newPayingMembers),
    payingMembers: distinct.payers,
    repeatMembers: distinct.repeaters,
    repurchaseRate: ratio(distinct.repeaters, distinct.payers),
    payoutRatio: ratio(rewards, t.gmvFen),
    referralGmvShare: ratio(t.referralGmvFen, t.gmvFen),
    activeDistributors: distinct.activeDistributors,
    sharers: distinct.sharers,
    rewardsPaidFen: rewards,
    refundedFen: t.refundedFen,
    refundedOrders: t.refundedOrders,
    refundRate: ratio(t.refundedFen, t.gmvFen),
    funnel: { visits: t.visits, signups: t.referredSignups, firstOrders: t.referredNewPaying },
    levels: { l1Fen: t.commissionL1Fen, l2Fen: t.commissionL2Fen, l3Fen: t.commissionL3Fen },
  };
}

export interface Liabilities {
  pendingCommissionFen: number;
  pendingCashbackFen: number;
  withdrawingFen: number;
  /** Members' withdrawable balances, owed on demand. */
  availableFen: number;
  /** Members' store credit, spendable on their next orders. */
  creditFen: number;
}

type DailyRow = { day: string } & Record<DailyMetric, number | bigint>;

async function dailyRows(db: Db, p: Period): Promise<(Totals & { day: string })[]> {
  const rows = (await db.kpiDaily.findMany({ where: { day: { gte: p.from, lte: p.to } }, orderBy: { day: "asc" } })) as DailyRow[];
  return rows.map((r) => ({ day: r.day, ...(Object.fromEntries(DAILY_METRICS.map((m) => [m, Number(r[m])])) as Totals) }));
}

/** The previous period's last whole day: the day before its cut day, if it has one. */
const wholeDaysTo = (p: DashboardPeriods) => (p.previousCut ? addDays(p.previous.to, -1) : p.previous.to);

type SeriesDay = { day: string; gmvFen: number; paidOrders: number; newMembers: number; rewardsPaidFen: number };

/**
 * Both periods' totals, the current one's days for the chart and the liabilities at its end, summed by
 * the database in one statement (one round trip instead of four; each part reads only its days).
 */
async function dailyFigures(db: Db, periods: DashboardPeriods): Promise<{ totals: Totals; prevTotals: Totals; series: SeriesDay[]; liabilities: Liabilities }> {
  // Column names come from DAILY_METRICS only; the days are bound.
  const sums = `json_build_object(${DAILY_METRICS.map((m) => `'${m}', COALESCE(SUM("${m}"), 0)::float8`).join(", ")})`;
  const [row] = await db.$queryRawUnsafe<{ totals: Totals; prevTotals: Totals; series: SeriesDay[] | null; liabilities: Liabilities }[]>(
    `SELECT (SELECT ${sums} FROM "KpiDaily" WHERE day BETWEEN $1 AND $2) AS totals,
            (SELECT ${sums} FROM "KpiDaily" WHERE day BETWEEN $3 AND $4) AS "prevTotals",
            (SELECT json_agg(json_build_object('day', day, 'gmvFen', "gmvFen"::float8, 'paidOrders', "paidOrders", 'newMembers', "newMembers",
                                               'rewardsPaidFen', ("commissionsPaidFen" + "cashbackPaidFen" + "teamBonusFen" + "stepBonusFen")::float8))
               FROM "KpiDaily" WHERE day BETWEEN $1 AND $2) AS series,
            (SELECT json_build_object('pendingCommissionFen', COALESCE(SUM("pendingCommissionDelta"), 0)::float8,
                                      'pendingCashbackFen', COALESCE(SUM("pendingCashbackDelta"), 0)::float8,
                                      'withdrawingFen', COALESCE(SUM("withdrawingDelta"), 0)::float8,
                                      'availableFen', COALESCE(SUM("availableDelta"), 0)::float8,
                                      'creditFen', COALESCE(SUM("creditDelta"), 0)::float8)
               FROM "KpiDaily" WHERE day <= $2) AS liabilities`,
    periods.current.from,
    periods.current.to,
    periods.previous.from,
    wholeDaysTo(periods),
  );
  return { totals: { ...zero(), ...row?.totals }, prevTotals: { ...zero(), ...row?.prevTotals }, series: row?.series ?? [], liabilities: row!.liabilities };
}

export interface TopDistributor {
  memberId: number;
  name: string;
  earnedFen: number;
}

async function namedDistributors(db: Db, rows: Earner[]): Promise<TopDistributor[]> {
  const members = await db.member.findMany({ where: { id: { in: rows.map((r) => r.memberId) } }, select: { id: true, nickname: true, phoneMasked: true, username: true } });
  const byId = new Map(members.map((m) => [m.id, m]));
  return rows.map((r) => {
    const m = byId.get(r.memberId);
    return { memberId: r.memberId, name: m?.nickname ?? m?.phoneMasked ?? m?.username ?? `#${r.memberId}`, earnedFen: Number(r.earned) };
  });
}

export interface PeriodInput {
  preset: PeriodPreset;
  from?: string;
  to?: string;
}

/** The periods of a request at `now` in the merchant's calendar; a bad custom range is refused. */
export async function periodsFor(db: Db, input: PeriodInput, now: Date) {
  const { timeZone } = await loadConfig(db, now);
  try {
    return { timeZone, ...resolvePeriod(input.preset, now, timeZone, input.from && input.to ? { from: input.from, to: input.to } : undefined) };
  } catch (e) {
    if (e instanceof RangeError) refuse("INVALID_PERIOD", "日期范围无效：开始日期须不晚于结束日期和今天，且最长 1100 天");
    throw e;
  }
}

const addTotals = (a: Totals, b: Totals) => Object.fromEntries(DAILY_METRICS.map((m) => [m, a[m] + b[m]])) as Totals;

/**
 * The previous period's member figures when its last day is cut: its whole days' (cached), plus the cut
 * slice's sharers, earners, payers and repeat payers who did not share (earn, pay, repeat-pay) in those days —
 * their own member-day row of the cut day holds their latest earlier such day, so no other day is read.
 */
async function cutMemberFigures(db: Db, periods: DashboardPeriods, from: Date, to: Date): Promise<Distinct> {
  const whole = { from: periods.previous.from, to: wholeDaysTo(periods) };
  const closed = whole.from <= whole.to ? await memberFigures(db, whole, periods.today) : { sharers: 0, activeDistributors: 0, payers: 0, repeaters: 0 };
  const day = periods.previous.to;
  const [row] = await db.$queryRaw<{ sharers: bigint; earners: bigint; payers: bigint; repeaters: bigint }[]>`
    SELECT (SELECT COUNT(DISTINCT v."memberId") FROM "ReferralVisit" v
              JOIN "Member" m ON m.id = v."memberId" JOIN "Order" fo ON fo.id = m."firstPaidOrderId"
              LEFT JOIN "KpiMemberDay" d ON d.day = ${day} AND d."memberId" = v."memberId"
            WHERE v."createdAt" >= ${from} AND v."createdAt" < ${to} AND fo."paidAt" <= v."createdAt"
              AND (d."prevSharedDay" IS NULL OR d."prevSharedDay" < ${whole.from})) AS sharers,
           (SELECT COUNT(DISTINCT c."beneficiaryId") FROM "Commission" c
              LEFT JOIN "KpiMemberDay" d ON d.day = ${day} AND d."memberId" = c."beneficiaryId"
            WHERE c.status NOT IN ('FORFEITED', 'VOID') AND c."createdAt" >= ${from} AND c."createdAt" < ${to}
              AND (d."prevEarnedDay" IS NULL OR d."prevEarnedDay" < ${whole.from})) AS earners,
           (SELECT COUNT(DISTINCT o."memberId") FROM "Order" o
              LEFT JOIN "KpiMemberDay" d ON d.day = ${day} AND d."memberId" = o."memberId"
            WHERE o."paidAt" >= ${from} AND o."paidAt" < ${to}
              AND (d."prevPaidDay" IS NULL OR d."prevPaidDay" < ${whole.from})) AS payers,
           (SELECT COUNT(DISTINCT o."memberId") FROM "Order" o JOIN "Member" m ON m.id = o."memberId"
              LEFT JOIN "KpiMemberDay" d ON d.day = ${day} AND d."memberId" = o."memberId"
            WHERE o."paidAt" >= ${from} AND o."paidAt" < ${to} AND m."firstPaidOrderId" <> o.id
              AND (d."prevRepeatDay" IS NULL OR d."prevRepeatDay" < ${whole.from})) AS repeaters`;
  return {
    sharers: closed.sharers + Number(row?.sharers ?? 0),
    activeDistributors: closed.activeDistributors + Number(row?.earners ?? 0),
    payers: closed.payers + Number(row?.payers ?? 0),
    repeaters: closed.repeaters + Number(row?.repeaters ?? 0),
  };
}

/**
 * What the previous period adds to its whole days' aggregates: when cut, its last day up to the cut from
 * the raw tables (one day's slice); and its member figures.
 */
async function previousExtra(db: Db, periods: DashboardPeriods): Promise<{ totals: Totals; members: Distinct }> {
  const cut = periods.previousCut;
  if (!cut) return { totals: zero(), members: await memberFigures(db, periods.previous, periods.today) };
  const [from, to] = [new Date(cut.from), new Date(cut.to)];
  const [slice, members] = await Promise.all([rawTotals(db, from, to), cutMemberFigures(db, periods, from, to)]);
  return { totals: slice.totals, members };
}

/** Everything /merchant/kpi shows for a period and its comparison period. */
export async function kpiDashboard(db: Db, periods: DashboardPeriods) {
  await foldKpiFacts(db);
  const [{ totals, prevTotals, series: rows, liabilities }, members, prev] = await Promise.all([
    dailyFigures(db, periods),
    memberFigures(db, periods.current, periods.today),
    previousExtra(db, periods),
  ]);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const series = daysOf(periods.current).map((day) => byDay.get(day) ?? { day, gmvFen: 0, paidOrders: 0, newMembers: 0, rewardsPaidFen: 0 });
  return {
    periods,
    current: figuresOf(totals, members),
    previous: figuresOf(addTotals(prevTotals, prev.totals), prev.members),
    liabilities,
    top: await namedDistributors(db, members.top),
    series,
  };
}

/** The daily rows of a period for the CSV export (folded first). */
export async function kpiDailyExport(db: Db, p: Period) {
  await foldKpiFacts(db);
  const byDay = new Map((await dailyRows(db, p)).map((r) => [r.day, r]));
  return daysOf(p).map((day) => byDay.get(day) ?? { day, ...zero() });
}

/**
 * The raw reads of the figures between two instants: by index on every table (tests/kpi-slice-plans.test.ts). An order or
 * a sign-up is referred by the buyer's sponsor at its time, as its fact counted it: a later sponsor change rewrites no history.
 * New paying members: first paid orders paid in the slice less those refunded in it (referred: by the sponsor at payment).
 * Payers and repeat payers: members with an order paid in the slice (refunded since or not), and with one that is not their first.
 */
export function rawTotalsSql(from: Date, to: Date) {
  return {
    orders: Prisma.sql`
    SELECT COUNT(*) AS "paidOrders", SUM(o."goodsFen") AS "gmvFen",
           COUNT(*) FILTER (WHERE m."firstPaidOrderId" <> o.id) AS "repeatOrders",
           COUNT(DISTINCT o."memberId") AS payers,
           COUNT(DISTINCT o."memberId") FILTER (WHERE m."firstPaidOrderId" <> o.id) AS repeaters,
           COUNT(*) FILTER (WHERE x.referred) AS "referralOrders",
           SUM(o."goodsFen") FILTER (WHERE x.referred) AS "referralGmvFen",
           COUNT(*) FILTER (WHERE m."firstPaidOrderId" = o.id) AS "newPayingMembers",
           COUNT(*) FILTER (WHERE m."firstPaidOrderId" = o.id AND x.referred) AS "referredNewPaying"
    FROM "Order" o JOIN "Member" m ON m.id = o."memberId"
      CROSS JOIN LATERAL (SELECT ${sponsorAtEachSql(Prisma.sql`m.id`, Prisma.sql`m."sponsorId"`, Prisma.sql`o."paidAt"`)} IS NOT NULL AS referred) x
    WHERE o."paidAt" >= ${from} AND o."paidAt" < ${to}`,
    refunds: Prisma.sql`
    SELECT COUNT(*) AS "refundedOrders", SUM(o."goodsFen") AS "refundedFen",
           COUNT(*) FILTER (WHERE m."firstPaidOrderId" = o.id) AS "refundedFirst",
           COUNT(*) FILTER (WHERE m."firstPaidOrderId" = o.id
                              AND ${sponsorAtEachSql(Prisma.sql`m.id`, Prisma.sql`m."sponsorId"`, Prisma.sql`o."paidAt"`)} IS NOT NULL) AS "refundedReferredFirst"
    FROM "Order" o JOIN "Member" m ON m.id = o."memberId" WHERE o."refundedAt" >= ${from} AND o."refundedAt" < ${to}`,
    members: Prisma.sql`
    SELECT COUNT(*) AS "newMembers", COUNT(*) FILTER (WHERE ${sponsorAtEachSql(Prisma.sql`m.id`, Prisma.sql`m."sponsorId"`, Prisma.sql`m."createdAt"`)} IS NOT NULL) AS "referredSignups"
    FROM "Member" m WHERE m."createdAt" >= ${from} AND m."createdAt" < ${to}`,
    visits: Prisma.sql`
    SELECT COUNT(*) AS visits,
           COUNT(DISTINCT v."memberId") FILTER (WHERE fo."paidAt" IS NOT NULL AND fo."paidAt" <= v."createdAt") AS sharers
    FROM "ReferralVisit" v JOIN "Member" m ON m.id = v."memberId" LEFT JOIN "Order" fo ON fo.id = m."firstPaidOrderId"
    WHERE v."createdAt" >= ${from} AND v."createdAt" < ${to}`,
    // By level: every commission accrued, voided ones included; earners and the top: those not voided since.
    commissions: Prisma.sql`
    SELECT SUM("amountFen") FILTER (WHERE level = 1) AS l1, SUM("amountFen") FILTER (WHERE level = 2) AS l2, SUM("amountFen") FILTER (WHERE level = 3) AS l3,
           COUNT(DISTINCT "beneficiaryId") FILTER (WHERE status <> 'VOID') AS earners
    FROM "Commission" WHERE status <> 'FORFEITED' AND "createdAt" >= ${from} AND "createdAt" < ${to}`,
    // Rewards credited: the member's available/credit legs of the paying ledger transactions.
    paid: Prisma.sql`
    SELECT SUM(e."amountFen") FILTER (WHERE t.kind = 'commission_settle') AS "commissionsPaidFen",
           SUM(e."amountFen") FILTER (WHERE t.kind = 'rebate_pay') AS "cashbackPaidFen",
           SUM(e."amountFen") FILTER (WHERE t.kind = 'team_bonus') AS "teamBonusFen",
           SUM(e."amountFen") FILTER (WHERE t.kind = 'step_bonus') AS "stepBonusFen"
    FROM "LedgerTxn" t JOIN "LedgerEntry" e ON e."txnId" = t.id
    WHERE e.bucket IN ('available', 'credit') AND t."createdAt" >= ${from} AND t."createdAt" < ${to}`,
  };
}

/** The summed figures of [from, to) from the raw tables, and its distinct sharers, earners, payers and repeat payers. */
async function rawTotals(db: Db, from: Date, to: Date): Promise<{ totals: Totals; distinct: Distinct }> {
  const n = (v: unknown) => Number(v ?? 0);
  const q = rawTotalsSql(from, to);
  const one = async (sql: Prisma.Sql) => (await db.$queryRaw<Record<string, bigint | null>[]>(sql))[0];
  const orders = await one(q.orders);
  const refunds = await one(q.refunds);
  const members = await one(q.members);
  const visits = await one(q.visits);
  const commissions = await one(q.commissions);
  const paid = await one(q.paid);
  return {
    totals: {
      ...zero(),
      paidOrders: n(orders?.paidOrders),
      gmvFen: n(orders?.gmvFen),
      repeatOrders: n(orders?.repeatOrders),
      referralOrders: n(orders?.referralOrders),
      referralGmvFen: n(orders?.referralGmvFen),
      newPayingMembers: n(orders?.newPayingMembers) - n(refunds?.refundedFirst),
      referredNewPaying: n(orders?.referredNewPaying) - n(refunds?.refundedReferredFirst),
      refundedOrders: n(refunds?.refundedOrders),
      refundedFen: n(refunds?.refundedFen),
      newMembers: n(members?.newMembers),
      referredSignups: n(members?.referredSignups),
      visits: n(visits?.visits),
      commissionL1Fen: n(commissions?.l1),
      commissionL2Fen: n(commissions?.l2),
      commissionL3Fen: n(commissions?.l3),
      commissionsPaidFen: n(paid?.commissionsPaidFen),
      cashbackPaidFen: n(paid?.cashbackPaidFen),
      teamBonusFen: n(paid?.teamBonusFen),
      stepBonusFen: n(paid?.stepBonusFen),
    },
    distinct: { sharers: n(visits?.sharers), activeDistributors: n(commissions?.earners), payers: n(orders?.payers), repeaters: n(orders?.repeaters) },
  };
}

/**
 * The same figures from the raw tables (orders, members, visits, commissions, the ledger), with no
 * aggregate: what the reconciliation test and the e2e test door compare the dashboard with. With `cut`
 * (a comparison period's), its last day ends at the cut.
 */
export async function rawKpi(db: Db, p: Period, tz: string, cut?: PartialDay | null): Promise<{ figures: KpiFigures; liabilities: Liabilities; top: TopDistributor[] }> {
  const [fy, fm, fd] = p.from.split("-").map(Number) as [number, number, number];
  const end = addDays(p.to, 1);
  const [ty, tm, td] = end.split("-").map(Number) as [number, number, number];
  const from = zonedMidnight(fy, fm, fd, tz);
  const to = cut ? new Date(cut.to) : zonedMidnight(ty, tm, td, tz);
  const n = (v: unknown) => Number(v ?? 0);
  const raw = await rawTotals(db, from, to);
  const [owed] = await db.$queryRaw<Record<string, bigint | null>[]>`
    SELECT SUM(e."amountFen") FILTER (WHERE e.bucket = 'pending' AND t.kind LIKE 'commission\\_%') AS "pendingCommissionFen",
           SUM(e."amountFen") FILTER (WHERE e.bucket = 'pending' AND t.kind LIKE 'rebate\\_%') AS "pendingCashbackFen",
           SUM(e."amountFen") FILTER (WHERE e.bucket = 'withdrawing') AS "withdrawingFen",
           SUM(e."amountFen") FILTER (WHERE e.bucket = 'available' AND e."memberId" IS NOT NULL) AS "availableFen",
           SUM(e."amountFen") FILTER (WHERE e.bucket = 'credit' AND e."memberId" IS NOT NULL) AS "creditFen"
    FROM "LedgerTxn" t JOIN "LedgerEntry" e ON e."txnId" = t.id WHERE t."createdAt" < ${to}`;
  const topRows = await db.$queryRaw<{ memberId: number; earned: bigint }[]>`
    SELECT "beneficiaryId" AS "memberId", SUM("amountFen") AS earned FROM "Commission"
    WHERE status NOT IN ('FORFEITED', 'VOID') AND "createdAt" >= ${from} AND "createdAt" < ${to}
    GROUP BY "beneficiaryId" ORDER BY earned DESC, "beneficiaryId" LIMIT 10`;
  const top = topRows.map((r) => ({ memberId: r.memberId, earnedFen: Number(r.earned) }));
  const names = new Map((await db.member.findMany({ where: { id: { in: top.map((r) => r.memberId) } }, select: { id: true, nickname: true, phoneMasked: true, username: true } })).map((m) => [m.id, m.nickname ?? m.phoneMasked ?? m.username ?? `#${m.id}`]));
  return {
    figures: figuresOf(raw.totals, raw.distinct),
    liabilities: { pendingCommissionFen: n(owed?.pendingCommissionFen), pendingCashbackFen: n(owed?.pendingCashbackFen), withdrawingFen: n(owed?.withdrawingFen), availableFen: n(owed?.availableFen), creditFen: n(owed?.creditFen) },
    top: top.map((r) => ({ ...r, name: names.get(r.memberId) ?? `#${r.memberId}` })),
  };
}
