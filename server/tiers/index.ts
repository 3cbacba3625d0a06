// Member tiers (会员等级, SPEC §7) and the monthly team bonus (团队绩效).
// Metrics come from counters kept in step with events: qualified directs and team size live on
// Member; gmv90 sums GmvCredit rows (one per completed order per buyer/ancestor) in a 90-day range.
import { Prisma, type Db } from "../db";
import type { Ctx } from "../context";
import { loadConfig, notify, notifyMany } from "../context";
import { recordEveryoneDistributorsInBatches } from "../distribution";
import { isTeamBonusTier, type MallConfig, type TierConfig } from "../config/schema";
import { TEAM_BONUS_DEPTHS } from "../rules/compliance";
import { DAY, localParts, monthKey, monthStart } from "../clock/time";
import { runBatched, type BatchedJob, type BatchRunOptions, type BatchRunResult } from "../scheduler/batches";
import { postBonuses } from "../bonus/pay";
import { applyBps } from "../money";
import { frozenAtSql, statusAt, statusAtSql } from "../members/status-history";
import { payLateCompletionCorrections, type LateCorrectedBonus } from "../bonus/late-completions";
import { topUpTeamBonus } from "../bonus/team";
import { monthBasesAt, movedSinceSql, sponsorAtSql } from "./at-close";

export interface TierMetrics {
  directs: number;
  team: number;
  gmv90: number;
}

/** Every threshold of tier `t` holds for counters `m` (SPEC §7). */
export function meetsTier(t: TierConfig, m: TierMetrics): boolean {
  return (t.minDirects ?? 0) <= m.directs && (t.minTeam ?? 0) <= m.team && (t.minGmv90Fen ?? 0) <= m.gmv90;
}

export function tierFor(config: MallConfig, m: TierMetrics): TierConfig {
  for (let i = config.tiers.length - 1; i >= 0; i--) {
    const t = config.tiers[i];
    if (meetsTier(t, m)) return t;
  }
  return config.tiers[0];
}

export function tierConfig(config: MallConfig, name: string): TierConfig | undefined {
  return config.tiers.find((t) => t.name === name);
}

/** gmv90: goods of COMPLETED orders of the member and their downline completed in [now-90d, now]. */
export async function gmv90(ctx: Pick<Ctx, "tx" | "now">, memberId: number): Promise<number> {
  return (await gmv90Of(ctx, [memberId])).get(memberId) ?? 0;
}

/** gmv90 of several members in one statement (members with nothing in the window are absent). */
export async function gmv90Of(ctx: Pick<Ctx, "tx" | "now">, memberIds: number[]): Promise<Map<number, number>> {
  const since = new Date(ctx.now.getTime() - 90 * DAY);
  const rows = await ctx.tx.$queryRaw<{ memberId: number; sum: bigint }[]>`
    SELECT "memberId", sum("amountFen") AS sum FROM "GmvCredit"
    WHERE "memberId" = ANY(${memberIds}::int[]) AND "completedAt" >= ${since} AND "completedAt" <= ${ctx.now}
    GROUP BY "memberId"`;
  return new Map(rows.map((g) => [g.memberId, Number(g.sum)]));
}

export async function tierMetrics(ctx: Pick<Ctx, "tx" | "now">, memberId: number): Promise<TierMetrics> {
  const m = await ctx.tx.member.findUniqueOrThrow({ where: { id: memberId }, select: { qualifiedDirects: true, teamSize: true } });
  return { directs: m.qualifiedDirects, team: m.teamSize, gmv90: await gmv90(ctx, memberId) };
}

/** Recomputes one member's tier; tiers rise and fall. Notifies the member on a change. */
export async function recomputeTier(ctx: Ctx, memberId: number): Promise<string> {
  const member = await ctx.tx.member.findUniqueOrThrow({ where: { id: memberId }, select: { id: true, tier: true, qualifiedDirects: true, teamSize: true } });
  return recomputeTierOf(ctx, member);
}

/**
 * recomputeTier for a member whose tier and counters were just read (or updated and returned).
 * gmv90 is summed only when a tier that needs it has its other thresholds met: otherwise it decides nothing.
 */
