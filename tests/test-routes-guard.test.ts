// Every /api/test/* route handler checks the test door itself (server/test-doors.ts), so a proxy.ts
// matcher mistake cannot expose one: in a production build with FM_TEST_CLOCK=1 it answers 404 to
// any request without the run's token.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TEST_TOKEN_HEADER } from "@/server/test-doors";

const TOKEN = "t".repeat(40);
const ROUTES = readdirSync(join(import.meta.dirname, "../app/api/test"));
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Handler = (req: Request) => Promise<Response>;

afterEach(() => vi.unstubAllEnvs());

function production() {
  vi.stubEnv("NODE_ENV", "production");
  vi.stubEnv("FM_TEST_CLOCK", "1");
  vi.stubEnv("FM_TEST_TOKEN", TOKEN);
}

/** A body no handler accepts, so a handler that forgot its guard answers 400 (or fails), never 404. */
const request = (method: string, headers: Record<string, string> = {}) =>
  new Request("http://x/api/test", { method, headers: { "content-type": "application/json", ...headers }, ...(method === "GET" ? {} : { body: "[]" }) });

describe("/api/test/* route handlers", () => {
  it("config and jobs are among the routes checked", () => {
    expect(ROUTES).toEqual(expect.arrayContaining(["config", "jobs", "clock"]));
  });

  it("answer 404 in production without the run's token, even with FM_TEST_CLOCK=1", async () => {
    production();
    for (const route of ROUTES) {
      const mod = (await import(`../app/api/test/${route}/route.ts`)) as Partial<Record<(typeof METHODS)[number], Handler>>;
      const handlers = METHODS.filter((m) => mod[m]);
      expect(handlers.length, route).toBeGreaterThan(0);
      for (const method of handlers) {
        expect((await mod[method]!(request(method))).status, `${method} /api/test/${route}`).toBe(404);
        expect((await mod[method]!(request(method, { [TEST_TOKEN_HEADER]: "wrong" }))).status, `${method} /api/test/${route} (wrong token)`).toBe(404);
      }
    }
  });

  it("config lets the run's token through to its own checks", async () => {
    production();
    const { POST } = await import("@/app/api/test/config/route");
    // A JSON array is refused by the route itself (400), before any database access.
    expect((await POST(request("POST", { [TEST_TOKEN_HEADER]: TOKEN }))).status).toBe(400);
  });

  it("config and jobs answer 404 in development without FM_TEST_CLOCK=1", async () => {
    vi.stubEnv("NODE_ENV", "development");
    vi.stubEnv("FM_TEST_CLOCK", "");
    const config = await import("@/app/api/test/config/route");
    const jobs = await import("@/app/api/test/jobs/route");
    expect((await config.POST(request("POST"))).status).toBe(404);
    expect((await jobs.POST(request("POST"))).status).toBe(404);
  });
});
