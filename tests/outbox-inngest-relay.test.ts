// The outbox relay with Inngest configured (server/events/inngest-relay.ts), through the real `inngest` client sending
// to a local HTTP server that stands in for Inngest's event API (POST /e/<event key>). One event Inngest refuses
// never holds back the others: they are delivered and marked sent, the refused one backs off (30 s, 1 min, …) and is
// dead-lettered after 8 attempts with one [alert] line free of personal data. With Inngest down, no event counts an
// attempt: the relay pauses as a whole (5 s, 10 s, …, 5 min) and delivers everything once Inngest answers again.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { Inngest } from "inngest";
import type { Database, Prisma } from "../server/db";
import { createInngestRelay } from "../server/events/inngest-relay";
import { freshDatabase } from "./helpers/db";

let database: Database;
let warnings: string[];
let errors: string[];
const servers: Server[] = [];
beforeEach(async () => {
  database = await freshDatabase();
  warnings = [];
  errors = [];
  vi.spyOn(console, "warn").mockImplementation((line: unknown) => void warnings.push(String(line)));
  vi.spyOn(console, "error").mockImplementation((line: unknown) => void errors.push(String(line)));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  await database.close();
});

const EVENT_KEY = "test-event-key";

/**
 * Inngest's event API on `port` (0: any free one): a batch holding an event named in `refusals` is refused whole with
 * that status, its error quoting the event's data as a real validation message may; any other batch is accepted.
 */
async function standInInngest(refusals: Record<string, number>, port = 0) {
  const accepted: string[][] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const events = JSON.parse(body) as { id: string; name: string; data: unknown }[];
      const refused = req.url === `/e/${EVENT_KEY}` ? events.find((e) => refusals[e.name]) : undefined;
      const [status, answer] =
        req.url !== `/e/${EVENT_KEY}` ? [401, { error: "Event key not found", status: 401 }]
        : refused ? [refusals[refused.name], { error: `event ${refused.id} invalid: ${JSON.stringify(refused.data)}`, status: refusals[refused.name] }]
        : [200, { ids: events.map((e) => e.id), status: 200 }];
      if (status === 200) accepted.push(events.map((e) => e.id));
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { accepted, port: (server.address() as AddressInfo).port, server };
}

/** A free port nothing listens on: Inngest down. */
async function closedPort(): Promise<number> {
  const { port, server } = await standInInngest({});
  await new Promise((r) => server.close(r));
  servers.splice(servers.indexOf(server), 1);
  return port;
}

/** The relay as instrumentation.ts builds it, its sends going through the real client to 127.0.0.1:`port`; `sends` counts them. */
function relayTo(port: number) {
  const inngest = new Inngest({ id: "fission-mall-test", eventKey: EVENT_KEY, baseUrl: `http://127.0.0.1:${port}`, isDev: false });
  const counter = { sends: 0 };
  const relay = createInngestRelay(async () => database.prisma, (events) => {
    counter.sends++;
    return inngest.send(events.map((e) => ({ id: e.id, name: e.name, data: e.data })));
  });
  return { relay, counter };
}

