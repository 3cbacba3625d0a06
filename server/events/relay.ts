// Outbox relay: events are written in the same transaction as the change and sent afterwards, so
// a request never waits on (or fails because of) the event bus. The outbox row id is the event id,
// which lets Inngest drop duplicates when a relay repeats. A row is marked sent only once delivered:
// an event whose local handler fails stays pending, backs off and is dead-lettered after
// OUTBOX_MAX_ATTEMPTS, as due transitions are (server/scheduler/index.ts), without holding back the others.
import type { Db } from "../db";
import { backoffMs } from "../scheduler/backoff";
import { localHandlers, type EventHandler } from "./handlers";

/** After this many failed deliveries an event is dead-lettered (no relay takes it any more). */
export const OUTBOX_MAX_ATTEMPTS = 8;

export interface OutgoingEvent {
  id: string;
  name: string;
  data: Record<string, unknown>;
}

/**
 * What a sink did with a batch: the events in `failed` (event id -> error) were not delivered and count an attempt;
 * those in `unsent` were not delivered for a cause of the bus's (unreachable) and count none; all others were delivered.
 */
export interface SinkOutcome {
  failed?: ReadonlyMap<string, unknown>;
  unsent?: ReadonlySet<string>;
}

/**
 * Delivers events. A sink that throws delivered none and counts none: the whole batch is relayed again. `now` is the
 * relay pass's (the app clock's), which the local handlers act at.
 */
export type EventSink = (events: OutgoingEvent[], now: Date) => Promise<SinkOutcome | void>;

const eventId = (rowId: number) => `outbox-${rowId}`;
const errorText = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 500);

/**
 * Sends up to `limit` pending outbox events through the sink and marks the delivered ones sent. Returns how many it took.
 * `now` is the app clock's (appNow, passed by the caller, never the machine's): it picks the due rows, stamps them, and is
 * the instant the local handlers recompute at.
 */
export async function relayOutbox(db: Db, sink: EventSink, limit: number, now: Date): Promise<number> {
  const rows = await db.outboxEvent.findMany({
    where: { sentAt: null, deadAt: null, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
    orderBy: { id: "asc" },
    take: limit,
  });
  if (rows.length === 0) return 0;
  const outcome = await sink(rows.map((r) => ({ id: eventId(r.id), name: r.name, data: r.data as Record<string, unknown> })), now);
  const failed = outcome?.failed ?? new Map<string, unknown>();
  const unsent = outcome?.unsent ?? new Set<string>();
  const delivered = rows.filter((r) => !failed.has(eventId(r.id)) && !unsent.has(eventId(r.id))).map((r) => r.id);
  // Only a row still unsent: one that two relays delivered is marked once.
  if (delivered.length > 0) await db.outboxEvent.updateMany({ where: { id: { in: delivered }, sentAt: null }, data: { sentAt: now } });
  for (const r of rows) if (failed.has(eventId(r.id))) await recordFailure(db, r, failed.get(eventId(r.id)), now);
  return rows.length;
}

/** Records a failed delivery (once per attempt, whichever relay notices), backing off or dead-lettering. */
async function recordFailure(db: Db, row: { id: number; name: string; attempts: number }, error: unknown, now: Date): Promise<void> {
  const attempts = row.attempts + 1;
  const dead = attempts >= OUTBOX_MAX_ATTEMPTS;
  const next = new Date(now.getTime() + backoffMs(attempts));
  const { count } = await db.outboxEvent.updateMany({
    where: { id: row.id, sentAt: null, attempts: row.attempts },
    data: { attempts, lastError: errorText(error), nextAttemptAt: next, deadAt: dead ? now : null },
  });
  if (count === 0) return;
  // Ids and names only: error messages may carry personal data, they stay in the database.
  const code = (error as { code?: string })?.code ?? (error as Error)?.name ?? "Error";
  if (dead) console.error(`[alert] outbox event ${row.id} (${row.name}) dead-lettered after ${attempts} attempts (${code})`);
  else console.warn(`[events] outbox event ${row.id} (${row.name}) failed, attempt ${attempts}/${OUTBOX_MAX_ATTEMPTS} (${code}); retry at ${next.toISOString()}`);
}

/** The embedded default: handle each event in-process with the same handlers Inngest runs; a failure holds back only its own event. */
export function localSink(db: Db, handlers: Record<string, EventHandler> = localHandlers): EventSink {
  return async (events, now) => {
    const failed = new Map<string, unknown>();
    for (const e of events) {
      const handler = handlers[e.name];
      if (!handler) continue;
      try {
        await handler(db, e.data, now);
      } catch (err) {
        failed.set(e.id, err);
      }
    }
    return { failed };
  };
}
