// /api/trpc takes at most 10 procedures a request (tRPC batches by default, and one POST ran 50 auth.sendCode
// mutations); the app's own client link splits its batches to fit, so no page of ours is ever refused.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { NextRequest } from "next/server";
import type { Database } from "../server/db";
import { freshPglite } from "./helpers/db";

vi.mock("server-only", () => ({}));
const holder = vi.hoisted(() => ({ db: null as unknown as Database["prisma"] }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));

const ORIGIN = "http://localhost:3000";
process.env.SITE_URL = ORIGIN;
const { GET, POST } = await import("../app/api/trpc/[trpc]/route");
const { makeTrpcClient } = await import("../trpc/react");

let database: Database;
beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
}, 180_000);
afterAll(() => database?.close());
afterEach(() => vi.restoreAllMocks());

const serve = (req: Request) => (req.method === "POST" ? POST : GET)(req as NextRequest);

/** A batched GET of `n` catalog.categories queries, as a hand-made request would send it. */
function queries(n: number) {
  const input = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { json: null }]));
  const paths = Array.from({ length: n }, () => "catalog.categories").join(",");
  return serve(new Request(`${ORIGIN}/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`));
}

describe("tRPC batch size", () => {
  it("a batch of 10 is answered, each procedure's result in it", async () => {
    const res = await queries(10);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: { json: { slug: string }[] } } }[];
    expect(body).toHaveLength(10);
    for (const item of body) expect(item.result.data.json.map((c) => c.slug)).toEqual(["tea"]);
  });

  it("a batch of 11 is refused with a 400 before any procedure runs", async () => {
    expect((await queries(11)).status).toBe(400);
    const input = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [i, { json: { phone: `1380013800${i % 10}` } }]));
    const paths = Array.from({ length: 11 }, () => "auth.sendCode").join(",");
    const res = await serve(
      new Request(`${ORIGIN}/api/trpc/${paths}?batch=1`, { method: "POST", headers: { "content-type": "application/json", origin: ORIGIN }, body: JSON.stringify(input) }),
    );
    expect(res.status).toBe(400);
    expect(await database.prisma.otpCode.count()).toBe(0);
  });

  it("the app's client splits 25 calls made at once into batches the server takes", async () => {
    const sizes: number[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const req = new Request(input, init);
      sizes.push(new URL(req.url).pathname.split("/").pop()!.split(",").length);
      return serve(req);
    });
    const client = makeTrpcClient();
    const results = await Promise.all(Array.from({ length: 25 }, () => client.catalog.categories.query()));
    expect(results.map((r) => r.map((c) => c.slug))).toEqual(Array.from({ length: 25 }, () => ["tea"]));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(25);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
  });
});