const t0 = new Date("2026-06-01T02:00:00.000Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
async function enqueue(name: string, data: Prisma.InputJsonObject = {}) {
  return (await database.prisma.outboxEvent.create({ data: { name, data, createdAt: t0 } })).id;
}
const row = (id: number) => database.prisma.outboxEvent.findUniqueOrThrow({ where: { id } });
const logs = () => [...warnings, ...errors];

it("Inngest refusing one event (400): the others are delivered and marked sent, the bad one backs off and is dead-lettered after 8 attempts", async () => {
  const inngest = await standInInngest({ "test/bad": 400 });
  const { relay } = relayTo(inngest.port);
  const a = await enqueue("test/ok");
  const b = await enqueue("test/bad", { phone: "13800138000" });
  const c = await enqueue("test/ok");

  // The batch [a, b, c] is refused whole; sent one by one, a and c go through.
  await relay.tick(t0);
  expect(inngest.accepted).toEqual([[`outbox-${a}`], [`outbox-${c}`]]);
  expect(await row(a)).toMatchObject({ sentAt: t0, attempts: 0 });
  expect(await row(c)).toMatchObject({ sentAt: t0, attempts: 0 });
  expect(await row(b)).toMatchObject({ sentAt: null, attempts: 1, nextAttemptAt: at(30), deadAt: null });
  expect((await row(b)).lastError).toContain("400");

  // A refusal is the event's fault, not Inngest's: the relay does not pause, and a later event goes in a batch of its own.
  const d = await enqueue("test/ok");
  await relay.tick(at(2));
  expect(inngest.accepted.at(-1)).toEqual([`outbox-${d}`]);
  expect((await row(d)).sentAt).toEqual(at(2));

  // Backoff after attempt n: 30 s · 2^(n-1) → 30, 60, 120, 240, 480, 960, 1920 s; the 8th failure dead-letters it.
  let now = 0;
  for (const [i, wait] of [30, 60, 120, 240, 480, 960, 1920].entries()) {
    await relay.tick(at(now + wait - 1)); // not yet due: not sent
    expect((await row(b)).attempts).toBe(i + 1);
    now += wait;
    await relay.tick(at(now));
    expect((await row(b)).attempts).toBe(i + 2);
  }
  expect(await row(b)).toMatchObject({ sentAt: null, attempts: 8, deadAt: at(now) });
  const alerts = errors.filter((l) => l.startsWith("[alert]"));
  expect(alerts).toHaveLength(1);
  expect(alerts[0]).toContain(`outbox event ${b} (test/bad)`);
  expect(alerts[0]).toContain("HTTP_400");
  // Neither the payload nor Inngest's message quoting it reach the logs (they stay in the database row).
  expect(logs().filter((l) => l.includes("13800138000"))).toEqual([]);

  // Dead-lettered: no relay sends it again, and every other event still flows.
  const e = await enqueue("test/ok");
  await relay.tick(at(now + 7 * 86_400));
  expect(inngest.accepted.at(-1)).toEqual([`outbox-${e}`]);
  expect(inngest.accepted.flat().filter((id) => id === `outbox-${b}`)).toEqual([]);
  expect(await row(b)).toMatchObject({ attempts: 8, deadAt: at(now) });
});

it("Inngest down: no event counts an attempt, the relay pauses as a whole, and delivers everything once Inngest is back", async () => {
  const port = await closedPort();
  const { relay, counter } = relayTo(port);
  const a = await enqueue("test/ok");
  const b = await enqueue("test/ok", { phone: "13800138000" });
  const c = await enqueue("test/ok");

  // The batch fails, then a and b one by one: two sends in a row unanswered, so c is not tried.
  await relay.tick(t0);
  expect(counter.sends).toBe(3);
  for (const id of [a, b, c]) expect(await row(id)).toMatchObject({ sentAt: null, attempts: 0, nextAttemptAt: null, deadAt: null, lastError: null });
  expect(warnings).toEqual([`[outbox] Inngest unreachable (ECONNREFUSED); relay paused until ${at(5).toISOString()}, no event counted as failed`]);

  // Paused 5 s: the 2-second timer's ticks in between send nothing; then 10 s.
  await relay.tick(at(2));
  await relay.tick(at(4));
  expect(counter.sends).toBe(3);
  await relay.tick(at(5));
  expect(counter.sends).toBe(6);
  await relay.tick(at(14));
  expect(counter.sends).toBe(6);
  expect(warnings.at(-1)).toContain(`relay paused until ${at(15).toISOString()}`);

  // Inngest is back: one batch delivers all three, with no attempt counted.
  const inngest = await standInInngest({}, port);
  await relay.tick(at(15));
  expect(inngest.accepted).toEqual([[`outbox-${a}`, `outbox-${b}`, `outbox-${c}`]]);
  for (const id of [a, b, c]) expect(await row(id)).toMatchObject({ sentAt: at(15), attempts: 0, deadAt: null });
  expect(warnings.at(-1)).toBe(`[outbox] Inngest answers again (unreachable since ${t0.toISOString()}); relay resumed`);
  expect(errors).toEqual([]);
  expect(logs().filter((l) => l.includes("13800138000"))).toEqual([]);

  // Not paused any more: the next tick relays a new event at once.
  const d = await enqueue("test/ok");
  await relay.tick(at(17));
  expect(inngest.accepted.at(-1)).toEqual([`outbox-${d}`]);
});

it("a long outage raises one [alert] once the pauses reach 5 min, and still counts no attempt", async () => {
  const { relay, counter } = relayTo(await closedPort());
  const a = await enqueue("test/ok");

  // Pauses 5, 10, 20, 40, 80, 160 s, then 300 s (the longest) from the 7th pass, at 315 s.
  const passes = [0, 5, 15, 35, 75, 155, 315, 615];
  for (const s of passes) await relay.tick(at(s));
  expect(counter.sends).toBe(passes.length);
  expect(errors).toEqual([`[alert] Inngest unreachable since ${t0.toISOString()} (ECONNREFUSED); outbox events wait, none counted as failed`]);
  expect(await row(a)).toMatchObject({ sentAt: null, attempts: 0, nextAttemptAt: null, deadAt: null });
});

it("an event Inngest fails with a 5xx while it accepts the others is that event's failure, counted without pausing the relay", async () => {
  const inngest = await standInInngest({ "test/poison": 500 });
  const { relay } = relayTo(inngest.port);
  const p = await enqueue("test/poison");
  const a = await enqueue("test/ok");

  await relay.tick(t0);
  expect(inngest.accepted).toEqual([[`outbox-${a}`]]);
  expect(await row(a)).toMatchObject({ sentAt: t0 });
  expect(await row(p)).toMatchObject({ sentAt: null, attempts: 1, nextAttemptAt: at(30) });

  // Last in its batch too: Inngest answered the other send of the pass.
  const b = await enqueue("test/ok");
  const q = await enqueue("test/poison");
  await relay.tick(at(2));
  expect(inngest.accepted.at(-1)).toEqual([`outbox-${b}`]);
  expect(await row(q)).toMatchObject({ sentAt: null, attempts: 1, nextAttemptAt: at(32) });

  const c = await enqueue("test/ok");
  await relay.tick(at(4));
  expect(inngest.accepted.at(-1)).toEqual([`outbox-${c}`]);
  expect(errors.filter((l) => l.startsWith("[alert]"))).toEqual([]);
  expect(warnings.filter((l) => l.includes("unreachable"))).toEqual([]);
});
