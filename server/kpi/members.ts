// The member figures of a KPI period (issue 11; issue 14 item 7): distinct sharers (K-factor), distinct
// active distributors, distinct payers and repeat payers (repurchase rate), and the top earners, exact as rawKpi counts them. Grouping a period's
// KpiMemberDay rows by member costs ~8 500 rows a day at 10 M orders, so a period's days before today
// are cached in KpiMemberCache (in the database: shared by every app instance), valid while the sum of
// those days' KpiDaily.memberVersion — bumped by every fold that writes one of their member rows — is
// the one stored with them; today's members are read live, each row with the member's latest earlier
// shared, earning, paid and repeat-paid days (kept by the folds), and added to the cached part.
// A member-day's earnedFen is the commissions accrued that day less those of them voided since (a void's
// fact is dated at its commission's accrual): never negative once both are folded (checked, else grouped).
import { Prisma, type Db } from "../db";
import { addDays, type Period } from "./periods";

/** How many top earners the dashboard lists. */
export const TOP_EARNERS = 10;
/** How many a cached period keeps: its 100th bounds every other member's earnings in it. */
const TOP_CACHED = 100;
/** Cached periods kept: the presets need about seven a day; the rest are custom ranges. */
const KEEP = 500;
/** Attempts at a consistent cached read before grouping the whole period instead (folds racing). */
const ATTEMPTS = 3;

export interface Earner {
  memberId: number;
  earned: number;
}

export interface MemberFigures {
  sharers: number;
  activeDistributors: number;
  /** Members with a paid order; of them, those with a paid order that is not their first paid order. */
  payers: number;
  repeaters: number;
  /** By earned descending, then memberId; only members who earned. */
  top: Earner[];
}

/**
 * A period's member-day rows. One day's come in memberId order (the primary key): grouped without
 * hashing, ~5× cheaper for today's ~8 000 members than the same rows hashed from a range.
 */
const daysOf = (p: Period) => (p.from === p.to ? Prisma.sql`day = ${p.from}` : Prisma.sql`day BETWEEN ${p.from} AND ${p.to}`);

type Grouped = { stamp: bigint; sharers: bigint; earners: bigint; payers: bigint; repeaters: bigint; negative: boolean | null; top: Earner[] | null };

/**
 * A period's figures from one pass over its member-day rows grouped by member (the top hundred
 * earners), and the version stamp of its days read in the same statement (so in the same snapshot).
 */
export async function grouped(db: Db, p: Period): Promise<MemberFigures & { stamp: bigint; negative: boolean }> {
  // Summed as float8, not numeric (cheaper per group; exact for whole fen below 2^53).
  const [row] = await db.$queryRaw<Grouped[]>`
    WITH m AS MATERIALIZED (
      SELECT "memberId", bool_or(shared) AS shared, SUM("earnedFen"::float8) AS earned, bool_or("earnedFen" < 0) AS negative,
             bool_or(paid) AS paid, bool_or(repeated) AS repeated
      FROM "KpiMemberDay" WHERE ${daysOf(p)} GROUP BY "memberId")
    SELECT (SELECT COALESCE(SUM("memberVersion"), 0) FROM "KpiDaily" WHERE day BETWEEN ${p.from} AND ${p.to})::bigint AS stamp,
           (SELECT COUNT(*) FROM m WHERE shared) AS sharers,
           (SELECT COUNT(*) FROM m WHERE earned > 0) AS earners,
           (SELECT COUNT(*) FROM m WHERE paid) AS payers,
           (SELECT COUNT(*) FROM m WHERE repeated) AS repeaters,
           (SELECT bool_or(negative) FROM m) AS negative,
           (SELECT json_agg(json_build_object('memberId', "memberId", 'earned', earned) ORDER BY earned DESC, "memberId")
              FROM (SELECT "memberId", earned FROM m WHERE earned > 0 ORDER BY earned DESC, "memberId" LIMIT ${TOP_CACHED}) t) AS top`;
  return {
    stamp: row?.stamp ?? 0n,
    negative: row?.negative === true,
    sharers: Number(row?.sharers ?? 0),
    activeDistributors: Number(row?.earners ?? 0),
    payers: Number(row?.payers ?? 0),
    repeaters: Number(row?.repeaters ?? 0),
    top: row?.top ?? [],
  };
}

const shown = (f: MemberFigures): MemberFigures => ({ sharers: f.sharers, activeDistributors: f.activeDistributors, payers: f.payers, repeaters: f.repeaters, top: f.top.slice(0, TOP_EARNERS) });

/**
 * Groups a period and stores the result with its stamp (an older stamp never overwrites a newer);
 * a period with a negative member-day is not stored (the live merge below needs none).
 */
