// A sweep's claim that finds no takeable row tells the caller (onIdle) the earliest due time of a pending row, as
// earliestDue reads it: the scenario replay learns its next sweep time without a statement of its own.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { earliestDue, runDueTransitions, scheduleDue } from "../server/scheduler";
import { freshDatabase } from "./helpers/db";

const config = parseConfig({});
const t0 = new Date("2026-05-01T02:00:00Z");
const later = (ms: number) => new Date(t0.getTime() + ms);

describe("a claim that finds nothing", () => {
  let database: Database;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(() => database.close());

  it("reports the earliest pending due time, or null when nothing is pending", async () => {
    const idle: (Date | null)[] = [];
    const sweep = (until: Date) => runDueTransitions(database.prisma, until, { config, clock: "due", onIdle: (d) => idle.push(d) });
    expect(await sweep(t0)).toBe(0);
    // Two rows due in an hour and in two hours (a cancelled order's timeout: the transition finds nothing to do).
    await inTx(database.prisma, { config, now: t0 }, async (ctx) => {
      await scheduleDue(ctx, "ORDER_PAYMENT_TIMEOUT", 999_001, later(2 * 3_600_000));
      await scheduleDue(ctx, "ORDER_PAYMENT_TIMEOUT", 999_002, later(3_600_000));
    });
    expect(await sweep(later(60_000))).toBe(0);
    // The first row performed, then the claim after it finds the second one not yet due.
    expect(await sweep(later(3_600_000))).toBe(1);
    expect(await sweep(later(3 * 3_600_000))).toBe(1);
    expect(idle).toEqual([null, later(3_600_000), later(2 * 3_600_000), null]);
    expect(await earliestDue(database.prisma)).toBeNull();
  });
});
