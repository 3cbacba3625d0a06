// Double-entry ledger (SPEC §6). Every money movement is one LedgerTxn whose entries sum to zero
// (checked by a deferred constraint trigger) and whose unique key makes it happen at most once.
// Member buckets are mirrored in Wallet in the same transaction; Wallet's CHECK constraints keep
// every bucket ≥ 0, so an overdraft aborts the transaction instead of going negative.
import { Prisma } from "../db";
import type { Ctx } from "../context";
import { kpiFactRow, ledgerDeltas, recordKpiFacts, type KpiFactRow } from "../kpi/facts";

export const BUCKETS = ["pending", "available", "withdrawing", "withdrawn", "credit"] as const;
export type Bucket = (typeof BUCKETS)[number];

/** Merchant-side accounts that balance the member buckets. */
export type MerchantAccount =
  | "merchant:commission"
  | "merchant:rebate"
  | "merchant:team_bonus"
  | "merchant:step_bonus"
  | "merchant:credit_redeemed"
  | "merchant:payout"
  /** Withdrawal fees charged to members (issue 9). */
  | "merchant:withdrawal_fee"
  /** The other side of finance's manual adjustments (issue 9). */
  | "merchant:adjustment";

export type Leg = { member: number; bucket: Bucket; amountFen: number } | { account: MerchantAccount; amountFen: number };

export interface WalletBalances {
  pending: number;
  available: number;
  withdrawing: number;
  withdrawn: number;
  credit: number;
}

export interface Posting {
  key: string;
  kind: string;
  legs: Leg[];
  memo?: string;
}

/**
 * Posts a balanced transaction once per key. Returns false (and changes nothing) when the key
 * was already posted, which makes every caller idempotent.
 */
export async function postLedger(ctx: Ctx, key: string, kind: string, legs: Leg[], memo?: string): Promise<boolean> {
  return (await postLedgerMany(ctx, [{ key, kind, legs, memo }])).has(key);
}

/**
 * Posts several balanced transactions set-wise in one statement (the transactions, their entries,
 * their KPI facts and the wallets they move), each at most once per key. `facts` are further KPI
 * facts written with the ledger's. Returns the keys that were posted now.
 */
