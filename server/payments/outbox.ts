// The provider-call outbox (issue 8): a refund, payout or trade-close request is a ProviderCall row written in the
// same transaction as the state change that owes it (order → REFUNDED or CANCELLED, withdrawal → PAYING).
// The call itself happens after commit, retried with its stable idempotency number until done.
import type { Ctx } from "../context";

/** Pseudo-provider of orders paid entirely with store credit (no money to collect or refund). */
export const CREDIT_ONLY = "credit";

export interface ProviderCallRequest {
  kind: "REFUND" | "PAYOUT" | "CLOSE";
  provider: string;
  idempotencyNo: string;
  amountFen: number;
  providerTxnId?: string | null;
  orderId?: number | null;
  withdrawalId?: number | null;
}

/** Records the request once (the idempotency number is unique); returns its row id. */
export async function enqueueProviderCall(ctx: Ctx, req: ProviderCallRequest): Promise<number> {
  await ctx.tx.providerCall.createMany({ data: [{ ...req, nextAttemptAt: ctx.now, createdAt: ctx.now }], skipDuplicates: true });
  return (await ctx.tx.providerCall.findUniqueOrThrow({ where: { idempotencyNo: req.idempotencyNo }, select: { id: true } })).id;
}
