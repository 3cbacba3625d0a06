// The outbox relay when Inngest is configured (SPEC §9): each pass sends the due outbox events to Inngest in one
// batch. Inngest refuses a whole batch for one bad event (400 malformed, 413 too large), so on a failed batch the
// events are sent one by one: the delivered ones are marked sent, and a refused one backs off and is dead-lettered
// as an event whose local handler fails is (relay.ts), never holding back the others. When Inngest itself does not
// answer (network down, 5xx, a wrong event key) nothing counts against the events: the relay pauses as a whole.
import type { Db } from "../db";
import { describeError } from "../api/internal-errors";
import { MINUTE } from "../clock/time";
import { appNow } from "../clock/app-clock";
import { relayOutbox, type EventSink, type OutgoingEvent } from "./relay";

/** inngest.send, or anything that fails as it does. */
export type SendEvents = (events: OutgoingEvent[]) => Promise<unknown>;

/** Inngest's HTTP status in the SDK's error ("Inngest API Error: 400 …"); null when no answer came (network, no event key). */
export function inngestStatus(e: unknown): number | null {
  const m = /^Inngest API Error: (\d{3})\b/.exec(e instanceof Error ? e.message : "");
  return m ? Number(m[1]) : null;
}

// Answers that hold for every event alike: the key or the account (401, 403, 404 "event key not found"), a timeout, rate limiting.
const BUS_STATUSES = new Set([401, 403, 404, 408, 429]);

/** Inngest answered and refused this payload: the event's own fault, which retrying the others cannot cure. */
export function refusedEvent(e: unknown): boolean {
  const status = inngestStatus(e);
  return status !== null && status >= 400 && status < 500 && !BUS_STATUSES.has(status);
}

/** A failed send, for the outbox row (its message, kept in the database) and the log (its code only: no payload, no personal data). */
export class InngestSendError extends Error {
  override name = "InngestSendError";
  readonly code: string;
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    const status = inngestStatus(cause);
    const inner = (cause as { cause?: { code?: unknown } })?.cause?.code ?? (cause as { code?: unknown })?.code;
    this.code = status !== null ? `HTTP_${status}` : typeof inner === "string" ? inner : cause instanceof Error ? cause.name : "Error";
  }
}

/**
 * Sends a batch through `send`; on failure, its events one by one. A refused event fails (an attempt counted). An
 * event Inngest did not answer fails too if Inngest answered another send of the pass (it is up: the trouble is that
 * event's); two unanswered sends in a row, or none answered at all, mean Inngest is down: those events and the rest
 * stay unsent, uncounted, and `unreachable` is told why.
 */
export function inngestSink(send: SendEvents, unreachable: (error: InngestSendError) => void): EventSink {
  return async (events) => {
    let batchError: unknown;
    try {
      await send(events);
      return;
    } catch (e) {
      batchError = e;
    }
    const failed = new Map<string, unknown>();
    const unsent = new Set<string>();
    let answered = false;
    let unanswered: { id: string; error: unknown } | null = null;
    let down: unknown = null;
    for (const event of events) {
      if (down !== null) {
        unsent.add(event.id);
        continue;
      }
      let error: unknown = null;
      try {
        // A lone event's batch was its own send: not sent twice.
        if (events.length > 1) await send([event]);
        else error = batchError;
      } catch (e) {
        error = e;
      }
      if (error !== null && !refusedEvent(error)) {
        if (unanswered) {
          down = error;
          unsent.add(unanswered.id).add(event.id);
          unanswered = null;
        } else unanswered = { id: event.id, error };
        continue;
      }
      answered = true;
      if (unanswered) failed.set(unanswered.id, new InngestSendError(unanswered.error));
      unanswered = null;
      if (error !== null) failed.set(event.id, new InngestSendError(error));
    }
    if (unanswered && answered) failed.set(unanswered.id, new InngestSendError(unanswered.error));
    else if (unanswered) {
      down = unanswered.error;
      unsent.add(unanswered.id);
    }
    if (down !== null) unreachable(new InngestSendError(down));
    return { failed, unsent };
  };
}

const PAUSE_FIRST_MS = 5_000;
const PAUSE_MAX_MS = 5 * MINUTE;

/** The relay's pause after `outages` passes in a row found Inngest down: 5 s, 10 s, 20 s, … capped at 5 min. */
export function relayPauseMs(outages: number): number {
  return Math.min(PAUSE_FIRST_MS * 2 ** Math.max(0, outages - 1), PAUSE_MAX_MS);
}

export interface InngestRelay {
  /** One pass, unless one is still running or the relay is paused; `now` (by default the app clock's) stamps the rows and the pause. */
  tick(now?: Date): Promise<void>;
}

export function createInngestRelay(getDb: () => Promise<Db>, send: SendEvents, batchSize = 100): InngestRelay {
  let running = false;
  let pausedUntil = 0;
  let outages = 0;
  let downSince: Date | null = null;
  return {
    async tick(now = appNow()) {
      // A pass can outlast the timer's period (the SDK retries each failed send for ~2 s): never two at once.
      if (running || now.getTime() < pausedUntil) return;
      running = true;
      try {
        const pass: { down?: InngestSendError } = {};
        await relayOutbox(await getDb(), inngestSink(send, (e) => (pass.down = e)), batchSize, now);
        if (!pass.down) {
          if (downSince) console.warn(`[outbox] Inngest answers again (unreachable since ${downSince.toISOString()}); relay resumed`);
          outages = 0;
          pausedUntil = 0;
          downSince = null;
          return;
        }
        const { code } = pass.down;
        outages++;
        downSince ??= now;
        const pause = relayPauseMs(outages);
        pausedUntil = now.getTime() + pause;
        // One alert per outage, once the pauses reach their longest (about 5 min in): a short blip is only a warning.
        if (pause === PAUSE_MAX_MS && relayPauseMs(outages - 1) < PAUSE_MAX_MS) {
          console.error(`[alert] Inngest unreachable since ${downSince.toISOString()} (${code}); outbox events wait, none counted as failed`);
        } else {
          console.warn(`[outbox] Inngest unreachable (${code}); relay paused until ${new Date(pausedUntil).toISOString()}, no event counted as failed`);
        }
      } catch (e) {
        // describeError: a Prisma message quotes the outbox rows' values (event data may name members).
        console.error(`[outbox] relay to Inngest failed: ${describeError(e)}`);
      } finally {
        running = false;
      }
    },
  };
}
