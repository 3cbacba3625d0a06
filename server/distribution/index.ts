// Who may earn 分销资格 (SPEC §4): `everyone` is a distributor from sign-up, `first_order` from their
// first paid order, `spend` once the goods of their paid, unrefunded orders reach a minimum at one of
// their payments. The status is stored (`distributorSince`) and never taken away by the engine; staff
// may suspend it (`distributorDisabledAt`, issue 9) and give it back, each with a reason, audited.
// Status gained under `everyone` follows from the rule versions' history (everyonePeriods): it is stored in
// batches nightly (never by the rules save: one UPDATE of every member would hold its transaction open) and,
// at a payment, for the members the payment concerns; until stored it still counts, so leaving `everyone`
// takes nothing away, whenever the period ended.
import { Prisma, type Db } from "../db";
import { inTx, notify, refuse, type Ctx, type TxOptions } from "../context";
import { audit, staffActor, type StaffActor } from "../audit";
import type { MallConfig } from "../config/schema";
import { fenToYuanString } from "../money";
import { commissionAncestorsSql, MAX_COMMISSION_LEVELS } from "../commission";

export type MemberStatus = { distributorSince: Date | null; distributorDisabledAt: Date | null; createdAt: Date };

/** Orders counted for `spend`: paid and not refunded (PAID onwards, COMPLETED included). */
export const PAID_UNREFUNDED = ["PAID", "SHIPPED", "DELIVERED", "COMPLETED"] as const;

/**
 * Is the member a distributor at instant `at`? Under `everyone` every member is one from sign-up. `periods`
 * (everyonePeriods): the whole `everyone` history decides, not only the mode in force, so a status not stored yet counts.
 * `suspended`: staff's suspension at `at` when the status history knows it (a re-enabling clears distributorDisabledAt).
 */
export function isDistributorAt(config: MallConfig, m: MemberStatus, at: Date, periods?: Period[], suspended = m.distributorDisabledAt !== null && m.distributorDisabledAt <= at): boolean {
  if (suspended) return false;
  if (m.distributorSince && m.distributorSince <= at) return true;
  if (periods) {
    const since = everyoneSince(periods, m.createdAt);
    return since !== null && since <= at;
  }
  return config.commission.distributorMode === "everyone" && m.createdAt <= at;
}

/**
 * isDistributorAt(config, m, now, periods) as a Member filter, for lists that count or page members by it (the back
 * office's 分销资格 filter): `distributor` true selects exactly the members it holds for at `now`, false the rest.
 * `periods`: everyonePeriods at `now` (every one starts at or before `now`, ends in order), so a member is made one by
 * them iff they signed up by `now` and before the last period's end (everyoneSince finds a period then).
 */
export function distributorWhere(periods: Period[], now: Date, distributor: boolean): Prisma.MemberWhereInput {
  const lastEnd = periods.length ? (periods.at(-1)!.end ?? null) : undefined;
  const byPeriods: Prisma.MemberWhereInput | null = lastEnd === undefined ? null : { createdAt: lastEnd === null ? { lte: now } : { lte: now, lt: lastEnd } };
  if (distributor) {
    return {
      AND: [
        { OR: [{ distributorDisabledAt: null }, { distributorDisabledAt: { gt: now } }] },
        { OR: [{ distributorSince: { lte: now } }, ...(byPeriods ? [byPeriods] : [])] },
      ],
    };
  }
  // Spelled out, not NOT(...): a NOT over a nullable column leaves out the rows where it is null.
  const notByPeriods: Prisma.MemberWhereInput[] = lastEnd === undefined ? [] : [{ OR: [{ createdAt: { gt: now } }, ...(lastEnd === null ? [] : [{ createdAt: { gte: lastEnd } }])] }];
  return {
    OR: [{ distributorDisabledAt: { lte: now } }, { AND: [{ OR: [{ distributorSince: null }, { distributorSince: { gt: now } }] }, ...notByPeriods] }],
  };
}

/** The status a new member starts with: `everyone` makes them a distributor at once. */
export function distributorSinceAtSignup(config: MallConfig, now: Date): Date | null {
  return config.commission.distributorMode === "everyone" ? now : null;
}

export type Period = { start: Date; end: Date | null };

/** When `periods` made a member who signed up at `createdAt` a distributor: the later of sign-up and the start of the first period they were a member in. */
export function everyoneSince(periods: Period[], createdAt: Date): Date | null {
  const first = periods.find((p) => p.end === null || p.end > createdAt);
  if (!first) return null;
  return first.start > createdAt ? first.start : createdAt;
}