export async function recomputeTierOf(ctx: Ctx, m: { id: number; tier: string; qualifiedDirects: number; teamSize: number }): Promise<string> {
  const needsGmv = ctx.config.tiers.some((t) => (t.minGmv90Fen ?? 0) > 0 && (t.minDirects ?? 0) <= m.qualifiedDirects && (t.minTeam ?? 0) <= m.teamSize);
  const tier = tierFor(ctx.config, { directs: m.qualifiedDirects, team: m.teamSize, gmv90: needsGmv ? await gmv90(ctx, m.id) : 0 });
  if (tier.name !== m.tier) {
    // The tier and its status history row in one statement, the row from the tier the locked row held (SPEC §7, late team bonus).
    // A deleted account keeps the tier it had and is told nothing, as in recomputeTiers.
    const [live] = await ctx.tx.$queryRaw<{ n: number }[]>`
      WITH o AS (SELECT id, tier FROM "Member" WHERE id = ${m.id} AND "deletedAt" IS NULL FOR NO KEY UPDATE),
        u AS (UPDATE "Member" m SET tier = ${tier.name} FROM o WHERE m.id = o.id),
        h AS (INSERT INTO "MemberStatusChange" ("memberId", kind, previous, value, at)
          SELECT o.id, 'TIER', o.tier, ${tier.name}, ${ctx.now} FROM o WHERE o.tier <> ${tier.name})
      SELECT count(*)::int AS n FROM o`;
    if (!live?.n) return m.tier;
    await notify(ctx, m.id, "tier", "tier.changed", { tier: tier.name, tierLabel: tier.label ?? tier.name });
  }
  return tier.name;
}

/**
 * recomputeTier for a batch of members, set-wise (the nightly review and the team bonus): one read of
 * the members, one gmv90 sum for those it can decide, one update and one insert of notices for the
 * changes, in member order. Members' tiers do not depend on each other, so this equals one call each.
 * A deleted account keeps the tier it had (it earns nothing more and is told nothing). Returns each other member's tier.
 */
export async function recomputeTiers(ctx: Ctx, memberIds: number[]): Promise<Map<number, string>> {
  if (memberIds.length === 0) return new Map();
  // Arrays, not IN lists: one statement text (prepared once) whatever the number of members.
  const members = await ctx.tx.$queryRaw<{ id: number; tier: string; qualifiedDirects: number; teamSize: number }[]>`
    SELECT id, tier::text AS tier, "qualifiedDirects", "teamSize" FROM "Member" WHERE id = ANY(${memberIds}::int[]) AND "deletedAt" IS NULL ORDER BY id`;
  const needsGmv = members.filter((m) => ctx.config.tiers.some((t) => (t.minGmv90Fen ?? 0) > 0 && (t.minDirects ?? 0) <= m.qualifiedDirects && (t.minTeam ?? 0) <= m.teamSize));
  const gmv = needsGmv.length === 0 ? new Map<number, number>() : await gmv90Of(ctx, needsGmv.map((m) => m.id));
  const tiers = new Map<number, string>();
  const changed: { id: number; tier: TierConfig }[] = [];
  for (const m of members) {
    const tier = tierFor(ctx.config, { directs: m.qualifiedDirects, team: m.teamSize, gmv90: gmv.get(m.id) ?? 0 });
    tiers.set(m.id, tier.name);
    if (tier.name !== m.tier) changed.push({ id: m.id, tier });
  }
  if (changed.length > 0) {
    // Locked deepest in the tree first (`d`), as a payment locks its buyer before the sponsor and a sponsor change its
    // members: the update alone locks in its plan's order (id or heap), a sponsor before its downline. The same statement
    // records each tier that changed from the one its locked row held (status history, SPEC §7 late team bonus).
    await ctx.tx.$executeRaw`
      WITH d AS MATERIALIZED (
        SELECT m.id, m.tier AS previous, x.tier FROM "Member" m JOIN unnest(${changed.map((c) => c.id)}::int[], ${changed.map((c) => c.tier.name)}::text[]) AS x(id, tier) ON x.id = m.id
        ORDER BY (SELECT count(*) FROM "SponsorClosure" c WHERE c."descendantId" = m.id) DESC, m.id FOR NO KEY UPDATE OF m),
        u AS (UPDATE "Member" m SET tier = d.tier FROM d WHERE m.id = d.id)
      INSERT INTO "MemberStatusChange" ("memberId", kind, previous, value, at)
      SELECT d.id, 'TIER', d.previous, d.tier, ${ctx.now} FROM d WHERE d.previous <> d.tier ORDER BY d.id`;
    await notifyMany(ctx, changed.map((c) => ({ memberId: c.id, kind: "tier", key: "tier.changed" as const, params: { tier: c.tier.name, tierLabel: c.tier.label ?? c.tier.name } })));
  }
  return tiers;
}

