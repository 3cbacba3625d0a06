// Durable functions: they only orchestrate; every step calls one idempotent domain function.
import { getDb, type Db } from "@/server/db";
import { inngest } from "../client";
import { performDueById, runDueTransitions } from "@/server/scheduler";
import { inTx } from "@/server/context";
import { payMonthlyTeamBonus, reviewTiers } from "@/server/tiers";
import { payApprovedWithdrawals } from "@/server/wallet/withdrawals";
import { payStepBonusBatch } from "@/server/bonus/step";
import { retierAfterJoin, retierAfterOrderEvent } from "@/server/events/handlers";

export interface FunctionDeps {
  db: () => Promise<Db>;
}

export function createFunctions(deps: FunctionDeps) {
  /** Sleeps until a stored transition is due, then performs it (SPEC §9). */
  const transitionWakeup = inngest.createFunction(
    { id: "transition-wakeup", triggers: [{ event: "transition/scheduled" }] },
    async ({ event, step }) => {
      const { id, dueAt } = event.data as { id: number; dueAt: string };
      await step.sleepUntil("wait-until-due", new Date(dueAt));
      return step.run("perform-transition", async () => ({ performed: await performDueById(await deps.db(), Number(id)) }));
    },
  );

  /** Catch-up sweep: anything due that a wake-up missed. */
  const sweepDue = inngest.createFunction(
    { id: "sweep-due-transitions", triggers: [{ cron: "*/5 * * * *" }] },
    async ({ step }) => {
      const ran = await step.run("run-due", async () => runDueTransitions(await deps.db(), new Date(), { clock: "wall" }));
      const payouts = await step.run("pay-approved-withdrawals", async () => payApprovedWithdrawals(await deps.db()));
      return { ran, payouts };
    },
  );

  const orderPaid = inngest.createFunction(
    { id: "order-paid", triggers: [{ event: "order/paid" }] },
    async ({ event, step }) => step.run("retier", async () => (await retierAfterOrderEvent(await deps.db(), event.data), "ok")),
  );

  const orderEvents = inngest.createFunction(
    { id: "order-refunded-or-completed", triggers: [{ event: "order/refunded" }, { event: "order/completed" }] },
    async ({ event, step }) => step.run("retier", async () => (await retierAfterOrderEvent(await deps.db(), event.data), "ok")),
  );

  const memberJoined = inngest.createFunction(
    { id: "member-joined", triggers: [{ event: "member/joined" }] },
    async ({ event, step }) => step.run("retier", async () => (await retierAfterJoin(await deps.db(), event.data), "ok")),
  );

  const nightlyTierReview = inngest.createFunction(
    { id: "nightly-tier-review", triggers: [{ cron: "TZ=Asia/Shanghai 0 0 * * *" }] },
    async ({ step }) => step.run("review-tiers", async () => ({ reviewed: await inTx(await deps.db(), {}, (ctx) => reviewTiers(ctx)) })),
  );

  /** 1st of the month, 00:00 merchant time; exactly once per partner and month however often it fires. */
  const monthlyTeamBonus = inngest.createFunction(
    { id: "monthly-team-bonus", triggers: [{ cron: "TZ=Asia/Shanghai 0 0 1 * *" }] },
    async ({ step }) => step.run("pay-team-bonus", async () => ({ paid: await inTx(await deps.db(), {}, (ctx) => payMonthlyTeamBonus(ctx)) })),
  );

  /**
   * Same cron as the team bonus: the stepped sales bonus (SPEC §7), one step per batch of members so a
   * retry resumes at the failed batch; each batch pays a member at most once per month.
   */
  const monthlyStepBonus = inngest.createFunction(
    { id: "monthly-step-bonus", triggers: [{ cron: "TZ=Asia/Shanghai 0 0 1 * *" }] },
    async ({ step }) => {
      // Memoized, so every replay of the function works on the same month.
      const closedAt = await step.run("month-closed-at", async () => new Date().toISOString());
      let cursor: number | null = 0;
      let batches = 0;
      while (cursor !== null) {
        const after: number = cursor;
        cursor = await step.run(`pay-step-bonus-${batches}`, async () =>
          inTx(await deps.db(), {}, (ctx) => payStepBonusBatch(ctx, new Date(closedAt), after)),
        );
        batches++;
      }
      return { batches };
    },
  );

  return { transitionWakeup, sweepDue, orderPaid, orderEvents, memberJoined, nightlyTierReview, monthlyTeamBonus, monthlyStepBonus };
}

/** The functions served at /api/inngest, bound to the app's database. */
export const functions = Object.values(createFunctions({ db: getDb }));
