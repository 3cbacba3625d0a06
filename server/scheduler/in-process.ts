// The embedded default (no Inngest server): one timer performs every due transition and relays the
// outbox to the local handlers. The same idempotent functions run under Inngest in production.
import type { Db } from "../db";
import { inTx } from "../context";
import { runDueTransitions, ensureRecurringTransitions } from "./index";
import { relayOutbox, localSink } from "../events/relay";
import { payApprovedWithdrawals } from "../wallet/withdrawals";
import { appNow } from "../clock/app-clock";

export interface SchedulerHandle {
  stop(): void;
  tick(): Promise<void>;
}

export function startInProcessScheduler(getDb: () => Promise<Db>, intervalMs = 15_000): SchedulerHandle {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const db = await getDb();
      const now = appNow();
      await inTx(db, { now }, (ctx) => ensureRecurringTransitions(ctx));
      await runDueTransitions(db, now, { clock: "wall", now });
      await payApprovedWithdrawals(db, now);
      while ((await relayOutbox(db, localSink(db))) > 0);
    } catch (e) {
      console.error(`[scheduler] sweep failed: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref?.();
  void tick();
  return { stop: () => clearInterval(timer), tick };
}

export function inngestConfigured(): boolean {
  return Boolean(process.env.INNGEST_EVENT_KEY || process.env.INNGEST_DEV);
}
