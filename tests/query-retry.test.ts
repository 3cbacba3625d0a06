// A query the server refused (4xx) is not asked again: three retries kept 加载中… up for ~9 s before the
// error showed. A network failure or a 5xx is retried a couple of times. The errors are the browser
// client's own, from real calls through tRPC's fetch adapter.
import { createTRPCClient, httpLink } from "@trpc/client";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { appRouter, type AppRouter } from "../server/api/root";
import type { TRPCContext } from "../server/api/trpc";
import { INT4_MAX } from "../server/validation";
import { createQueryClient, retryQuery } from "../trpc/query-client";
import { freshPglite } from "./helpers/db";

let database: Database;
beforeAll(async () => {
  database = await freshPglite();
});
afterAll(() => database.close());

/** A browser-side tRPC client whose requests reach the router in process (db: a failing one for a 500). */
function client(db: unknown = database.prisma, down = false) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: "http://127.0.0.1:3110/api/trpc",
        transformer: superjson,
        fetch: async (url, init) => {
          if (down) throw new TypeError("Failed to fetch");
          const req = new Request(url, init as RequestInit);
          const ctx: TRPCContext = { db: db as TRPCContext["db"], session: null, headers: req.headers, staffToken: null, requestId: "test-retry-0001" };
          return fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext: () => ctx });
        },
      }),
    ],
  });
}

const failure = (p: Promise<unknown>) => p.then(() => expect.unreachable("expected a failure"), (e: unknown) => e);

describe("query retries", () => {
  it("none after a 4xx: bad input (400), not signed in (401)", async () => {
    const badInput = await failure(client().catalog.product.query({ id: INT4_MAX + 1 }));
    const signedOut = await failure(client().merchantKpi.dashboard.query({}));
    for (const e of [badInput, signedOut]) expect(retryQuery(0, e)).toBe(false);
  });

  it("a couple after a 5xx or a network failure", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = new Proxy({}, { get: () => new Proxy({}, { get: () => async () => Promise.reject(new Error("connection lost")) }) });
    const internal = await failure(client(broken).catalog.home.query());
    const offline = await failure(client(database.prisma, true).catalog.home.query());
    for (const e of [internal, offline]) {
      expect([0, 1, 2].map((n) => retryQuery(n, e))).toEqual([true, true, false]);
    }
    vi.restoreAllMocks();
  });

  it("are the browser's: the server's prefetch (here) never retries", () => {
    expect(createQueryClient().getDefaultOptions().queries?.retry).toBe(false);
  });
});
