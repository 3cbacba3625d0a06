// Share-link visits are counted in batches (issue 14, item 6): a landing page view queues its visit and
// returns; one transaction writes every visit queued within `delayMs` (or as soon as `maxBatch` wait).
// A crash loses at most the visits of the last `delayMs`: an accepted cost for a counter, never for money.
import type { Db } from "../db";
import { inTx } from "../context";
import { recordReferralVisits } from ".";

export interface QueuedVisit {
  code: string;
  visitorId: string | null;
  at: Date;
}

/** A reload or revisit by the same visitor within this window is not another visit of the link. */
export const REVISIT_WINDOW_MS = 30 * 60_000;
/** New visitors (no cookie of ours yet) of one link counted per network (IP rate key) per hour: a script without cookies is a new visitor each time. */
export const VISITS_PER_NETWORK_PER_HOUR = 30;
/** Keys remembered for the two limits; the oldest are forgotten first (memory stays bounded under a flood). */
const MAX_REMEMBERED = 100_000;

export class VisitBuffer {
  private queue: QueuedVisit[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** `code visitor` → when their counted visit was. */
  private visitors = new Map<string, number>();
  /** `code network` → the hour's window start and the visits counted in it. */
  private networks = new Map<string, { since: number; n: number }>();

  constructor(
    private readonly db: () => Promise<Db>,
    private readonly opts: { delayMs: number; maxBatch: number } = { delayMs: 1000, maxBatch: 500 },
  ) {}

  /**
   * Queues one visit unless it repeats one already counted (the same visitor within REVISIT_WINDOW_MS), or it is a new
   * visitor's and the network's VISITS_PER_NETWORK_PER_HOUR for the link is used up: a flood neither grows the table nor
   * inflates the link's figures, while people behind one address (an office, a carrier's NAT) who keep their cookie all
   * count. `newFromNetwork`: the client's IP rate key when the visitor id was minted on this request, else null.
   * Never throws or waits for the database.
   */
  add(visit: QueuedVisit, newFromNetwork: string | null = null): boolean {
    const at = visit.at.getTime();
    const visitorKey = visit.visitorId === null ? null : `${visit.code}\u0000${visit.visitorId}`;
    if (visitorKey !== null) {
      const last = this.visitors.get(visitorKey);
      if (last !== undefined && at - last < REVISIT_WINDOW_MS) return false;
    }
    if (newFromNetwork !== null) {
      const key = `${visit.code}\u0000${newFromNetwork}`;
      const w = this.networks.get(key);
      const current = w && at - w.since < 3_600_000 ? w : { since: at, n: 0 };
      if (current.n >= VISITS_PER_NETWORK_PER_HOUR) return false;
      remember(this.networks, key, { since: current.since, n: current.n + 1 });
    }
    // Remembered only once counted: a visit refused above does not hold the visitor's next one back.
    if (visitorKey !== null) remember(this.visitors, visitorKey, at);
    this.queue.push(visit);
    if (this.queue.length >= this.opts.maxBatch) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.opts.delayMs);
      this.timer.unref?.();
    }
    return true;
  }

  /** Writes what is queued, in one transaction per batch; resolves when it is written (or failed). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue.splice(0, this.queue.length);
    if (batch.length === 0) return this.flushing;
    this.flushing = this.flushing.then(async () => {
      try {
        const db = await this.db();
        await inTx(db, {}, (ctx) => recordReferralVisits(ctx, batch));
      } catch (err) {
        console.error(`${batch.length} referral visits not recorded:`, err instanceof Error ? err.name : "unknown error");
      }
    });
    return this.flushing;
  }
}

/** Sets `key` as the newest entry, forgetting the oldest tenth once the map is full. */
function remember<V>(map: Map<string, V>, key: string, value: V) {
  map.delete(key);
  map.set(key, value);
  if (map.size <= MAX_REMEMBERED) return;
  let drop = Math.ceil(MAX_REMEMBERED / 10);
  for (const k of map.keys()) {
    if (drop-- <= 0) break;
    map.delete(k);
  }
}
