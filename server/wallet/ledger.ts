// Double-entry ledger (SPEC §6). Every money movement is one LedgerTxn whose entries sum to zero
// (checked by a deferred constraint trigger) and whose unique key makes it happen at most once.
// Member buckets are mirrored in Wallet in the same transaction; Wallet's CHECK constraints keep
// every bucket ≥ 0, so an overdraft aborts the transaction instead of going negative.
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
 * Posts several balanced transactions set-wise (one statement each for the transactions, their
 * entries, their KPI facts and the wallets they move), each at most once per key. `facts` are
 * further KPI facts written with the ledger's. Returns the keys that were posted now.
 */
export async function postLedgerMany(ctx: Ctx, postings: Posting[], facts: (KpiFactRow | null)[] = []): Promise<Set<string>> {
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
  const created =
    live.length === 0
      ? []
      : await ctx.tx.ledgerTxn.createManyAndReturn({
          data: live.map((p) => ({ key: p.key, kind: p.kind, memo: p.memo, createdAt: ctx.now })),
          skipDuplicates: true,
          select: { id: true, key: true },
        });
  const idOf = new Map(created.map((t) => [t.key, t.id]));
  const posted = live.filter((p) => idOf.has(p.key));
  if (posted.length > 0) {
    await ctx.tx.ledgerEntry.createMany({
      data: posted.flatMap((p) =>
        p.legs.map((l) =>
          "member" in l
            ? { txnId: idOf.get(p.key)!, account: `member:${l.member}:${l.bucket}`, memberId: l.member, bucket: l.bucket, amountFen: l.amountFen, createdAt: ctx.now }
            : { txnId: idOf.get(p.key)!, account: l.account, amountFen: l.amountFen, createdAt: ctx.now },
        ),
      ),
    });
  }
  const ledgerFacts = posted.map((p) =>
    kpiFactRow(ctx, `ledger:${idOf.get(p.key)}`, "ledger", ctx.now, { deltas: ledgerDeltas(p.kind, p.legs.flatMap((l) => ("member" in l ? [l] : []))) }),
  );
  await recordKpiFacts(ctx, [...ledgerFacts, ...facts]);
  // Mirror member legs into the wallets: one statement for every member, in member order.
  const perMember = new Map<number, Record<Bucket, number>>();
  for (const p of posted) {
    for (const l of p.legs) {
      if (!("member" in l)) continue;
      const m = perMember.get(l.member) ?? { pending: 0, available: 0, withdrawing: 0, withdrawn: 0, credit: 0 };
      m[l.bucket] += l.amountFen;
      perMember.set(l.member, m);
    }
  }
  if (perMember.size > 0) {
    const ids = [...perMember.keys()].sort((a, b) => a - b);
    const col = (b: Bucket) => ids.map((id) => perMember.get(id)![b]);
    // Not an upsert: Postgres checks an INSERT's CHECK constraints before ON CONFLICT, so a
    // negative delta on an existing wallet would fail as an insert.
    const updated = await ctx.tx.$queryRaw<{ memberId: number }[]>`
      UPDATE "Wallet" w SET pending = w.pending + d.pending, available = w.available + d.available,
        withdrawing = w.withdrawing + d.withdrawing, withdrawn = w.withdrawn + d.withdrawn, credit = w.credit + d.credit
      FROM unnest(${ids}::int[], ${col("pending")}::int[], ${col("available")}::int[], ${col("withdrawing")}::int[], ${col("withdrawn")}::int[], ${col("credit")}::int[])
        AS d("memberId", pending, available, withdrawing, withdrawn, credit)
      WHERE w."memberId" = d."memberId"
      RETURNING w."memberId"`;
    const seen = new Set(updated.map((u) => u.memberId));
    for (const id of ids) if (!seen.has(id)) await ctx.tx.wallet.create({ data: { memberId: id, ...perMember.get(id)! } });
  }
  return new Set(posted.map((p) => p.key));
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
  return {
    pending: w?.pending ?? 0,
    available: w?.available ?? 0,
    withdrawing: w?.withdrawing ?? 0,
    withdrawn: w?.withdrawn ?? 0,
    credit: w?.credit ?? 0,
  };
}

/** Balances recomputed from the ledger alone, to check the Wallet mirror against it. */
export async function walletFromLedger(ctx: Pick<Ctx, "tx">, memberId: number): Promise<WalletBalances> {
  const rows = await ctx.tx.ledgerEntry.groupBy({ by: ["bucket"], where: { memberId }, _sum: { amountFen: true } });
  const out: WalletBalances = { pending: 0, available: 0, withdrawing: 0, withdrawn: 0, credit: 0 };
  for (const r of rows) if (r.bucket) out[r.bucket as Bucket] = r._sum.amountFen ?? 0;
  return out;
}
