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

export class VisitBuffer {
  private queue: QueuedVisit[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: () => Promise<Db>,
    private readonly opts: { delayMs: number; maxBatch: number } = { delayMs: 1000, maxBatch: 500 },
  ) {}

  /** Queues one visit; never throws and never waits for the database. */
  add(visit: QueuedVisit): void {
    this.queue.push(visit);
    if (this.queue.length >= this.opts.maxBatch) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.opts.delayMs);
      this.timer.unref?.();
    }
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