export async function postLedgerMany(ctx: Ctx, postings: Posting[], facts: (KpiFactRow | null)[] = [], alsoLock?: Prisma.Sql): Promise<Set<string>> {
  const live = postings.flatMap((p) => {
    const nonZero = p.legs.filter((l) => l.amountFen !== 0);
    if (nonZero.length === 0) return [];
    for (const l of nonZero) {
      if (!Number.isSafeInteger(l.amountFen)) throw new Error(`ledger amount must be integer fen, got ${l.amountFen}`);
    }
    const sum = nonZero.reduce((s, l) => s + l.amountFen, 0);
    if (sum !== 0) throw new Error(`ledger transaction ${p.key} does not balance (${sum})`);
    return [{ ...p, legs: nonZero }];
  });
  // A ledger transaction's own fact is keyed by its id, known only once inserted: its row without the key.
  const ledgerFact = live.map((p) =>
    ctx.simulation ? null : kpiFactRow(ctx, "", "ledger", ctx.now, { deltas: ledgerDeltas(p.kind, p.legs.flatMap((l) => ("member" in l ? [l] : []))) }),
  );
  const extra = ctx.simulation ? [] : facts.filter((r): r is KpiFactRow => r !== null);
  if (live.length === 0) {
    if (extra.length > 0) await recordKpiFacts(ctx, extra);
    return new Set();
  }
  const legs = live.flatMap((p) => p.legs.map((l) => ({ key: p.key, ...l })));
  // Member legs summed per transaction and member (the statement sums them per member).
  const perTxnMember = new Map<string, { key: string; member: number } & Record<Bucket, number>>();
  for (const l of legs) {
    if (!("member" in l)) continue;
    const k = `${l.key}\u0000${l.member}`;
    const row = perTxnMember.get(k) ?? { key: l.key, member: l.member, pending: 0, available: 0, withdrawing: 0, withdrawn: 0, credit: 0 };
    row[l.bucket] += l.amountFen;
    perTxnMember.set(k, row);
  }
  const moves = [...perTxnMember.values()];
  const mv = (b: Bucket) => moves.map((m) => m[b]);
  // Wallets: updated, not upserted (Postgres checks an INSERT's CHECK constraints before ON CONFLICT,
  // so a negative delta on an existing wallet would fail as an insert); a missing one is created.
  // Every wallet is locked in memberId order first (`k`, missing ones inserted in that order too): the update
  // alone locks in its plan's order (the heap's, in a hash join), which differs between two postings' snapshots.
  // `alsoLock` (a subquery of member ids the caller posts to next) joins that order without being moved.
  const rows = await ctx.tx.$queryRaw<{ key: string }[]>`
    WITH p AS (
      SELECT * FROM unnest(${live.map((p) => p.key)}::text[], ${live.map((p) => p.kind)}::text[], ${live.map((p) => p.memo ?? null)}::text[],
        ${ledgerFact.map((f) => (f ? f.day : null))}::text[], ${ledgerFact.map((f) => (f ? JSON.stringify(f.data) : null))}::text[]) WITH ORDINALITY
        AS p(key, kind, memo, "factDay", "factData", ord)
    ), t AS (
      INSERT INTO "LedgerTxn" (key, kind, memo, "createdAt") SELECT key, kind, memo, ${ctx.now} FROM p ORDER BY ord
      ON CONFLICT DO NOTHING RETURNING id, key
    ), l AS (
      SELECT * FROM unnest(${legs.map((l) => l.key)}::text[], ${legs.map((l) => ("member" in l ? `member:${l.member}:${l.bucket}` : l.account))}::text[],
        ${legs.map((l) => ("member" in l ? l.member : null))}::int[], ${legs.map((l) => ("member" in l ? l.bucket : null))}::text[],
        ${legs.map((l) => l.amountFen)}::int[]) WITH ORDINALITY AS l(key, account, "memberId", bucket, "amountFen", ord)
    ), e AS (
      INSERT INTO "LedgerEntry" ("txnId", account, "memberId", bucket, "amountFen", "createdAt")
      SELECT t.id, l.account, l."memberId", l.bucket, l."amountFen", ${ctx.now} FROM l JOIN t USING (key) ORDER BY l.ord
    ), f AS (
      INSERT INTO "KpiFact" (key, day, kind, "memberId", data)
      SELECT 'ledger:' || t.id, p."factDay", 'ledger', NULL, p."factData"::jsonb FROM t JOIN p USING (key) WHERE p."factData" IS NOT NULL
      UNION ALL
      SELECT x.key, x.day, x.kind, x."memberId", x.data::jsonb FROM unnest(${extra.map((f) => f.key)}::text[], ${extra.map((f) => f.day)}::text[], ${extra.map((f) => f.kind)}::text[],
        ${extra.map((f) => f.memberId)}::int[], ${extra.map((f) => JSON.stringify(f.data))}::text[]) AS x(key, day, kind, "memberId", data)
      ON CONFLICT DO NOTHING
    ), d AS MATERIALIZED (
      SELECT m."memberId", sum(m.pending)::bigint AS pending, sum(m.available)::bigint AS available, sum(m.withdrawing)::bigint AS withdrawing,
        sum(m.withdrawn)::bigint AS withdrawn, sum(m.credit)::bigint AS credit
      FROM unnest(${moves.map((m) => m.key)}::text[], ${moves.map((m) => m.member)}::int[], ${mv("pending")}::int[], ${mv("available")}::int[],
        ${mv("withdrawing")}::int[], ${mv("withdrawn")}::int[], ${mv("credit")}::int[])
        AS m(key, "memberId", pending, available, withdrawing, withdrawn, credit)
      WHERE m.key IN (SELECT key FROM t)
      GROUP BY m."memberId" ORDER BY m."memberId"
    ), k AS MATERIALIZED (
      ${alsoLock
        ? Prisma.sql`SELECT d.* FROM "Wallet" x LEFT JOIN d USING ("memberId")
      WHERE x."memberId" = ANY(ARRAY(SELECT "memberId" FROM d UNION ALL ${alsoLock})) ORDER BY x."memberId" FOR NO KEY UPDATE OF x`
        : Prisma.sql`SELECT d.* FROM "Wallet" x JOIN d USING ("memberId") ORDER BY x."memberId" FOR NO KEY UPDATE OF x`}
    ), w AS (
      UPDATE "Wallet" w SET pending = w.pending + k.pending, available = w.available + k.available,
        withdrawing = w.withdrawing + k.withdrawing, withdrawn = w.withdrawn + k.withdrawn, credit = w.credit + k.credit
      FROM k WHERE w."memberId" = k."memberId"
    ), c AS (
      INSERT INTO "Wallet" ("memberId", pending, available, withdrawing, withdrawn, credit)
      SELECT * FROM d WHERE NOT EXISTS (SELECT 1 FROM "Wallet" x WHERE x."memberId" = d."memberId")
    )
    SELECT key FROM t`;
  return new Set(rows.map((r) => r.key));
}

/** Moves money between two buckets of one member. */
export function move(ctx: Ctx, key: string, kind: string, member: number, from: Bucket, to: Bucket, amountFen: number) {
  return postLedger(ctx, key, kind, [
    { member, bucket: from, amountFen: -amountFen },
    { member, bucket: to, amountFen },
  ]);
}

/** Merchant pays into a member bucket (or takes back, with a negative amount). */
export function fromMerchant(ctx: Ctx, key: string, kind: string, account: MerchantAccount, member: number, bucket: Bucket, amountFen: number) {
  return postLedger(ctx, key, kind, [
    { account, amountFen: -amountFen },
    { member, bucket, amountFen },
  ]);
}

export async function walletOf(ctx: Pick<Ctx, "tx">, memberId: number): Promise<WalletBalances> {
  const w = await ctx.tx.wallet.findUnique({ where: { memberId } });
  return walletNumbers(w);
}

/** A Wallet row's BigInt buckets as numbers: a JS number holds fen exactly up to 2^53. */
export function walletNumbers(w: { pending: bigint; available: bigint; withdrawing: bigint; withdrawn: bigint; credit: bigint } | null | undefined): WalletBalances {
  return {
    pending: Number(w?.pending ?? 0),
    available: Number(w?.available ?? 0),
    withdrawing: Number(w?.withdrawing ?? 0),
    withdrawn: Number(w?.withdrawn ?? 0),
    credit: Number(w?.credit ?? 0),
  };
}

/** Balances recomputed from the ledger alone, to check the Wallet mirror against it. */
export async function walletFromLedger(ctx: Pick<Ctx, "tx">, memberId: number): Promise<WalletBalances> {
  const rows = await ctx.tx.ledgerEntry.groupBy({ by: ["bucket"], where: { memberId }, _sum: { amountFen: true } });
  const out: WalletBalances = { pending: 0, available: 0, withdrawing: 0, withdrawn: 0, credit: 0 };
  for (const r of rows) if (r.bucket) out[r.bucket as Bucket] = r._sum.amountFen ?? 0;
  return out;
}