async function fill(db: Db, p: Period): Promise<MemberFigures & { stored: boolean }> {
  const g = await grouped(db, p);
  if (g.negative) return { ...shown(g), stored: false };
  await db.$executeRaw`
    INSERT INTO "KpiMemberCache" ("fromDay", "toDay", stamp, sharers, earners, payers, repeaters, top)
    VALUES (${p.from}, ${p.to}, ${g.stamp}, ${g.sharers}, ${g.activeDistributors}, ${g.payers}, ${g.repeaters}, ${JSON.stringify(g.top)}::jsonb)
    ON CONFLICT ("fromDay", "toDay") DO UPDATE
      SET stamp = EXCLUDED.stamp, sharers = EXCLUDED.sharers, earners = EXCLUDED.earners, payers = EXCLUDED.payers, repeaters = EXCLUDED.repeaters,
          top = EXCLUDED.top, "createdAt" = EXCLUDED."createdAt"
      WHERE "KpiMemberCache".stamp <= EXCLUDED.stamp`;
  await db.$executeRaw`
    DELETE FROM "KpiMemberCache" WHERE ("fromDay", "toDay") IN (
      SELECT "fromDay", "toDay" FROM "KpiMemberCache" ORDER BY "createdAt" DESC, "fromDay", "toDay" OFFSET ${KEEP})`;
  return { ...shown(g), stored: true };
}

type Cached = { sharers: number; earners: number; payers: number; repeaters: number; top: Earner[] };

/** A period's figures from the cache when its stamp still holds, else grouped (and cached). */
async function closedFigures(db: Db, p: Period): Promise<MemberFigures> {
  const [hit] = await db.$queryRaw<Cached[]>`
    SELECT sharers, earners, payers, repeaters, top FROM "KpiMemberCache"
    WHERE "fromDay" = ${p.from} AND "toDay" = ${p.to}
      AND stamp = (SELECT COALESCE(SUM("memberVersion"), 0) FROM "KpiDaily" WHERE day BETWEEN ${p.from} AND ${p.to})`;
  return hit ? shown({ sharers: hit.sharers, activeDistributors: hit.earners, payers: hit.payers, repeaters: hit.repeaters, top: hit.top }) : shown(await fill(db, p));
}

type Live = { cached: Cached | null; newSharers: bigint; newEarners: bigint; newPayers: bigint; newRepeaters: bigint; negative: boolean | null; top: Earner[] | null };

/**
 * The cached figures of `closed` and the live days' members, in one statement (one snapshot). A live
 * member is a new sharer (earner, payer, repeater) when their first shared (earning, paid, repeat-paid) live
 * row's prev such day is before `closed` or none: `live` starts the day after `closed`, so that prev day is their
 * latest before `live`, and their later live rows' are live days (one read of the live rows, grouped
 * by member). Their earnings over `closed`: the cached top hundred's; else 0 when the cached list is
 * not full or no live row's prev earning day is in `closed` (they earned nothing there: kept only if
 * theirs live reach the cached tenth's); else summed (by member and day) only when they could reach
 * the top ten — the hundredth's earnings plus theirs live at least the tenth's. One cached day has a
 * flat top (10th 6 928, 100th 4 669 fen at 10 M orders): 2 554 of 8 347 live members passed that
 * test, 295 of them earned on that day. `t` is materialized: inlined, each sum ran twice (filter and
 * sort). Null on a cache miss.
 */
