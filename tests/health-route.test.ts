// GET /api/health (production-readiness review): 200 {"ok":true} when the app's database answers, 503 {"ok":false}
// with nothing more when it does not; never cached. The route reads the app's shared database (getDb), set here
// on the global server/db keeps it on, and put back afterwards (this file shares its worker with others).
import { createServer, type AddressInfo, type Socket } from "node:net";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { openPostgres, type Database } from "../server/db";
import { freshPglite } from "./helpers/db";
import { GET } from "../app/api/health/route";

const g = globalThis as unknown as { __fmDb?: Promise<Database> };
const before = g.__fmDb;
const opened: Database[] = [];

async function serving(db: Database): Promise<Response> {
  opened.push(db);
  g.__fmDb = Promise.resolve(db);
  return GET();
}

afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  g.__fmDb = before;
  for (const db of opened) await db.close().catch(() => undefined);
});

describe("GET /api/health", () => {
  it("answers 200 {ok:true}, not cached, when the database answers", async () => {
    const res = await serving(await freshPglite());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("answers 503 {ok:false} and nothing else when the database does not", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const logged: string[] = [];
    vi.spyOn(console, "error").mockImplementation((m: unknown) => void logged.push(String(m)));
    const res = await serving(await openPostgres(`postgresql://fmowner:hunter2secret@127.0.0.1:${port}/mall`, { migrate: false }));
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ ok: false });
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(logged.join("\n")).not.toContain("hunter2secret");
  });
});

describe("a database that accepts connections but never answers", () => {
  it("fails the check after the connection timeout (10 s) instead of holding the request", async () => {
    // Accepts TCP and says nothing, as a saturated or hung server does.
    const sockets: Socket[] = [];
    const silent = createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as AddressInfo).port;
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const started = Date.now();
      const res = await serving(await openPostgres(`postgresql://app:pw@127.0.0.1:${port}/mall`, { migrate: false }));
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 30_000);
});
