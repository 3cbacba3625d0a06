// The member's own writes (addresses, profile, identity) and 注销账号 exclude each other on the Member row, so a
// request already under way when the account is deleted cannot write personal data back onto it (PIPL 第四十七条).
import type { Ctx } from "../context";
import { refuse } from "../context";

/**
 * Locks the member's row for this transaction (no key update: the payment path's key-share locks go on) and refuses
 * a deleted account. A deletion in progress (it holds the row FOR UPDATE) is waited for and then seen; one starting
 * later waits for this transaction and erases what it wrote.
 */
export async function lockLiveMember(ctx: Pick<Ctx, "tx">, memberId: number): Promise<void> {
  const [m] = await ctx.tx.$queryRaw<{ deletedAt: Date | null }[]>`SELECT "deletedAt" FROM "Member" WHERE id = ${memberId} FOR NO KEY UPDATE`;
  if (!m) refuse("NO_SUCH_MEMBER", "member not found");
  if (m.deletedAt) refuse("ACCOUNT_DELETED", "账号已注销");
}