const usesTeam = (c: MallConfig) => c.tiers.some((t) => (t.minTeam ?? 0) > 0);
const usesGmv = (c: MallConfig) => c.tiers.some((t) => (t.minGmv90Fen ?? 0) > 0);

async function ancestorIds(ctx: Ctx, memberId: number): Promise<number[]> {
  const rows = await ctx.tx.sponsorClosure.findMany({ where: { descendantId: memberId }, select: { ancestorId: true } });
  return rows.map((r) => r.ancestorId);
}

/** Re-tiers a member and every sponsor-tree ancestor (after order and membership events). */
export async function recomputeTiersAround(ctx: Ctx, memberId: number): Promise<void> {
  await recomputeTiers(ctx, [memberId, ...(await ancestorIds(ctx, memberId))]);
}

/** A sign-up changed the team size of every ancestor. */
export async function recomputeTiersForTeamChange(ctx: Ctx, newMemberId: number) {
  if (!usesTeam(ctx.config)) return;
  await recomputeTiers(ctx, await ancestorIds(ctx, newMemberId));
}

/** An order completed: record gmv credits for the buyer and every ancestor, then re-tier them. */
export async function recordCompletedGmv(ctx: Ctx, order: { id: number; memberId: number; goodsFen: number; completedAt: Date }) {
  // A sponsor change moving the buyer holds its row, which the caller (completeOrder) took in its previous statement:
  // this statement starts after such a move committed and credits the ancestors the buyer has after it. (A lock taken
  // here would not do: the closure would be read as of the statement's start, before the wait.)
  const rows = await ctx.tx.$queryRaw<{ memberId: number; depth: number }[]>`
    WITH m AS MATERIALIZED (SELECT id FROM "Member" WHERE id = ${order.memberId} FOR SHARE),
    r AS (
      SELECT m.id AS "memberId", 0 AS depth FROM m
      UNION ALL
      SELECT c."ancestorId", c.depth FROM m JOIN "SponsorClosure" c ON c."descendantId" = m.id
    ), g AS (
      INSERT INTO "GmvCredit" ("memberId", "orderId", depth, "amountFen", "completedAt")
      SELECT r."memberId", ${order.id}, r.depth, ${order.goodsFen}, ${order.completedAt} FROM r WHERE ${order.goodsFen} > 0
      ON CONFLICT DO NOTHING
    )
    SELECT "memberId", depth FROM r`;
  // The buyer and every ancestor at once: a few statements however deep the tree.
  if (usesGmv(ctx.config)) await recomputeTiers(ctx, rows.map((r) => r.memberId));
}

/**
 * Nightly review (SPEC §7): every member above the base tier (gmv90 decays, thresholds change with the rules),
 * and every base-tier member some higher tier's thresholds hold for under the rules in force (a lowered
 * threshold lifts them with no event of theirs). The walk by id reads each member's stored counters once; the
 * gmv90 sum (index on memberId, completedAt) is probed only for those whose counters meet a tier that needs it.
 */
