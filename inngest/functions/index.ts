// Durable functions: they only orchestrate; every step calls one idempotent domain function.
import { getDb, type Db } from "@/server/db";
import { inngest } from "../client";
import { earlierPending, performDueById, runDueTransitions } from "@/server/scheduler";
import { payMonthlyTeamBonus, reviewTiers } from "@/server/tiers";
import { payApprovedWithdrawals } from "@/server/wallet/withdrawals";
import { payMonthlyStepBonus } from "@/server/bonus/step";
import { performDueProviderCalls, reconcilePayingWithdrawals } from "@/server/payments/calls";
import { reconcileOpenPayments, reconcileOpenRefunds } from "@/server/payments";
import { sendDueChannelMessages } from "@/server/notifications/channels";
import { MERCHANT_TZ, reconcileYesterday } from "@/server/payments/reconcile";
import { configuredRealProviders } from "@/server/payments/registry";
import { retierAfterJoin, retierAfterOrderEvent } from "@/server/events/handlers";
import { expireExports, runQueuedExports } from "@/server/exports/jobs";
import { getStorage } from "@/server/storage";
import { runQueuedSimulations } from "@/server/simulator";
import { foldKpiFacts } from "@/server/kpi/daily";
import { loadConfig } from "@/server/context";
import { dueMerchantRun, MERCHANT_SCHEDULES } from "@/server/scheduler/merchant-time";

export interface FunctionDeps {
  db: () => Promise<Db>;
}

/**
 * The merchant-time crons fire every hour and act on a firing whose local day (or month) has not had its run yet:
 * the zone is the rules' timeZone, which the merchant can change, so no `TZ=` prefix fixed at start-up fits.
 */
const HOURLY = "0 * * * *";

/** When the cron fired (the scheduler's event time), so a retry decides and computes as the first attempt did. */
const firedAtOf = (event: { ts?: number }) => new Date(event.ts ?? Date.now());

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
      // Refunds and payouts queued with their state change, retried with the same idempotency number.
      await step.run("perform-provider-calls", async () => performDueProviderCalls(await deps.db()));
      await step.run("reconcile-paying-withdrawals", async () => reconcilePayingWithdrawals(await deps.db()));
      // Payments whose provider callback never came: asked of the provider (order query).
      await step.run("reconcile-open-payments", async () => reconcileOpenPayments(await deps.db()));
      // Refunds the provider accepted as processing whose callback never came: asked of the provider (refund query).
      await step.run("reconcile-open-refunds", async () => reconcileOpenRefunds(await deps.db()));
      // WeChat subscription notifications queued with their in-app notification, retried until sent.
      await step.run("send-channel-messages", async () => sendDueChannelMessages(await deps.db()));
      // Background CSV exports that the process which queued them did not finish.
      await step.run("run-queued-exports", async () => runQueuedExports(await deps.db(), getStorage()));
      // Their files deleted a week after they finished (they hold members' personal data).
      await step.run("expire-exports", async () => expireExports(await deps.db(), getStorage()));
      // KPI facts written with the domain events, folded into the daily aggregates the dashboard reads.
      await step.run("fold-kpi-facts", async () => foldKpiFacts(await deps.db()));
      // What-if simulator runs (minutes each): one per sweep, so a sweep stays bounded.
      await step.run("run-queued-simulations", async () => runQueuedSimulations(await deps.db(), new Date(), 1));
      return { ran, payouts };
    },
  );

  /**
   * Each real provider's bill of yesterday against our payments and refunds (WeChat publishes it at 10:00), and a
   * failed one of the last days again: hourly, at half past, so the 10:30 firing is the day's first with the bills out.
   * The providers' bill days are Beijing days (reconcile.ts MERCHANT_TZ), whatever the merchant's zone.
   */
  const dailyReconciliation = inngest.createFunction(
    { id: "daily-bill-reconciliation", triggers: [{ cron: `TZ=${MERCHANT_TZ} 30 * * * *` }] },
    async ({ event, step }) => {
      const firedAt = firedAtOf(event);
      return step.run("reconcile-yesterday", async () => (await reconcileYesterday(await deps.db(), configuredRealProviders(), firedAt)).map((r) => ({ provider: r.provider, billDate: r.billDate, status: r.status })));
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

  /**
   * A merchant-time job: fires hourly and runs the local day (or month), in the time zone of the rules then in
   * force, whose run dueMerchantRun names — the current one once, or one whose first hour was missed — for that
   * period's first instant. The firing's instant decides, so a retry decides as the first attempt did. A run that
   * must wait for earlier rows (a completion due in the month still backing off, earlierPending) is left to the
   * next firing, as the in-process sweep leaves its row.
   */
  const merchantTimeJob = <T,>(id: string, stepId: string, kind: keyof typeof MERCHANT_SCHEDULES, run: (db: Db, periodStart: Date) => Promise<T>) =>
    inngest.createFunction({ id, triggers: [{ cron: HOURLY }] }, async ({ event, step }) => {
      const firedAt = firedAtOf(event);
      return step.run(stepId, async () => {
        const db = await deps.db();
        const periodStart = await dueMerchantRun(db, MERCHANT_SCHEDULES[kind], firedAt, (await loadConfig(db, firedAt)).timeZone);
        if (!periodStart) return { skipped: true };
        if (await earlierPending(db, kind, periodStart)) return { waiting: true };
        return run(db, periodStart);
      });
    });

  /** 00:00 merchant time; once per local day however often it fires (tier_review:<day> job key); tiers as of now. */
  const nightlyTierReview = merchantTimeJob("nightly-tier-review", "review-tiers", "TIER_REVIEW", async (db, day) => ({ reviewed: (await reviewTiers(db, { now: new Date(), instant: day })).changed }));

  /** 1st of the month, 00:00 merchant time; exactly once per partner and month however often or late it fires. */
  const monthlyTeamBonus = merchantTimeJob("monthly-team-bonus", "pay-team-bonus", "TEAM_BONUS", async (db, month) => ({ paid: await payMonthlyTeamBonus(db, { now: new Date(), instant: month }) }));

  /**
   * Same cron as the team bonus: the stepped sales bonus (SPEC §7). Batched with a cursor (JobCursor),
   * so a retried step resumes after the last committed batch; each member is paid at most once a month.
   */
  const monthlyStepBonus = merchantTimeJob("monthly-step-bonus", "pay-step-bonus", "STEP_BONUS", async (db, month) => ({ paid: (await payMonthlyStepBonus(db, { now: new Date(), instant: month })).changed }));

  return { transitionWakeup, sweepDue, dailyReconciliation, orderPaid, orderEvents, memberJoined, nightlyTierReview, monthlyTeamBonus, monthlyStepBonus };
}

/** The functions served at /api/inngest, bound to the app's database. */
export const functions = Object.values(createFunctions({ db: getDb }));
