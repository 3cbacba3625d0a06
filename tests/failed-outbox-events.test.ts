// Dead-lettered outbox events on the back office's failed-jobs view (server/scheduler/failed.ts, merchantJobs):
// an event whose handler failed 8 times is counted and listed (name, id, attempts, when it died; never the
// handler's raw error, which may carry personal data), and a staff retry puts it back in the queue exactly once,
// audited, so the next relay delivers it. Only the jobs area's roles (owner, finance) see or retry it.
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { localSink, relayOutbox } from "../server/events/relay";
import { freshDatabase } from "./helpers/db";
import { domainRefusal, refusal, signedInStaff } from "./helpers/caller";

let database: Database;
beforeEach(async () => {
  database = await freshDatabase();
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(async () => {
  vi.restoreAllMocks();
  await database.close();
});

const HOUR = 3_600_000;
// A day ago, so the staff retry (stamped with the app's clock) comes after the event died.
const t0 = new Date(Math.floor((Date.now() - 24 * HOUR) / 1000) * 1000);
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);

/** An event whose handler fails until `fixed`, relayed hourly (every backoff, at most 32 min, has run out) until dead. */
async function deadEvent() {
  const handled: number[] = [];
  const state = { fixed: false };
  const handlers = {
    "member/flaky": async (_db: unknown, data: Record<string, unknown>) => {
      if (!state.fixed) throw new Error("member 13800138000 not found");
      handled.push(Number(data.memberId));
    },
  };
  const { id } = await database.prisma.outboxEvent.create({ data: { name: "member/flaky", data: { memberId: 7 }, createdAt: t0 } });
  const relay = (now: Date) => relayOutbox(database.prisma, localSink(database.prisma, handlers), 100, now);
  // Attempts 1..8 at t0, t0+1h, …, t0+7h: the 8th failure, at t0+7h, dead-letters it.
  for (let h = 0; h < 8; h++) await relay(at(h));
  return { id, handled, state, relay };
}

it("a dead outbox event is counted and listed with its name, id, attempts and death time, without its raw error", async () => {
  const { id } = await deadEvent();
  expect(await database.prisma.outboxEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({ attempts: 8, deadAt: at(7), sentAt: null });
  const finance = (await signedInStaff(database.prisma, "finance")).caller;

  // The total counts it (the other two are per kind).
  expect(await finance.merchantJobs.failedCount()).toEqual({ transitions: 0, providerCalls: 0, total: 1 });
  const list = await finance.merchantJobs.failedList({ limit: 50 });
  expect(list).toEqual([{ type: "outboxEvent", id, kind: "member/flaky", ref: String(id), attempts: 8, lastError: null, failedAt: at(7) }]);
  expect(JSON.stringify(list)).not.toContain("13800138000");
  // The home page's to-do count is the same total.
  expect((await finance.merchantHome.figures()).todo.failedJobs).toBe(1);
});

it("a retry puts the event back in the queue once, audited; the next relay delivers it once", async () => {
  const { id, handled, state, relay } = await deadEvent();
  const finance = await signedInStaff(database.prisma, "finance");
  const owner = await signedInStaff(database.prisma, "owner");

  // Two staff click at once: one retry puts it back, the other is refused as no longer failed.
  const results = await Promise.allSettled([
    finance.caller.merchantJobs.retry({ type: "outboxEvent", id }),
    owner.caller.merchantJobs.retry({ type: "outboxEvent", id }),
  ]);
  expect(results.filter((r) => r.status === "fulfilled").map((r) => r.value)).toEqual([{ retried: true }]);
  const rejected = results.find((r) => r.status === "rejected");
  expect(await domainRefusal(Promise.reject(rejected?.reason))).toBe("NOT_FAILED");
  // And a later click, after the first committed, too.
  expect(await domainRefusal(finance.caller.merchantJobs.retry({ type: "outboxEvent", id }))).toBe("NOT_FAILED");

  const queued = await database.prisma.outboxEvent.findUniqueOrThrow({ where: { id } });
  // Due at once whatever the relay's clock (the in-process relay runs on real time, the retry on the app's).
  expect(queued).toMatchObject({ deadAt: null, attempts: 0, sentAt: null, nextAttemptAt: null });
  expect(await database.prisma.auditLog.count({ where: { action: "job.retried", target: `outboxEvent:${id}` } })).toBe(1);
  expect(await finance.caller.merchantJobs.failedCount()).toEqual({ transitions: 0, providerCalls: 0, total: 0 });
  expect(await finance.caller.merchantJobs.failedList({ limit: 50 })).toEqual([]);

  // The cause is fixed: the next relay (due at once) delivers it and marks it sent; later relays leave it alone.
  state.fixed = true;
  const relayAt = at(7);
  expect(await relay(relayAt)).toBe(1);
  expect(handled).toEqual([7]);
  expect(await database.prisma.outboxEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({ sentAt: relayAt, deadAt: null, attempts: 0 });
  expect(await relay(new Date(relayAt.getTime() + HOUR))).toBe(0);
  expect(handled).toEqual([7]);
});

it("a role without the jobs area neither sees nor retries a dead event", async () => {
  const { id } = await deadEvent();
  const operator = (await signedInStaff(database.prisma, "operator")).caller;
  expect((await refusal(operator.merchantJobs.failedCount())).code).toBe("FORBIDDEN");
  expect((await refusal(operator.merchantJobs.failedList({ limit: 50 }))).code).toBe("FORBIDDEN");
  expect((await refusal(operator.merchantJobs.retry({ type: "outboxEvent", id }))).code).toBe("FORBIDDEN");
  expect(await database.prisma.outboxEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({ attempts: 8, deadAt: at(7) });
  expect(await database.prisma.auditLog.count({ where: { action: "job.retried" } })).toBe(0);
});

it("a dead due transition is listed without its raw error either", async () => {
  await database.prisma.dueTransition.create({
    data: { kind: "ORDER_COMPLETE", refId: 42, dueAt: at(0), createdAt: at(0), attempts: 8, deadAt: at(1), nextAttemptAt: at(1), lastError: "Error: order of 13800138000 refused" },
  });
  const finance = (await signedInStaff(database.prisma, "finance")).caller;
  const list = await finance.merchantJobs.failedList({ limit: 50 });
  expect(list).toMatchObject([{ type: "transition", kind: "ORDER_COMPLETE", ref: "42", attempts: 8, lastError: null }]);
  expect(JSON.stringify(list)).not.toContain("13800138000");
});