export function tierReviewJob(now: Date, tz: string, batchSize?: number): BatchedJob {
  const d = localParts(now, tz);
  return {
    key: `tier_review:${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`,
    batchSize,
    nextIds: async (ctx, afterId, limit) => {
      const [base, ...above] = ctx.config.tiers;
      const since = new Date(ctx.now.getTime() - 90 * DAY);
      // The lowest thresholds of any higher tier: plain column tests that pass over most base-tier members at once.
      const least = (f: (t: TierConfig) => number) => (above.length === 0 ? 0 : Math.min(...above.map(f)));
      const rows = await ctx.tx.$queryRaw<{ id: number }[]>`
        SELECT m.id FROM "Member" m
        WHERE m.id > ${afterId} AND (m.tier <> ${base.name} OR (
          m."qualifiedDirects" >= ${least((t) => t.minDirects ?? 0)}::bigint AND m."teamSize" >= ${least((t) => t.minTeam ?? 0)}::bigint
          AND EXISTS (
            -- bigint: a version stored before the int4 bound (config/schema configBounds) may hold a larger threshold.
            SELECT 1 FROM unnest(${above.map((t) => t.minDirects ?? 0)}::bigint[], ${above.map((t) => t.minTeam ?? 0)}::bigint[],
              ${above.map((t) => t.minGmv90Fen ?? 0)}::bigint[]) AS t(directs, team, gmv)
            WHERE m."qualifiedDirects" >= t.directs AND m."teamSize" >= t.team
              AND (t.gmv = 0 OR (SELECT COALESCE(sum(g."amountFen"), 0) FROM "GmvCredit" g
                WHERE g."memberId" = m.id AND g."completedAt" >= ${since} AND g."completedAt" <= ${ctx.now}) >= t.gmv))))
        ORDER BY m.id LIMIT ${limit}`;
      return rows.map((r) => r.id);
    },
    processBatch: async (ctx, ids) => {
      await recomputeTiers(ctx, ids);
      return ids.length;
    },
  };
}

/**
 * The nightly tier review in batches (one transaction per batch, resumable; once per local day). `instant` names the
 * local day whose review it is (default: now's): a caught-up night records its own day; tiers are always as of now.
 */
export async function reviewTiers(db: Db, opts: BatchRunOptions & { instant?: Date }): Promise<BatchRunResult> {
  const config = opts.config ?? (await loadConfig(db, opts.now));
  // SPEC §4: the status an `everyone` period gives is stored by the night after it began, also when a scheduled version began it.
  await recordEveryoneDistributorsInBatches(db, { ...opts, config });
  return runBatched(db, tierReviewJob(opts.instant ?? opts.now, config.timeZone, opts.batchSize), { ...opts, config });
}

/**
 * The members (ids, in order) for whom every threshold of `tier` held at instant `at`, in one statement: gmv90 from the
 * credits completed in the 90 days up to it; qualified directs and team size as their counters stand, less what changed
 * after it (a direct whose order was paid or refunded since counts as it stood then; a downline signed up since, not at
 * all). Sponsor changes started after it are undone (sponsorAtSql): each moved member's sponsor then is the one its first
 * such change moved it from, and the members whose ancestors such a change shifted (the moved teams, signed up by then)
 * are counted, with their own gmv credits, under the ancestors they had then instead of those they have now. A change
 * started by the instant took effect then: one still running is rebuilt the same way, its whole team under the new upline.
 */
