// Shared set-up of the Inngest function tests (inngest/*.test.ts, tests/inngest-*.test.ts): a shop with one tea product,
// a firing through @inngest/test, a step failed after its retries, and a completed order under a sponsor.
import { InngestTestEngine, mockCtx } from "@inngest/test";
import { serializeError, StepError } from "inngest";
import type { Db } from "@/server/db";
import { inTx } from "@/server/context";
import type { MallConfig } from "@/server/config/schema";
import { registerMember } from "@/server/referral";
import { createOrder, confirmPayment, shipOrder, confirmDelivery } from "@/server/orders";
import { runDueTransitions } from "@/server/scheduler";
import { DAY } from "@/server/clock/time";
import { createSimpleProduct } from "@/server/catalog/admin";

export type Fn = ConstructorParameters<typeof InngestTestEngine>[0]["function"];
export type TransformCtx = NonNullable<ConstructorParameters<typeof InngestTestEngine>[0]["transformCtx"]>;

/** The rules `config` and a 100 元 tea product with 10 in stock. */
export async function seedTeaShop(db: Db, config: MallConfig) {
  await db.mallConfig.create({ data: { data: config as object } });
  await inTx(db, { config }, async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "茶", priceFen: 10000, category: "tea", stock: 10 });
  });
}

/** Runs a function on `name` (by default an hourly cron firing) at `at`; its result. */
export async function fire(fn: Fn, at: string, transformCtx?: TransformCtx, name = "inngest/scheduled.timer"): Promise<unknown> {
  const event = { name, data: { cron: "0 * * * *" }, ts: new Date(at).getTime() };
  return (await new InngestTestEngine({ function: fn, events: [event], transformCtx }).execute()).result;
}

/** The step `stepId` failed after all its retries: its step.run rejects with the StepError the SDK throws into the handler. */
export const failing =
  (stepId: string, message = "boom"): TransformCtx =>
  (ctx) => {
    const mocked = mockCtx(ctx);
    const run = mocked.step.run;
    mocked.step.run = ((id: string, fn: () => unknown) => (id === stepId ? Promise.reject(new StepError(id, serializeError(new TypeError(message)))) : run(id, fn))) as typeof run;
    return mocked;
  };

/** sponsor → buyer; the buyer's 100 元 order paid at t0, delivered, and completed 7 days later (by the wall clock or by due order). */
export async function completedOrder(db: Db, config: MallConfig, t0: Date, clock: "wall" | "due" = "wall") {
  const sponsor = await inTx(db, { config, now: t0 }, (ctx) => registerMember(ctx, { username: "sponsor", ip: "1", device: "a" }));
  const buyer = await inTx(db, { config, now: t0 }, (ctx) => registerMember(ctx, { username: "buyer", sponsorId: sponsor.id, ip: "2", device: "b" }));
  const order = await inTx(db, { config, now: t0 }, (ctx) => createOrder(ctx, { memberId: buyer.id, lines: [{ sku: "tea", qty: 1 }] }));
  await inTx(db, { config, now: t0 }, (ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: "x", amountFen: 10000, currency: "CNY" }));
  await inTx(db, { config, now: t0 }, (ctx) => shipOrder(ctx, order.id));
  await inTx(db, { config, now: t0 }, (ctx) => confirmDelivery(ctx, order.id));
  const later = new Date(t0.getTime() + 7 * DAY);
  await runDueTransitions(db, later, clock === "wall" ? { config, clock: "wall", now: later } : { config, clock: "due" });
  return { sponsor, buyer, order };
}