async function withLiveDays(db: Db, closed: Period, live: Period): Promise<MemberFigures | null> {
  // At ~8 000 members a day its estimated cost can pass jit_above_cost: compiling took ~50 ms
  // (EXPLAIN ANALYZE) of a query that runs in a few.
  const [, [row]] = await db.$transaction([
    db.$executeRaw`SET LOCAL jit = off`,
    db.$queryRaw<Live[]>`
    WITH c AS (
      SELECT sharers, earners, payers, repeaters, top FROM "KpiMemberCache"
      WHERE "fromDay" = ${closed.from} AND "toDay" = ${closed.to}
        AND stamp = (SELECT COALESCE(SUM("memberVersion"), 0) FROM "KpiDaily" WHERE day BETWEEN ${closed.from} AND ${closed.to})),
    ct AS (SELECT t."memberId", t.earned FROM c, jsonb_to_recordset(c.top) AS t("memberId" int, earned float8)),
    bound AS (
      SELECT COUNT(*) AS n, COALESCE(MIN(earned), 0) AS last,
             COALESCE((SELECT earned FROM ct ORDER BY earned DESC, "memberId" OFFSET ${TOP_EARNERS - 1} LIMIT 1), 0) AS tenth
      FROM ct),
    l AS (
      SELECT "memberId", SUM("earnedFen"::float8) AS earned,
             bool_or(shared AND ("prevSharedDay" IS NULL OR "prevSharedDay" < ${closed.from})) AS "newSharer",
             bool_or("earnedFen" > 0 AND ("prevEarnedDay" IS NULL OR "prevEarnedDay" < ${closed.from})) AS "newEarner",
             bool_or(paid AND ("prevPaidDay" IS NULL OR "prevPaidDay" < ${closed.from})) AS "newPayer",
             bool_or(repeated AND ("prevRepeatDay" IS NULL OR "prevRepeatDay" < ${closed.from})) AS "newRepeater",
             COALESCE(bool_or("prevEarnedDay" >= ${closed.from} AND "prevEarnedDay" <= ${closed.to}), false) AS "earnedBefore",
             bool_or("earnedFen" < 0) AS negative
      FROM "KpiMemberDay" WHERE ${daysOf(live)} GROUP BY "memberId"),
    n AS (SELECT COUNT(*) FILTER (WHERE "newSharer") AS "newSharers", COUNT(*) FILTER (WHERE "newEarner") AS "newEarners",
                 COUNT(*) FILTER (WHERE "newPayer") AS "newPayers", COUNT(*) FILTER (WHERE "newRepeater") AS "newRepeaters", bool_or(negative) AS negative FROM l),
    t AS MATERIALIZED (
      SELECT l."memberId",
             l.earned + CASE WHEN ct."memberId" IS NOT NULL THEN ct.earned
                             WHEN bound.n < ${TOP_CACHED} OR NOT l."earnedBefore" THEN 0
                             ELSE (SELECT COALESCE(SUM(d."earnedFen"), 0)::float8 FROM "KpiMemberDay" d WHERE d."memberId" = l."memberId" AND d.day BETWEEN ${closed.from} AND ${closed.to})
                        END AS total
      FROM l CROSS JOIN bound LEFT JOIN ct ON ct."memberId" = l."memberId"
      WHERE ct."memberId" IS NOT NULL OR bound.n < ${TOP_CACHED}
         OR (l.earned > 0 AND l.earned >= bound.tenth - CASE WHEN l."earnedBefore" THEN bound.last ELSE 0 END))
    SELECT (SELECT row_to_json(c) FROM c) AS cached, n."newSharers", n."newEarners", n."newPayers", n."newRepeaters", n.negative,
           (SELECT json_agg(json_build_object('memberId', "memberId", 'earned', total) ORDER BY total DESC, "memberId")
              FROM (SELECT "memberId", total FROM t WHERE total > 0 ORDER BY total DESC, "memberId" LIMIT ${TOP_EARNERS}) x) AS top
    FROM n`,
  ]);
  if (!row?.cached) return null;
  // A negative live day could drop a cached earner or top member: group instead.
  if (row.negative) return shown(await grouped(db, { from: closed.from, to: live.to }));
  // Every member of the true top ten is in the cached ten (if not live: the cached ten only gained)
  // or in the live ten; a cached entry of a live member outside the live ten is below the live ten.
  const totals = new Map(row.cached.top.slice(0, TOP_EARNERS).map((e) => [e.memberId, e.earned]));
  for (const e of row.top ?? []) totals.set(e.memberId, e.earned);
  const top = [...totals]
    .map(([memberId, earned]) => ({ memberId, earned }))
    .sort((a, b) => b.earned - a.earned || a.memberId - b.memberId)
    .slice(0, TOP_EARNERS);
  return {
    sharers: row.cached.sharers + Number(row.newSharers),
    activeDistributors: row.cached.earners + Number(row.newEarners),
    payers: row.cached.payers + Number(row.newPayers),
    repeaters: row.cached.repeaters + Number(row.newRepeaters),
    top,
  };
}

/**
 * The member figures of `p`: its days before `today` from the cache (grouped and stored on a miss),
 * its days from `today` on read live.
 */
export async function memberFigures(db: Db, p: Period, today: string): Promise<MemberFigures> {
  const closedTo = p.to < today ? p.to : addDays(today, -1);
  if (closedTo < p.from) return shown(await grouped(db, p));
  const closed = { from: p.from, to: closedTo };
  if (closedTo === p.to) return closedFigures(db, closed);
  const live = { from: today, to: p.to };
  for (let i = 0; i < ATTEMPTS; i++) {
    const f = await withLiveDays(db, closed, live);
    if (f) return f;
    if (!(await fill(db, closed)).stored) break;
  }
  return shown(await grouped(db, p));
}