async function thresholdsHeldAt(ctx: Pick<Ctx, "tx">, memberIds: number[], tier: TierConfig, at: Date): Promise<number[]> {
  const [directs, team, gmv] = [tier.minDirects ?? 0, tier.minTeam ?? 0, tier.minGmv90Fen ?? 0];
  if (directs === 0 && team === 0 && gmv === 0) return memberIds;
  const since = new Date(at.getTime() - 90 * DAY);
  const changedSince = (d: Prisma.Sql) =>
    Prisma.sql`EXISTS (SELECT 1 FROM "Order" o WHERE o."memberId" = ${d} AND (o."paidAt" > ${at} OR o."refundedAt" > ${at}))`;
  const qualifiedAt = (d: Prisma.Sql) =>
    Prisma.sql`EXISTS (SELECT 1 FROM "Order" o WHERE o."memberId" = ${d} AND o."paidAt" <= ${at} AND (o."refundedAt" IS NULL OR o."refundedAt" > ${at}))`;
  const rows = await ctx.tx.$queryRaw<{ id: number }[]>`
    WITH RECURSIVE${movedSinceSql(memberIds, at, since, "<=")},
      up(id, fen, anc) AS (
        SELECT s.id, s.fen, ${sponsorAtSql(Prisma.sql`s.id`)} FROM s
        UNION ALL
        SELECT up.id, up.fen, ${sponsorAtSql(Prisma.sql`up.anc`)} FROM up WHERE up.anc IS NOT NULL),
      shift AS (
        SELECT id, sum(n) AS n, sum(fen) AS fen FROM (
          SELECT c.id, -1 AS n, -s.fen AS fen FROM s CROSS JOIN LATERAL unnest(ARRAY(SELECT c."ancestorId" FROM "SponsorClosure" c
            WHERE c."descendantId" = s.id AND c."ancestorId" = ANY(${memberIds}::int[]))) AS c(id)
          UNION ALL
          SELECT up.anc, 1, up.fen FROM up WHERE up.anc = ANY(${memberIds}::int[])) t
        GROUP BY id),
      joined AS (
        SELECT c.id, count(*) AS n FROM "Member" d CROSS JOIN LATERAL unnest(ARRAY(SELECT c."ancestorId" FROM "SponsorClosure" c
          WHERE c."descendantId" = d.id AND c."ancestorId" = ANY(${memberIds}::int[]))) AS c(id)
        WHERE ${team} > 0 AND d."createdAt" > ${at} GROUP BY c.id)
    SELECT m.id FROM "Member" m LEFT JOIN joined j ON j.id = m.id LEFT JOIN shift sh ON sh.id = m.id
    WHERE m.id = ANY(${memberIds}::int[])
      AND (${directs} = 0 OR m."qualifiedDirects"
        - (SELECT COALESCE(sum((d."paidUnrefundedCount" > 0)::int), 0) FROM "Member" d
          WHERE d."sponsorId" = m.id AND (d.id IN (SELECT id FROM f) OR ${changedSince(Prisma.sql`d.id`)}))
        + (SELECT COALESCE(sum((${qualifiedAt(Prisma.sql`d.id`)})::int), 0) FROM "Member" d
          WHERE d."sponsorId" = m.id AND d.id NOT IN (SELECT id FROM f) AND ${changedSince(Prisma.sql`d.id`)})
        + (SELECT COALESCE(sum((${qualifiedAt(Prisma.sql`f.id`)})::int), 0) FROM f WHERE f.sponsor = m.id) >= ${directs})
      AND m."teamSize" - COALESCE(j.n, 0) + COALESCE(sh.n, 0) >= ${team}
      AND (${gmv}::bigint = 0 OR (SELECT COALESCE(sum(g."amountFen"), 0) FROM "GmvCredit" g
        WHERE g."memberId" = m.id AND g."completedAt" >= ${since} AND g."completedAt" <= ${at}) + COALESCE(sh.fen, 0) >= ${gmv}::bigint)
    ORDER BY m.id`;
  return rows.map((r) => r.id);
}

/**
 * For the member row aliased `m`: `tier`'s thresholds may have held at instant `at`, a cheap pre-filter of a walk (the
 * batch decides): qualified directs and team size as the counters stand, gmv90 over the 90 days up to `at`; or a
 * direct's order was refunded since (the counter fell after the instant: thresholdsHeldAt counts it as it stood); or a
 * sponsor change started since moved a team from under it (directs, team and gmv credits left it after the instant); or
 * one started by the instant and still running moves a team under it (the counters have not all reached it yet).
 */