/** The periods up to now in which `everyone` was in force (end null: still is), from the rule versions' history. */
export async function everyonePeriods(ctx: Pick<Ctx, "tx" | "now" | "config">): Promise<Period[]> {
  // The version in force from each instant is the highest one of that effectiveAt (as loadRules reads it).
  const steps = await ctx.tx.$queryRaw<{ at: Date; everyone: boolean }[]>`
    SELECT DISTINCT ON ("effectiveAt") "effectiveAt" AS at, COALESCE(config->'commission'->>'distributorMode', 'everyone') = 'everyone' AS everyone
    FROM "RuleVersion" WHERE "effectiveAt" <= ${ctx.now} ORDER BY "effectiveAt", version DESC`;
  // Never versioned: the rules in force are all the history there is.
  if (steps.length === 0) return ctx.config.commission.distributorMode === "everyone" ? [{ start: new Date(0), end: null }] : [];
  const periods: Period[] = [];
  for (const s of steps) {
    const last = periods.at(-1);
    if (s.everyone && (!last || last.end)) periods.push({ start: s.at, end: null });
    else if (!s.everyone && last && !last.end) last.end = s.at;
  }
  return periods;
}

/**
 * Stamps `distributorSince` on the members `lock` selects who have none and were members in one of `periods`: the
 * instant they became a distributor, the later of sign-up and that period's start (never after now; everyoneSince).
 * `lock(unstamped)`: a SELECT of the ids of their Member rows `m` meeting `unstamped` (and of any the caller locks for
 * the order alone, left as they are), locked (FOR NO KEY UPDATE) bottom-up as every path locks Member rows (a member
 * before those above it): in the plan's order, an ancestor held while waiting on a member below it deadlocked a payment
 * holding that member and waiting for the ancestor.
 */
function stampEveryone(ctx: Pick<Ctx, "tx" | "now">, periods: Period[], createdBefore: string, lock: (unstamped: Prisma.Sql) => Prisma.Sql): Promise<number> {
  const unstamped = Prisma.sql`m."distributorSince" IS NULL AND m."createdAt" <= ${ctx.now} AND m."createdAt" < ${createdBefore}::timestamptz`;
  return ctx.tx.$executeRaw`
    WITH l AS MATERIALIZED (${lock(unstamped)})
    UPDATE "Member" m SET "distributorSince" = (
      SELECT GREATEST(m."createdAt", p.s)
      FROM unnest(${periods.map((p) => p.start.toISOString())}::timestamptz[], ${periods.map((p) => p.end?.toISOString() ?? "infinity")}::timestamptz[]) AS p(s, e)
      WHERE p.e > m."createdAt" ORDER BY p.s LIMIT 1)
    WHERE m.id = ANY(ARRAY(SELECT id FROM l)) AND ${unstamped}`;
}

/**
 * SPEC §4: while `everyone` is in force every member is a distributor, and once one, always one. Stores that
 * status for the members `lock` selects (as stampEveryone's) without one who were a member in an `everyone` period up to
 * now; idempotent, and never a future instant, so a scheduled version replaced before its time stamps nothing.
 */
async function recordEveryoneDistributors(ctx: Pick<Ctx, "tx" | "now" | "config">, lock: (unstamped: Prisma.Sql) => Prisma.Sql): Promise<void> {
  const periods = await everyonePeriods(ctx);
  // A shop that never ran `everyone` (most) pays one read of its rule versions here, nothing more.
  if (periods.length === 0) return;
  await stampEveryone(ctx, periods, periods.at(-1)!.end?.toISOString() ?? "infinity", lock);
}

/**
 * At a payment under a mode other than `everyone`, before its first statement (server/orders onOrderPaid): stores what an
 * earlier `everyone` period gave the buyer and the members the order may pay (as server/commission reads them, which it
 * does next), a handful of rows. Locks the buyer, then its upline nearest first with the sponsor in its place when this
 * payment makes the buyer a qualified direct (the first statement updates the sponsor): in the matrix tree the sponsor
 * may sit above the buyer's nearest seats (spillover), and locked by the first statement it was held while this waited
 * for such a seat, whose member's own first payment held it and waited for the same sponsor (40P01).
 */
export async function recordEveryoneDistributorsOfPayment(ctx: Ctx, buyerId: number): Promise<void> {
  if (ctx.config.commission.distributorMode === "everyone") return;
  // The buyer locked first, its paid count read under the lock; each row by key (the id array), whatever the plan's estimates.
  await recordEveryoneDistributors(ctx, (unstamped) => Prisma.sql`
    WITH b AS MATERIALIZED (
      SELECT CASE WHEN "paidUnrefundedCount" = 0 THEN "sponsorId" END AS sponsor FROM "Member" WHERE id = ${buyerId} FOR NO KEY UPDATE),
    c(id, ord) AS MATERIALIZED (SELECT ${buyerId}::int, 0 UNION ALL SELECT a.id, a.depth FROM (${commissionAncestorsSql(ctx, buyerId)}) a),
    w(id, ord) AS MATERIALIZED (
      SELECT id, ord FROM c UNION ALL SELECT sponsor, ${MAX_COMMISSION_LEVELS + 1}::int FROM b WHERE sponsor NOT IN (SELECT id FROM c))
    SELECT m.id FROM w JOIN "Member" m ON m.id = w.id
    WHERE m.id = ANY(ARRAY(SELECT id FROM w)) AND (${unstamped} OR m.id IN (SELECT sponsor FROM b))
    ORDER BY w.ord FOR NO KEY UPDATE OF m`);
}

