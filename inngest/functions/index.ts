// Durable functions: they only orchestrate; every step calls one idempotent domain function.
import type { GetStepTools } from "inngest";
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
import { runRetentionSweep } from "@/server/privacy/retention";
import { runQueuedSimulations } from "@/server/simulator";
import { foldKpiFacts } from "@/server/kpi/daily";
import { loadConfig } from "@/server/context";
import { beginMerchantRun, MERCHANT_SCHEDULES, owedMerchantRuns } from "@/server/scheduler/merchant-time";
import { inngestHeartbeat, recordHeartbeat, recordRecovery } from "@/server/scheduler/heartbeat";
import { inngestRetryEvent, type InngestCron } from "@/server/scheduler/failed";
import { appNow } from "@/server/clock/app-clock";

export { inngestHeartbeat };

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

type Step = GetStepTools<typeof inngest>;

/** Wake-ups performing at once (midnight's T+1 settlements): below the database pool, so requests still get connections. */
export const WAKEUP_CONCURRENCY = 10;

export function createFunctions(deps: FunctionDeps) {
  /** Logs one `[alert]` (ids and the error's class only: messages may carry personal data) and records the failure for staff. */
  const recordFailure = async (what: string, functionId: string, error: unknown) => {
    console.error(`[alert] ${what} failed (${error instanceof Error ? error.name : "Error"})`);
    await recordHeartbeat(await deps.db(), inngestHeartbeat(functionId), new Date(), { ok: false, error });
  };

  /** Every function's onFailure: a run that failed after its retries reaches staff, not only Inngest's dashboard. */
  const onFailure = (functionId: string) => async ({ error, step }: { error: Error; step: Step }) =>
    step.run("record-failure", () => recordFailure(`inngest function ${functionId}`, functionId, error));

  /**
   * Called in a run's last step once the run is found healthy (no step of it failed): the function leaves staff's failed-jobs
   * list. Inside a step, so it adds no step execution; `since` is when that step began.
   */
  const recovered = async (functionId: string, since: Date) => recordRecovery(await deps.db(), inngestHeartbeat(functionId), since, new Date());

  /** A function's one step: its work, then (it succeeded) the function's recorded failure is over. */
  const healthyStep = <T,>(functionId: string, work: () => Promise<T>) => async () => {
    const since = new Date();
    const result = await work();
    await recovered(functionId, since);
    return result;
  };

  /** Whether a step of this run failed (isolatedStep): replays see the same memoised failures, so it is deterministic. */
  interface RunState {
    failed: boolean;
  }

  /**
   * One step whose failure after its retries is alerted and recorded, and does not stop the run: null then. The alert
   * is a step of its own, so a replay of the handler does not log it again.
   */
  const isolatedStep = async <T,>(step: Step, functionId: string, stepId: string, run: () => Promise<T>, state?: RunState, onFailed?: () => Promise<void>) => {
    try {
      return await step.run(stepId, run);
    } catch (e) {
      if (state) state.failed = true;
      await step.run(`${stepId}-failed`, async () => {
        await onFailed?.();
        await recordFailure(`inngest function ${functionId} step ${stepId}`, functionId, e);
      });
      return null;
    }
  };

  /** A scheduled function's triggers: its cron, and the event a staff retry sends (server/scheduler/failed.ts), which runs it at once. */
  const scheduled = (functionId: InngestCron, cron: string) => [{ cron }, { event: inngestRetryEvent(functionId) }];

  /** Sleeps until a stored transition is due, then performs it (SPEC §9). */
  const transitionWakeup = inngest.createFunction(
    {
      id: "transition-wakeup",
      triggers: [{ event: "transition/scheduled" }],
      // Counts performing steps only: sleeping wake-ups hold no slot (a row not taken in time is the sweep's).
      concurrency: { limit: WAKEUP_CONCURRENCY },
      onFailure: onFailure("transition-wakeup"),
    },
    async ({ event, step }) => {
      const { id, dueAt } = event.data as { id: number; dueAt: string };
      await step.sleepUntil("wait-until-due", new Date(dueAt));
      return step.run("perform-transition", healthyStep("transition-wakeup", async () => ({ performed: await performDueById(await deps.db(), Number(id)) })));
    },
  );

  /**
   * Catch-up sweep: anything due that a wake-up missed. Each duty on its own, as in-process (server/scheduler/in-process.ts):
   * one failing after its retries is alerted and never stops the others. One sweep at a time (the duties' claims make two
   * safe, but they would only contend).
   */
  const SWEEP = "sweep-due-transitions";
  const sweepDue = inngest.createFunction(
    { id: SWEEP, triggers: scheduled(SWEEP, "*/5 * * * *"), concurrency: { limit: 1 }, onFailure: onFailure(SWEEP) },
    async ({ step }) => {
      const state: RunState = { failed: false };
      const duty = <T,>(id: string, run: () => Promise<T>) => isolatedStep(step, SWEEP, id, run, state);
      const ran = await duty("run-due", async () => runDueTransitions(await deps.db(), new Date(), { clock: "wall" }));
      const payouts = await duty("pay-approved-withdrawals", async () => payApprovedWithdrawals(await deps.db()));
      // Refunds and payouts queued with their state change, retried with the same idempotency number.
      await duty("perform-provider-calls", async () => performDueProviderCalls(await deps.db()));
      await duty("reconcile-paying-withdrawals", async () => reconcilePayingWithdrawals(await deps.db()));
      // Payments whose provider callback never came: asked of the provider (order query).
      await duty("reconcile-open-payments", async () => reconcileOpenPayments(await deps.db()));
      // Refunds the provider accepted as processing whose callback never came: asked of the provider (refund query).
      await duty("reconcile-open-refunds", async () => reconcileOpenRefunds(await deps.db()));
      // WeChat subscription notifications queued with their in-app notification, retried until sent.
      await duty("send-channel-messages", async () => sendDueChannelMessages(await deps.db()));
      // Background CSV exports that the process which queued them did not finish.
      await duty("run-queued-exports", async () => runQueuedExports(await deps.db(), getStorage()));
      // Their files deleted a week after they finished (they hold members' personal data).
      await duty("expire-exports", async () => expireExports(await deps.db(), getStorage()));
      // Personal data past its retention (server/privacy/retention.ts): once a day, the other sweeps find it done.
      await duty("privacy-retention", async () => runRetentionSweep(await deps.db(), getStorage(), new Date()));
      // KPI facts written with the domain events, folded into the daily aggregates the dashboard reads.
      await duty("fold-kpi-facts", async () => foldKpiFacts(await deps.db()));
      // What-if simulator runs (minutes each): one per sweep, so a sweep stays bounded.
      // The last duty: when none before it failed, neither did the run (its failure, if any, leaves staff's list).
      await duty("run-queued-simulations", async () => {
        const since = new Date();
        const result = await runQueuedSimulations(await deps.db(), new Date(), 1);
        if (!state.failed) await recovered(SWEEP, since);
        return result;
      });
      return { ran, payouts };
    },
  );

  /**
   * Each real provider's bill of yesterday against our payments and refunds (WeChat publishes it at 10:00), and a
   * failed one of the last days again: hourly, at half past, so the 10:30 firing is the day's first with the bills out.
   * The providers' bill days are Beijing days (reconcile.ts MERCHANT_TZ), whatever the merchant's zone.
   */
  const dailyReconciliation = inngest.createFunction(
    { id: "daily-bill-reconciliation", triggers: scheduled("daily-bill-reconciliation", `TZ=${MERCHANT_TZ} 30 * * * *`), onFailure: onFailure("daily-bill-reconciliation") },
    async ({ event, step }) => {
      const firedAt = firedAtOf(event);
      return step.run("reconcile-yesterday", healthyStep("daily-bill-reconciliation", async () => (await reconcileYesterday(await deps.db(), configuredRealProviders(), firedAt)).map((r) => ({ provider: r.provider, billDate: r.billDate, status: r.status }))));
    },
  );

  const orderPaid = inngest.createFunction(
    { id: "order-paid", triggers: [{ event: "order/paid" }], onFailure: onFailure("order-paid") },
    async ({ event, step }) => step.run("retier", healthyStep("order-paid", async () => (await retierAfterOrderEvent(await deps.db(), event.data, appNow()), "ok"))),
  );

  const orderEvents = inngest.createFunction(
    { id: "order-refunded-or-completed", triggers: [{ event: "order/refunded" }, { event: "order/completed" }], onFailure: onFailure("order-refunded-or-completed") },
    async ({ event, step }) => step.run("retier", healthyStep("order-refunded-or-completed", async () => (await retierAfterOrderEvent(await deps.db(), event.data, appNow()), "ok"))),
  );

  const memberJoined = inngest.createFunction(
    { id: "member-joined", triggers: [{ event: "member/joined" }], onFailure: onFailure("member-joined") },
    async ({ event, step }) => step.run("retier", healthyStep("member-joined", async () => (await retierAfterJoin(await deps.db(), event.data, appNow()), "ok"))),
  );

  /**
   * A merchant-time job: fires hourly and runs every local day (or month), in the time zone of the rules then in force,
   * whose run owedMerchantRuns names — the current one once, ones whose first hour was missed, and earlier ones begun and
   * not complete — each for that period's first instant, oldest first, each in a step of its own (its id names the period).
   * The firing's instant decides, and the list is a step too, so a retry or replay works through the same periods.
   * - a period whose step failed after its retries is alerted (with the heartbeat staff see) and passed over, as a
   *   dead-lettered row is: the later periods still run. Its run is marked begun (beginMerchantRun), so it stays owed and
   *   the next firing takes it again — not lost once a later period completes; its JobCursor makes a repeat pay nothing twice;
   * - a period that must wait for earlier rows (a completion due in the month still backing off, earlierPending) ends the
   *   run: the later periods wait for those rows too, and the next firing tries again, as the in-process sweep leaves its row.
   * A run in which every owed period ran (or none was owed) ends the function's recorded failure, in its last step.
   */
  const merchantTimeJob = <T,>(id: InngestCron, stepId: string, kind: keyof typeof MERCHANT_SCHEDULES, run: (db: Db, periodStart: Date) => Promise<T>) =>
    inngest.createFunction({ id, triggers: scheduled(id, HOURLY), onFailure: onFailure(id) }, async ({ event, step }) => {
      const firedAt = firedAtOf(event);
      const due = await step.run("due-periods", async () => {
        const since = new Date();
        const db = await deps.db();
        const tz = (await loadConfig(db, firedAt)).timeZone;
        const owed = (await owedMerchantRuns(db, MERCHANT_SCHEDULES[kind], firedAt, tz)).map((start) => ({ key: MERCHANT_SCHEDULES[kind].key(start, tz), start: start.toISOString() }));
        if (owed.length === 0) await recovered(id, since);
        return owed;
      });
      if (due.length === 0) return { skipped: true };
      const state: RunState = { failed: false };
      const periods: Record<string, unknown> = {};
      for (const [i, { key, start }] of due.entries()) {
        const result = await isolatedStep(
          step,
          id,
          `${stepId}-${key}`,
          async () => {
            const since = new Date();
            const db = await deps.db();
            if (await earlierPending(db, kind, new Date(start))) return { waiting: true };
            const paid = await run(db, new Date(start));
            if (i === due.length - 1 && !state.failed) await recovered(id, since);
            return paid;
          },
          state,
          // Marked begun (whether or not it got as far as its first batch), so the next firings take it again.
          async () => beginMerchantRun(await deps.db(), key, new Date()),
        );
        periods[key] = result ?? { failed: true };
        if (result && typeof result === "object" && "waiting" in result) break;
      }
      return periods;
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