function mayHoldAtSql(tier: TierConfig, at: Date): Prisma.Sql {
  const since = new Date(at.getTime() - 90 * DAY);
  return Prisma.sql`((m."qualifiedDirects" >= ${tier.minDirects ?? 0} AND m."teamSize" >= ${tier.minTeam ?? 0}
    AND (${tier.minGmv90Fen ?? 0}::bigint = 0 OR (SELECT COALESCE(sum(g."amountFen"), 0) FROM "GmvCredit" g
      WHERE g."memberId" = m.id AND g."completedAt" >= ${since} AND g."completedAt" <= ${at}) >= ${tier.minGmv90Fen ?? 0}::bigint))
    OR m.id IN (SELECT d."sponsorId" FROM "Order" o JOIN "Member" d ON d.id = o."memberId" WHERE o."refundedAt" > ${at})
    OR m.id IN (SELECT unnest("oldAncestorIds") FROM "SponsorChangeRequest" WHERE "startedAt" > ${at})
    OR m.id IN (SELECT unnest("newAncestorIds") FROM "SponsorChangeRequest" WHERE status = 'RUNNING' AND "startedAt" <= ${at}))`;
}

/** The month a bonus run at `now` (00:00 on the 1st, merchant time) pays for: [start, end). */
export function previousMonth(now: Date, tz: string) {
  const end = monthStart(now, tz);
  const start = monthStart(new Date(end.getTime() - 1), tz);
  return { start, end, month: monthKey(start, tz) };
}

/**
 * Team bonus for the month that ended at `now` (00:00 on the 1st, merchant time): each partner
 * earns teamBonusBps of the goods of depth 1..3 downline orders completed in that month. Exactly once
 * per member and month (unique key), however often or late it runs; batched over the partners.
 */
export function teamBonusJob(now: Date, tz: string, batchSize?: number, tierRules?: MallConfig, members?: number[]): BatchedJob {
  const { start, end, month } = previousMonth(now, tz);
  const partnerTiers = (c: MallConfig) => c.tiers.filter(isTeamBonusTier).map((t) => t.name);
  return {
    key: `team_bonus:${month}`,
    batchSize,
    nextIds: async (ctx, afterId, limit) => {
      const tiers = partnerTiers(ctx.config);
      if (tiers.length === 0 || ctx.config.teamBonusBps === 0) return [];
      // A partner and not frozen at the instant the month closed, as the stepped bonus judges it (frozenAtSql), from the
      // status history: a late run pays one frozen or dropped since, not one unfrozen or risen since. The candidates are
      // the partners now and those whose tier changed since; one with no change since is as the row stands (older data).
      // A deleted account forfeited what it had not been credited (server/members/deletion.ts): a late run pays it nothing.
      // Also candidates: those a rules version in force at the instant may have lifted with no event of theirs (mayHoldAtSql).
      const rows = await ctx.tx.$queryRaw<{ id: number }[]>`
        SELECT m.id FROM "Member" m
        WHERE m.id > ${afterId}
          AND ((m.tier = ANY(${tiers}::text[]) OR m.id IN (SELECT "memberId" FROM "MemberStatusChange" WHERE kind = 'TIER' AND at > ${end}))
            AND COALESCE(${statusAtSql("TIER", end)}, m.tier) = ANY(${tiers}::text[]) OR ${mayHoldAtSql(ctx.config.tiers.find(isTeamBonusTier)!, end)})
          AND NOT ${frozenAtSql(end)}
          AND m."deletedAt" IS NULL${members ? Prisma.sql` AND m.id = ANY(${members}::int[])` : Prisma.empty}
        ORDER BY m.id LIMIT ${limit}`;
      return rows.map((r) => r.id);
    },
    processBatch: async (ctx, ids) => {
      const tiers = partnerTiers(ctx.config);
      // Key share, as a commission's beneficiaries: an account deletion (FOR UPDATE) committed since nextIds is waited for
      // and its member left out (the WHERE is checked again); one that waits behind the batch sees the credit and refuses.
      const live = (await ctx.tx.$queryRaw<{ id: number }[]>`
        SELECT id FROM "Member" WHERE id = ANY(${ids}::int[]) AND "deletedAt" IS NULL ORDER BY id FOR KEY SHARE`).map((r) => r.id);
      // The whole batch set-wise: tiers, the partners' bases, bonus rows, ledger postings, notices.
      const current = await recomputeTiers(tierRules ? { ...ctx, config: tierRules } : ctx, live);
      // The tier at the instant: a run at it recomputes it (the highest whose thresholds hold then); a late one cannot, and
      // takes the tier held then (status history), not one reached or lost since.
      const late = ctx.now > end;
      const then = late ? await statusAt(ctx, ["TIER"], live, end) : new Map<number, { TIER?: string }>();
      let partners = live.filter((id) => tiers.includes(then.get(id)?.TIER ?? current.get(id) ?? ""));
      const partnerTier = ctx.config.tiers.find(isTeamBonusTier);
      if (late && partnerTier) {
        // gmv90 falls with no event, and a threshold raised or lowered by rules in force at the instant moves no tier
        // until the nightly review: one was a partner then whose every threshold held at the instant and, unless its tier
        // then was partner, no higher tier's, as a run at the instant finds (production's runs are always a little late).
        const held = await thresholdsHeldAt(ctx, live, partnerTier, end);
        const recorded = new Set(partners);
        let lifted = held.filter((id) => !recorded.has(id));
        for (const higher of ctx.config.tiers.slice(ctx.config.tiers.indexOf(partnerTier) + 1)) {
          if (lifted.length === 0) break;
          const above = new Set(await thresholdsHeldAt(ctx, lifted, higher, end));
          lifted = lifted.filter((id) => !above.has(id));
        }
        const liftedSet = new Set(lifted);
        partners = held.filter((id) => recorded.has(id) || liftedSet.has(id));
      }
      if (partners.length === 0) return 0;
      const bases = await monthBasesAt(ctx, partners, start, end);
      const due = bases
        .map((b) => ({ memberId: b.id, month, baseFen: b.fen, amountFen: applyBps(Number(b.fen), ctx.config.teamBonusBps), createdAt: ctx.now }))
        .filter((b) => b.amountFen > 0);
      if (due.length === 0) return 0;
      // Once per member and month: a row already there (an earlier, crashed run) is not paid again.
      const created = await ctx.tx.teamBonus.createManyAndReturn({ data: due, skipDuplicates: true, select: { memberId: true, amountFen: true } });
      created.sort((a, b) => a.memberId - b.memberId);
      await postBonuses(ctx, "team_bonus", created.map((b) => ({ key: `team_bonus:${b.memberId}:${month}`, memberId: b.memberId, amountFen: b.amountFen })));
      await notifyMany(ctx, created.map((b) => ({ memberId: b.memberId, kind: "team_bonus", key: "teamBonus.paid" as const, params: { month, amountFen: b.amountFen } })));
      return created.length;
    },
  };
}

