// A completion is dated when it fell due (the return window's end), so one due in November but still pending when
// the month closes (failing and backing off, or held by another sweeper) counts in November. The monthly bonuses
// (SPEC §7) therefore wait for every completion due before their instant: run first, they would have paid November
// without it, and December's run does not count it either.
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { parseConfig } from "../../server/config/schema";
import { runDueTransitions, WAIT_FOR_EARLIER_MS } from "../../server/scheduler";
import { freshDatabase } from "../helpers/db";

const config = parseConfig({});
let database: Database;
/** 1 December 00:00 in Shanghai: November's bonuses are due. */
const instant = new Date("2026-11-30T16:00:00Z");
const completionDue = new Date("2026-11-30T15:59:50Z");
/** Its first attempt failed: backing off until 10:00 in Shanghai. */
const retryAt = new Date("2026-12-01T02:00:00Z");

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
});
afterEach(() => database.close());

const row = (kind: "TEAM_BONUS" | "STEP_BONUS" | "ORDER_COMPLETE") =>
  database.prisma.dueTransition.findFirstOrThrow({ where: { kind, dueAt: kind === "ORDER_COMPLETE" ? completionDue : instant } });

it("November's team and step bonuses wait while a completion due in November backs off, and run right after it", async () => {
  const db = database.prisma;
  await db.dueTransition.create({ data: { kind: "ORDER_COMPLETE", refId: 4242, dueAt: completionDue, createdAt: completionDue, attempts: 1, nextAttemptAt: retryAt } });
  await db.dueTransition.create({ data: { kind: "TEAM_BONUS", refId: 0, dueAt: instant, createdAt: completionDue } });
  await db.dueTransition.create({ data: { kind: "STEP_BONUS", refId: 0, dueAt: instant, createdAt: completionDue } });

  // Five minutes past midnight: the completion is not takeable yet, so neither bonus runs; each waits for it.
  const sweep = new Date(instant.getTime() + 5 * 60_000);
  await runDueTransitions(db, sweep, { config });
  for (const kind of ["TEAM_BONUS", "STEP_BONUS"] as const) {
    expect(await row(kind)).toMatchObject({ doneAt: null, attempts: 0, nextAttemptAt: retryAt });
  }
  expect(await db.jobCursor.count()).toBe(0);

  // At the completion's retry it goes first (due earlier), then both bonuses.
  await runDueTransitions(db, retryAt, { config });
  expect((await row("ORDER_COMPLETE")).doneAt).not.toBeNull();
  expect((await row("TEAM_BONUS")).doneAt).not.toBeNull();
  expect((await row("STEP_BONUS")).doneAt).not.toBeNull();
});

it("with nothing earlier pending a bonus runs at once; a dead-lettered completion does not hold it", async () => {
  const db = database.prisma;
  await db.dueTransition.create({ data: { kind: "ORDER_COMPLETE", refId: 4242, dueAt: completionDue, createdAt: completionDue, attempts: 8, deadAt: completionDue } });
  await db.dueTransition.create({ data: { kind: "TEAM_BONUS", refId: 0, dueAt: instant, createdAt: completionDue } });
  await runDueTransitions(db, new Date(instant.getTime() + WAIT_FOR_EARLIER_MS / 2), { config });
  expect((await row("TEAM_BONUS")).doneAt).not.toBeNull();
});
