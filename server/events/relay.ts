// Outbox relay: events are written in the same transaction as the change and sent afterwards, so
// a request never waits on (or fails because of) the event bus. The outbox row id is the event id,
// which lets Inngest drop duplicates when a relay repeats.
import type { Db } from "../db";
import { localHandlers } from "./handlers";

export interface OutgoingEvent {
  id: string;
  name: string;
  data: Record<string, unknown>;
}

export type EventSink = (events: OutgoingEvent[]) => Promise<void>;

/** Sends up to `limit` unsent outbox events through the sink and marks them sent. */
export async function relayOutbox(db: Db, sink: EventSink, limit = 100): Promise<number> {
  const rows = await db.outboxEvent.findMany({ where: { sentAt: null }, orderBy: { id: "asc" }, take: limit });
  if (rows.length === 0) return 0;
  await sink(rows.map((r) => ({ id: `outbox-${r.id}`, name: r.name, data: r.data as Record<string, unknown> })));
  await db.outboxEvent.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { sentAt: new Date() } });
  return rows.length;
}

/** The embedded default: handle each event in-process with the same handlers Inngest runs. */
export function localSink(db: Db): EventSink {
  return async (events) => {
    for (const e of events) {
      const handler = localHandlers[e.name];
      if (!handler) continue;
      try {
        await handler(db, e.data);
      } catch (err) {
        console.error(`[events] ${e.name} (${e.id}) failed: ${(err as Error).message}`);
      }
    }
  };
}