/**
 * Pays the team bonus of the month closed at `instant` (default: the month before `now`) in batches; returns
 * how many members this call paid. A run late into the next month still pays the month it was due for.
 */
export async function payMonthlyTeamBonus(db: Db, opts: BatchRunOptions & { instant?: Date }): Promise<number> {
  const instant = opts.instant ?? opts.now;
  const current = opts.config ?? (await loadConfig(db, opts.now));
  // Earlier months' late completions first (server/bonus/late-completions.ts): once the month's run is complete, so are they.
  const corrected = await payLateCompletionCorrections(db, teamBonusLate(current), instant, opts);
  // A late run pays by the rules in force when the month closed (rate, partner tiers); tiers it recomputes follow today's.
  const config = instant < opts.now ? await loadConfig(db, instant) : current;
  return corrected + (await runBatched(db, teamBonusJob(instant, config.timeZone, opts.batchSize, current), { ...opts, config })).changed;
}

/** The team bonus as late completions correct it: the partners among the members, as a late run of the month. */
function teamBonusLate(tierRules: MallConfig): LateCorrectedBonus {
  return {
    name: "team_bonus",
    depths: [1, TEAM_BONUS_DEPTHS],
    atClose: true,
    payNew: async (ctx, ids, period) => {
      const job = teamBonusJob(period.end, ctx.config.timeZone, undefined, tierRules, ids);
      return job.processBatch(ctx, await job.nextIds(ctx, 0, ids.length));
    },
    topUp: (ctx, ids, period) => topUpTeamBonus(ctx, ids, period),
  };
}
