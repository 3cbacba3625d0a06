// The embedded default (no Inngest server): one timer performs every due transition and relays the
// outbox to the local handlers. The same idempotent functions run under Inngest in production.
import type { Db } from "../db";
import { inTx } from "../context";
import { runDueTransitions, ensureRecurringTransitions } from "./index";
import { relayOutbox, localSink } from "../events/relay";
import { foldKpiFacts } from "../kpi/daily";
import { payApprovedWithdrawals } from "../wallet/withdrawals";
import { performDueProviderCalls, reconcilePayingWithdrawals } from "../payments/calls";
import { reconcileOpenPayments, reconcileOpenRefunds } from "../payments";
import { sendDueChannelMessages } from "../notifications/channels";
import { reconcileYesterday } from "../payments/reconcile";
import { configuredRealProviders } from "../payments/registry";
import { appNow } from "../clock/app-clock";
import { expireExports, runQueuedExports } from "../exports/jobs";
import { runRetentionSweep } from "../privacy/retention";
import { kickSimulations } from "../simulator";
import { getStorage } from "../storage";
import { retireInngestFailures } from "./failed";

export interface SchedulerHandle {
  /** Stops the timer; resolves once the sweep in flight (if any) has finished. No sweep starts afterwards. */
  stop(): Promise<void>;
  tick(): Promise<void>;
}

export function startInProcessScheduler(getDb: () => Promise<Db>, intervalMs = 15_000): SchedulerHandle {
  // One sweep at a time: a tick while one runs waits for that one instead of starting another.
  let running: Promise<void> | null = null;
  let stopped = false;
  const sweep = async () => {
    try {
      const db = await getDb();
      const now = appNow();
      // Each duty on its own: one failing (e.g. a provider down) never stops the others.
      const duties: [string, () => Promise<unknown>][] = [
        ["recurring", () => inTx(db, { now }, (ctx) => ensureRecurringTransitions(ctx))],
        ["inngest failures", () => retireInngestFailures(db, now)],
        ["due transitions", () => runDueTransitions(db, now, { clock: "wall", now })],
        ["payouts", () => payApprovedWithdrawals(db, now)],
        ["provider calls", () => performDueProviderCalls(db, now)],
        ["paying withdrawals", () => reconcilePayingWithdrawals(db, now)],
        ["open payments", () => reconcileOpenPayments(db, now)],
        ["open refunds", () => reconcileOpenRefunds(db, now)],
        ["channel messages", () => sendDueChannelMessages(db, now)],
        ["bill reconciliation", () => reconcileYesterday(db, configuredRealProviders(), now)],
        ["exports", () => runQueuedExports(db, getStorage(), now)],
        ["expired exports", () => expireExports(db, getStorage(), now)],
        ["privacy retention", () => runRetentionSweep(db, getStorage(), now)],
        ["kpi", () => foldKpiFacts(db)],
        ["simulations", async () => kickSimulations(db)],
        // Each pass at the app clock's now (read afresh: an event emitted since the sweep began is not relayed at an
        // instant before its order completed, which the gmv90 window would leave out), never the machine's.
        ["outbox", async () => {
          while ((await relayOutbox(db, localSink(db), 100, appNow())) > 0);
        }],
      ];
      for (const [name, duty] of duties) {
        try {
          await duty();
        } catch (e) {
          console.error(`[scheduler] ${name} failed: ${(e as Error).name}`);
        }
      }
    } catch (e) {
      console.error(`[scheduler] sweep failed: ${(e as Error).name}`);
    }
  };
  const tick = () => (stopped ? (running ?? Promise.resolve()) : (running ??= sweep().finally(() => (running = null))));
  const timer = setInterval(tick, intervalMs);
  timer.unref?.();
  void tick();
  const stop = async () => {
    stopped = true;
    clearInterval(timer);
    // A shutdown lets the sweep in flight finish rather than cut a duty (a payout, a provider call) mid-way.
    await running;
  };
  return { stop, tick };
}

/** How long a shutdown waits for the jobs, the queued visits and the database before the process exits anyway. */
export const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * SIGTERM (a deploy, docker stop) or SIGINT: shuts down once, then exits (instrumentation.ts; kept here, out of
 * the edge build). `npm start` sets NEXT_MANUAL_SIG_HANDLE (package.json), else Next's own handler exits as soon
 * as its HTTP server is closed and cuts this short. A second signal ends the process at once.
 */
export function onShutdownSignal(stopJobs: () => Promise<void>): void {
  const handle = (signal: NodeJS.Signals) => {
    process.off("SIGTERM", handle);
    process.off("SIGINT", handle);
    console.log(`[shutdown] ${signal}: finishing the sweep in hand, writing queued visits, closing the database`);
    void shutDown(stopJobs).finally(() => process.exit(0));
  };
  process.once("SIGTERM", handle);
  process.once("SIGINT", handle);
}

/**
 * Stops the jobs (`stopJobs` waits for the sweep in flight), writes the share-link visits still queued
 * (app/r/[code]/landing.ts keeps its VisitBuffer on globalThis), then closes the database this process opened
 * (server/db getDatabase, also on globalThis). "timeout" after `timeoutMs`: the caller exits anyway.
 */
export async function shutDown(stopJobs: () => Promise<void>, timeoutMs = SHUTDOWN_TIMEOUT_MS): Promise<"done" | "failed" | "timeout"> {
  const g = globalThis as unknown as { __fmVisits?: { flush(): Promise<void> }; __fmDb?: Promise<{ close(): Promise<void> }> };
  const work = (async () => {
    await stopJobs();
    await g.__fmVisits?.flush();
    if (g.__fmDb) await (await g.__fmDb).close();
    return "done" as const;
  })().catch((e: unknown) => {
    console.error(`[shutdown] failed: ${(e as Error).name}`);
    return "failed" as const;
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  const outcome = await Promise.race([work, timeout]);
  clearTimeout(timer);
  if (outcome === "timeout") console.error(`[shutdown] not finished within ${timeoutMs} ms: exiting anyway`);
  return outcome;
}

export function inngestConfigured(): boolean {
  return Boolean(process.env.INNGEST_EVENT_KEY || process.env.INNGEST_DEV);
}