/**
 * Every member who signed up before the latest `everyone` period began and has no status yet, in id ranges,
 * each in a short transaction of its own (no long lock on members); one who signed up in it got the status at sign-up.
 * Newest first within a range: a member signs up after their sponsor, and is seated after the seat above them, so this
 * is a payment's order (buyer, then upline); by id, the batch held a sponsor while a paying direct held itself and waited for it.
 */
export async function recordEveryoneDistributorsInBatches(db: Db, opts: TxOptions & { now: Date }, rangeSize = 10_000): Promise<number> {
  const { periods, lastId } = await inTx(db, opts, async (ctx) => {
    const periods = await everyonePeriods(ctx);
    if (periods.length === 0) return { periods, lastId: 0 };
    const [row] = await ctx.tx.$queryRaw<{ lastId: number | null }[]>`
      SELECT max(id) AS "lastId" FROM "Member" WHERE "createdAt" < ${periods.at(-1)!.start} AND "distributorSince" IS NULL`;
    return { periods, lastId: row?.lastId ?? 0 };
  });
  if (lastId === 0) return 0;
  const createdBefore = periods.at(-1)!.start.toISOString();
  let stamped = 0;
  for (let after = 0; after < lastId; after += rangeSize) {
    const range = (unstamped: Prisma.Sql) => Prisma.sql`
      SELECT m.id FROM "Member" m WHERE m.id > ${after} AND m.id <= ${after + rangeSize} AND ${unstamped} ORDER BY m.id DESC FOR NO KEY UPDATE`;
    stamped += await inTx(db, opts, (ctx) => stampEveryone(ctx, periods, createdBefore, range));
  }
  return stamped;
}

/** Sum of the goods amounts of the member's paid, unrefunded orders (the `spend` measure). */
export async function paidUnrefundedGoodsFen(ctx: Pick<Ctx, "tx">, memberId: number): Promise<number> {
  const r = await ctx.tx.order.aggregate({ where: { memberId, status: { in: [...PAID_UNREFUNDED] } }, _sum: { goodsFen: true } });
  return r._sum.goodsFen ?? 0;
}

/** Whether a payment (already counted as PAID) makes the member a distributor under the configured mode. */
export function qualifiesOnPayment(config: MallConfig, spentFen: number): boolean {
  const c = config.commission;
  if (c.distributorMode === "spend") return spentFen >= c.distributorMinSpendFen;
  return true; // everyone, first_order: any paid order qualifies
}

/**
 * At each of the member's payments (the order already PAID): records the distributor status when the
 * mode's condition holds now; under another mode, what an earlier `everyone` period gave the buyer and the members the
 * order may pay was stored before (recordEveryoneDistributorsOfPayment). Idempotent: an existing status is kept as it
 * is. Returns true on a change. `known`: the member's status as just read in this transaction.
 */
export async function updateDistributorOnPayment(ctx: Ctx, memberId: number, known?: { distributorSince: Date | null; createdAt: Date }): Promise<boolean> {
  const m = known ?? (await ctx.tx.member.findUniqueOrThrow({ where: { id: memberId }, select: { distributorSince: true, createdAt: true } }));
  if (ctx.config.commission.distributorMode === "everyone") {
    // Signed up under another mode, then the merchant switched to `everyone`: one since that switch, nothing new to tell.
    if (!m.distributorSince) {
      await recordEveryoneDistributors(ctx, (unstamped) => Prisma.sql`SELECT m.id FROM "Member" m WHERE m.id = ${memberId} AND ${unstamped} FOR NO KEY UPDATE`);
    }
    return false;
  }
  if (m.distributorSince) return false;
  const spent = ctx.config.commission.distributorMode === "spend" ? await paidUnrefundedGoodsFen(ctx, memberId) : 0;
  if (!qualifiesOnPayment(ctx.config, spent)) return false;
  const set = await ctx.tx.member.updateMany({ where: { id: memberId, distributorSince: null }, data: { distributorSince: ctx.now } });
  // None: the status was there already (stored from an `everyone` period), nothing new to tell.
  if (set.count === 0) return false;
  await notify(ctx, memberId, "distributor", "distributor.joined");
  return true;
}

