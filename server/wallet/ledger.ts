// Double-entry ledger (SPEC §6). Every money movement is one LedgerTxn whose entries sum to zero
// (checked by a deferred constraint trigger) and whose unique key makes it happen at most once.
// Member buckets are mirrored in Wallet in the same transaction; Wallet's CHECK constraints keep
// every bucket ≥ 0, so an overdraft aborts the transaction instead of going negative.
import type { Ctx } from "../context";
import { ledgerDeltas, recordKpiFact } from "../kpi/facts";

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

/**
 * Posts a balanced transaction once per key. Returns false (and changes nothing) when the key
 * was already posted, which makes every caller idempotent.
 */
export async function postLedger(ctx: Ctx, key: string, kind: string, legs: Leg[], memo?: string): Promise<boolean> {
  const nonZero = legs.filter((l) => l.amountFen !== 0);
  if (nonZero.length === 0) return false;
  for (const l of nonZero) {
    if (!Number.isSafeInteger(l.amountFen)) throw new Error(`ledger amount must be integer fen, got ${l.amountFen}`);
  }
  const sum = nonZero.reduce((s, l) => s + l.amountFen, 0);
  if (sum !== 0) throw new Error(`ledger transaction ${key} does not balance (${sum})`);
  const created = await ctx.tx.ledgerTxn.createManyAndReturn({
    data: [{ key, kind, memo, createdAt: ctx.now }],
    skipDuplicates: true,
  });
  const txn = created[0];
  if (!txn) return false;
  await ctx.tx.ledgerEntry.createMany({
    data: nonZero.map((l) =>
      "member" in l
        ? { txnId: txn.id, account: `member:${l.member}:${l.bucket}`, memberId: l.member, bucket: l.bucket, amountFen: l.amountFen, createdAt: ctx.now }
        : { txnId: txn.id, account: l.account, amountFen: l.amountFen, createdAt: ctx.now },
    ),
  });
  // Mirror member legs into the wallet, one update per member.
  const memberLegs = nonZero.flatMap((l) => ("member" in l ? [l] : []));
  await recordKpiFact(ctx, `ledger:${txn.id}`, "ledger", ctx.now, { deltas: ledgerDeltas(kind, memberLegs) });
  const perMember = new Map<number, Partial<Record<Bucket, number>>>();
  for (const l of nonZero) {
    if (!("member" in l)) continue;
    const m = perMember.get(l.member) ?? {};
    m[l.bucket] = (m[l.bucket] ?? 0) + l.amountFen;
    perMember.set(l.member, m);
  }
  for (const [memberId, delta] of perMember) {
    const inc = Object.fromEntries(Object.entries(delta).map(([b, v]) => [b, { increment: v }]));
    // Not an upsert: Postgres checks an INSERT's CHECK constraints before ON CONFLICT, so a
    // negative delta on an existing wallet would fail as an insert.
    const updated = await ctx.tx.wallet.updateMany({ where: { memberId }, data: inc });
    if (updated.count === 0) await ctx.tx.wallet.create({ data: { memberId, ...delta } });
  }
  return true;
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
