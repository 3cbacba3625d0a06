// What each domain event sets off after its transaction committed. The Inngest functions and the
// in-process runner call these same handlers; each is idempotent.
import type { Db } from "../db";
import { inTx } from "../context";
import { recomputeTiersAround } from "../tiers";

export type EventData = Record<string, unknown>;

async function buyerOf(db: Db, orderId: number): Promise<number | null> {
  return (await db.order.findUnique({ where: { id: orderId }, select: { memberId: true } }))?.memberId ?? null;
}

/** SPEC §7: tiers are recomputed on every relevant event (they also are in-transaction). */
export async function retierAfterOrderEvent(db: Db, data: EventData): Promise<void> {
  const buyer = await buyerOf(db, Number(data.orderId));
  if (buyer !== null) await inTx(db, {}, (ctx) => recomputeTiersAround(ctx, buyer));
}

export async function retierAfterJoin(db: Db, data: EventData): Promise<void> {
  await inTx(db, {}, (ctx) => recomputeTiersAround(ctx, Number(data.memberId)));
}

export const localHandlers: Record<string, (db: Db, data: EventData) => Promise<void>> = {
  "order/paid": retierAfterOrderEvent,
  "order/refunded": retierAfterOrderEvent,
  "order/completed": retierAfterOrderEvent,
  "member/joined": retierAfterJoin,
  // Due transitions are picked up by the in-process sweep; nothing to do per event.
  "transition/scheduled": async () => {},
};