export interface DistributorProgress {
  mode: MallConfig["commission"]["distributorMode"];
  isDistributor: boolean;
  /** Suspended by the merchant: no payment gives the status back, only staff do. */
  disabled: boolean;
  since: Date | null;
  /** `spend` only: the minimum, what counts now and what is still missing (fen). */
  minSpendFen: number;
  spentFen: number;
  remainingFen: number;
}

/** What the promotion centre shows about the member's status, from the same rules the payment uses. */
export async function distributorProgress(ctx: Pick<Ctx, "tx" | "config" | "now">, memberId: number): Promise<DistributorProgress> {
  const m = await ctx.tx.member.findUniqueOrThrow({ where: { id: memberId }, select: { distributorSince: true, distributorDisabledAt: true, createdAt: true } });
  const c = ctx.config.commission;
  // Without a stored status the `everyone` history decides: the nightly batches may not have stored it yet.
  const periods = m.distributorSince || m.distributorDisabledAt ? undefined : await everyonePeriods(ctx);
  const isDistributor = isDistributorAt(ctx.config, m, ctx.now, periods);
  const spentFen = c.distributorMode === "spend" ? await paidUnrefundedGoodsFen(ctx, memberId) : 0;
  const minSpendFen = c.distributorMode === "spend" ? c.distributorMinSpendFen : 0;
  return {
    mode: c.distributorMode,
    isDistributor,
    disabled: m.distributorDisabledAt !== null,
    since: m.distributorSince ?? (isDistributor && periods ? everyoneSince(periods, m.createdAt) : null),
    minSpendFen,
    spentFen,
    // The status is set at a payment: with spending already ≥ the minimum (after refunds) one more order still makes it.
    remainingFen: isDistributor || m.distributorDisabledAt ? 0 : Math.max(0, minSpendFen - spentFen),
  };
}

/** "再消费 ¥12.30 即可成为分销员" in words, for notifications and logs (the UI words it per language). */
export function distributorHint(p: DistributorProgress): string {
  if (p.isDistributor) return "您已是分销员";
  if (p.disabled) return "分销资格已停用，如有疑问请联系商家";
  if (p.mode === "first_order") return "完成首单即可成为分销员";
  return p.remainingFen > 0 ? `再消费 ¥${fenToYuanString(p.remainingFen)} 即可成为分销员` : "再完成一笔订单即可成为分销员";
}

/**
 * Staff suspend or give back a member's distributor status, with a reason (issue 9). While suspended
 * the member earns no commission (FORFEITED, SPEC §4) and no stepped bonus; binding, the matrix and
 * 推三返一 go on. Re-enabling restores what the mode gives them (their `distributorSince` is kept).
 * Setting the state it already has is refused, so a double click writes one audit entry and one notice. The member is told
 * (never staff's reason, a note for the audit log); given back, whether they are a distributor now or still have to become one.
 */
export async function setDistributorEnabled(ctx: Ctx, memberId: number, enabled: boolean, reason: string, actor: StaffActor) {
  const why = reason.trim();
  if (why.length < 2 || why.length > 200) refuse("INVALID_REASON", "请填写原因（2-200 字）");
  const m = await ctx.tx.member.findUnique({ where: { id: memberId }, select: { distributorDisabledAt: true } });
  if (!m) refuse("MEMBER_NOT_FOUND", "会员不存在");
  // The change and its status history row (SPEC §7: the stepped bonus judges the suspension at the month's instant) in one statement.
  const changed = await ctx.tx.$executeRaw`
    WITH m AS (
      UPDATE "Member" SET "distributorDisabledAt" = ${enabled ? null : ctx.now}::timestamptz
      WHERE id = ${memberId} AND ("distributorDisabledAt" IS NULL) = ${!enabled} RETURNING id)
    INSERT INTO "MemberStatusChange" ("memberId", kind, previous, value, at)
    SELECT id, 'DISTRIBUTOR_DISABLED', ${String(enabled)}, ${String(!enabled)}, ${ctx.now} FROM m`;
  if (changed === 0) refuse(enabled ? "DISTRIBUTOR_NOT_DISABLED" : "DISTRIBUTOR_ALREADY_DISABLED", enabled ? "该会员的分销资格未被停用" : "该会员的分销资格已停用");
  await audit(ctx.tx, {
    actor: staffActor(actor),
    action: enabled ? "member.distributor_enabled" : "member.distributor_disabled",
    target: `member:${memberId}`,
    before: { distributorDisabledAt: m.distributorDisabledAt },
    after: { distributorDisabledAt: enabled ? null : ctx.now },
    data: { reason: why },
    requestId: actor.requestId ?? null,
    now: ctx.now,
  });
  const key = !enabled ? "distributor.suspended" : (await distributorProgress(ctx, memberId)).isDistributor ? "distributor.restored" : "distributor.unsuspended";
  await notify(ctx, memberId, "distributor", key);
  return { id: memberId, enabled };
}
