// What each domain event sets off after its transaction committed. The Inngest functions and the
// in-process runner call these same handlers; each is idempotent. Each is told the app clock's now by its caller
// (the relay's pass, the Inngest function): tiers are recomputed under the rules in force then and over the gmv90
// window ending then, never the machine's clock (which differs from the app clock's under FM_TEST_CLOCK).
import type { Db } from "../db";
import { inTx } from "../context";
import { recomputeTiersAround } from "../tiers";

export type EventData = Record<string, unknown>;

async function buyerOf(db: Db, orderId: number): Promise<number | null> {
  return (await db.order.findUnique({ where: { id: orderId }, select: { memberId: true } }))?.memberId ?? null;
}

/** SPEC §7: tiers are recomputed on every relevant event (they also are in-transaction). */
export async function retierAfterOrderEvent(db: Db, data: EventData, now: Date): Promise<void> {
  const buyer = await buyerOf(db, Number(data.orderId));
  if (buyer !== null) await inTx(db, { now }, (ctx) => recomputeTiersAround(ctx, buyer));
}

export async function retierAfterJoin(db: Db, data: EventData, now: Date): Promise<void> {
  await inTx(db, { now }, (ctx) => recomputeTiersAround(ctx, Number(data.memberId)));
}

/** An event's handler; `now` is the app clock's (server/clock/app-clock.ts appNow) when its relay pass or function began. */
export type EventHandler = (db: Db, data: EventData, now: Date) => Promise<void>;

export const localHandlers: Record<string, EventHandler> = {
  "order/paid": retierAfterOrderEvent,
  "order/refunded": retierAfterOrderEvent,
  "order/completed": retierAfterOrderEvent,
  "member/joined": retierAfterJoin,
  // Due transitions are picked up by the in-process sweep; nothing to do per event.
  "transition/scheduled": async () => {},
};
