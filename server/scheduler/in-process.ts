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
import { kickSimulations } from "../simulator";
import { getStorage } from "../storage";
import { retireInngestFailures } from "./failed";

export interface SchedulerHandle {
  stop(): void;
  tick(): Promise<void>;
}

export function startInProcessScheduler(getDb: () => Promise<Db>, intervalMs = 15_000): SchedulerHandle {
  // One sweep at a time: a tick while one runs waits for that one instead of starting another.
  let running: Promise<void> | null = null;
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
        ["kpi", () => foldKpiFacts(db)],
        ["simulations", async () => kickSimulations(db)],
        ["outbox", async () => {
          while ((await relayOutbox(db, localSink(db))) > 0);
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
  const tick = () => (running ??= sweep().finally(() => (running = null)));
  const timer = setInterval(tick, intervalMs);
  timer.unref?.();
  void tick();
  return { stop: () => clearInterval(timer), tick };
}

export function inngestConfigured(): boolean {
  return Boolean(process.env.INNGEST_EVENT_KEY || process.env.INNGEST_DEV);
}
