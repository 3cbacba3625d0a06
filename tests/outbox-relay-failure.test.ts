// The embedded default relays the outbox to in-process handlers (server/events/relay.ts localSink). An event whose
// handler fails is not lost: it stays pending with its attempt counted, is retried after the backoff (30 s, 1 min, …)
// without holding back the events behind it, is marked sent once when a retry succeeds, and is dead-lettered with one
// [alert] line (ids and names, no personal data) after 8 failed attempts.
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import type { Database, Prisma } from "../server/db";
import { localSink, relayOutbox } from "../server/events/relay";
import { freshDatabase } from "./helpers/db";

let database: Database;
let errors: string[];
beforeEach(async () => {
  database = await freshDatabase();
  errors = [];
  vi.spyOn(console, "error").mockImplementation((line: unknown) => void errors.push(String(line)));
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(async () => {
  vi.restoreAllMocks();
  await database.close();
});

const t0 = new Date("2026-06-01T02:00:00.000Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

async function enqueue(name: string, data: Prisma.InputJsonObject) {
  return (await database.prisma.outboxEvent.create({ data: { name, data, createdAt: t0 } })).id;
}
const row = (id: number) => database.prisma.outboxEvent.findUniqueOrThrow({ where: { id } });

it("a failing handler leaves its event pending and retried later; the others are handled and marked sent", async () => {
  const handled: string[] = [];
  let broken = true;
  const handlers = {
    "test/ok": async (_db: unknown, data: Record<string, unknown>) => void handled.push(String(data.n)),
    "test/flaky": async (_db: unknown, data: Record<string, unknown>) => {
      if (broken) throw new Error("member 13800138000 not found");
      handled.push(String(data.n));
    },
  };
  const a = await enqueue("test/ok", { n: "a" });
  const b = await enqueue("test/flaky", { n: "b" });
  const c = await enqueue("test/ok", { n: "c" });
  const relay = (now: Date) => relayOutbox(database.prisma, localSink(database.prisma, handlers), 100, now);

  await relay(t0);
  expect(handled).toEqual(["a", "c"]); // b's failure does not hold back c
  expect(await row(b)).toMatchObject({ sentAt: null, attempts: 1, nextAttemptAt: at(30), deadAt: null });
  expect((await row(a)).sentAt).toEqual(t0);
  expect((await row(c)).sentAt).toEqual(t0);

  // Before its backoff runs out it is not taken; then it fails again and waits twice as long.
  expect(await relay(at(29))).toBe(0);
  await relay(at(30));
  expect(await row(b)).toMatchObject({ sentAt: null, attempts: 2, nextAttemptAt: at(90) });

  // The handler works again: the retry marks it sent, and no later relay handles it again.
  broken = false;
  await relay(at(90));
  expect(handled).toEqual(["a", "c", "b"]);
  expect(await row(b)).toMatchObject({ sentAt: at(90), attempts: 2 });
  expect(await relay(at(3600))).toBe(0);
  expect(handled).toEqual(["a", "c", "b"]);
  expect((await row(b)).sentAt).toEqual(at(90));
  expect(errors.filter((l) => l.startsWith("[alert]"))).toEqual([]);
});

it("an event whose handler keeps failing is dead-lettered after 8 attempts with one [alert] line free of personal data", async () => {
  const handlers = {
    "test/broken": async () => {
      throw new Error("member 13800138000 not found");
    },
  };
  const id = await enqueue("test/broken", { phone: "13800138000" });
  const relay = (now: Date) => relayOutbox(database.prisma, localSink(database.prisma, handlers), 100, now);

  // Backoff after attempt n: 30 s · 2^(n-1) → 30, 60, 120, 240, 480, 960, 1920 s; the 8th failure is the last.
  const waits = [30, 60, 120, 240, 480, 960, 1920];
  let now = 0;
  await relay(at(now));
  expect(await row(id)).toMatchObject({ sentAt: null, attempts: 1 });
  for (const w of waits) {
    now += w;
    expect(await relay(at(now))).toBe(1);
  }
  expect(await row(id)).toMatchObject({ sentAt: null, attempts: 8, deadAt: at(now) });
  expect((await row(id)).lastError).toContain("not found");

  const alerts = errors.filter((l) => l.startsWith("[alert]"));
  expect(alerts).toHaveLength(1);
  expect(alerts[0]).toContain(`outbox event ${id} (test/broken)`);
  expect(alerts[0]).not.toContain("13800138000");

  // Dead-lettered: no relay takes it any more, even days later.
  expect(await relay(at(now + 7 * 86_400))).toBe(0);
});
