// HTTP hardening of the API (issue 8):
// - input the database would reject (ids beyond int4, NUL bytes, oversized strings) is refused by
//   validation with BAD_REQUEST, for every procedure: the router is walked, its zod inputs read;
// - a mutation from another site is refused with FORBIDDEN (HTTP 403);
// - internal errors reach the client as a generic message with a request id, never their text or stack,
//   and are logged under that id (tRPC and the route handlers).
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { ZodError, type ZodType } from "zod";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { appRouter, createCaller } from "../server/api/root";
import type { TRPCContext } from "../server/api/trpc";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { INT4_MAX } from "../server/validation";
import { CROSS_SITE_MESSAGE } from "../lib/security/origin";
import { withErrorResponse } from "../app/_lib/route-errors";
import { freshPglite } from "./helpers/db";
import { session, signedInStaff } from "./helpers/caller";

type Path = (string | number)[];
interface Leaf {
  path: Path;
  kind: "string" | "number";
}
type Def = { type: string; [k: string]: unknown };
const defOf = (s: unknown) => (s as { _zod: { def: Def } })._zod.def;

const OVERFLOW = INT4_MAX + 1;
const NUL = "ok\u0000ok";

/** The primitive a schema accepts once wrappers are peeled off (for unions of strings and literals). */
function kindOf(schema: unknown): string {
  const def = defOf(schema);
  if (["optional", "nullable", "default", "prefault", "nonoptional", "readonly", "catch"].includes(def.type)) return kindOf(def.innerType);
  if (def.type === "pipe") return kindOf(def.in);
  return def.type;
}

/**
 * A sample input for a zod schema, and its string and number leaves. `fill` decides what goes in the
 * leaves: harmless values to poison one leaf at a time, or every leaf poisoned at once.
 */
function sample(schema: unknown, path: Path, leaves: Leaf[], fill: { string: string; number: number }): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case "object":
      return Object.fromEntries(Object.entries(def.shape as Record<string, unknown>).map(([k, v]) => [k, sample(v, [...path, k], leaves, fill)]));
    case "array":
      return [sample(def.element, [...path, 0], leaves, fill)];
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "nonoptional":
    case "readonly":
    case "catch":
      return sample(def.innerType, path, leaves, fill);
    case "pipe":
      return sample(def.in, path, leaves, fill);
    case "string":
      leaves.push({ path, kind: "string" });
      return fill.string;
    case "number":
      leaves.push({ path, kind: "number" });
      return fill.number;
    case "boolean":
      return true;
    case "date":
      return new Date(0);
    // Free-form maps (the rules config) are checked by their domain, not by a leaf schema.
    case "record":
      return {};
    case "enum":
      return Object.values(def.entries as Record<string, unknown>)[0];
    case "literal":
      return (def.values as unknown[])[0];
    case "union": {
      const options = def.options as unknown[];
      const kinds = options.map(kindOf);
      if (kinds.every((k) => k !== "object")) {
        // A union of primitives is one leaf: a poisoned value must fail every option.
        const leafKind = kinds.includes("string") ? "string" : kinds.includes("number") ? "number" : null;
        if (leafKind) {
          leaves.push({ path, kind: leafKind });
          return fill[leafKind];
        }
        return sample(options[0], path, [], fill);
      }
      // Objects (a discriminated union): the option with the most fields.
      const widest = [...options].sort((a, b) => Object.keys(defOf(b).shape ?? {}).length - Object.keys(defOf(a).shape ?? {}).length)[0];
      return sample(widest, path, leaves, fill);
    }
    default:
      throw new Error(`sample(): no rule for zod type ${def.type} at ${path.join(".")}`);
  }
}

function setAt(value: unknown, path: Path, leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[path[0]!] = setAt(copy[path[0]!], path.slice(1), leaf);
  return copy;
}

const procedures = (appRouter._def as unknown as { procedures: Record<string, { _def: { type: string; inputs: unknown[] } }> }).procedures;
const withInput = Object.keys(procedures)
  .filter((p) => procedures[p]!._def.inputs.length > 0)
  .sort();

function inputSchema(path: string): ZodType {
  const inputs = procedures[path]!._def.inputs;
  expect(inputs, `${path} has one zod input`).toHaveLength(1);
  return inputs[0] as ZodType;
}

describe("every procedure's input refuses what the database would reject", () => {
  it("the router has procedures with input to check", () => {
    expect(withInput.length).toBeGreaterThan(40);
  });

  it.each(withInput)("%s: each string leaf refuses NUL, each number leaf refuses an int4 overflow", (path) => {
    const schema = inputSchema(path);
    const leaves: Leaf[] = [];
    const base = sample(schema, [], leaves, { string: "x", number: 1 });
    const unguarded: string[] = [];
    for (const leaf of leaves) {
      const poisoned = setAt(base, leaf.path, leaf.kind === "string" ? NUL : OVERFLOW);
      const r = schema.safeParse(poisoned);
      const refusedHere = !r.success && r.error.issues.some((i) => i.path.join(".") === leaf.path.join("."));
      if (!refusedHere) unguarded.push(`${leaf.path.join(".") || "(input)"} (${leaf.kind})`);
    }
    expect(unguarded, `${path}: leaves that let a poisoned value through`).toEqual([]);
  });

  it("strings are bounded: a megabyte of text is refused everywhere", () => {
    const unbounded: string[] = [];
    for (const path of withInput) {
      const schema = inputSchema(path);
      const leaves: Leaf[] = [];
      const base = sample(schema, [], leaves, { string: "x", number: 1 });
      for (const leaf of leaves.filter((l) => l.kind === "string")) {
        const r = schema.safeParse(setAt(base, leaf.path, "长".repeat(1_000_001)));
        if (r.success || !r.error.issues.some((i) => i.path.join(".") === leaf.path.join("."))) unbounded.push(`${path} ${leaf.path.join(".")}`);
      }
    }
    expect(unbounded).toEqual([]);
  });

  it("an audit-log actor id beyond int4 and an impossible date are refused (they would reach SQL)", () => {
    const schema = inputSchema("merchantAudit.list");
    expect(schema.safeParse({ actor: "staff:2147483647" }).success).toBe(true);
    expect(schema.safeParse({ actor: "staff:2147483648" }).success).toBe(false);
    expect(schema.safeParse({ actor: "member:99999999999" }).success).toBe(false);
    expect(schema.safeParse({ fromDay: "2026-13-45" }).success).toBe(false);
  });
});

const config = parseConfig({});
let database: Database;
let shopperId: number;
let owner: Awaited<ReturnType<typeof signedInStaff>>;

function ctxFor(opts: { shopper?: boolean; staffToken?: string | null; headers?: Record<string, string>; requestId?: string; db?: unknown }): TRPCContext {
  const headers = new Headers({ host: "127.0.0.1:3110", ...opts.headers });
  if (opts.staffToken) headers.set("cookie", `fm_staff=${opts.staffToken}`);
  return {
    db: (opts.db ?? database.prisma) as TRPCContext["db"],
    session: opts.shopper ? session(shopperId) : null,
    headers,
    staffToken: opts.staffToken ?? null,
    requestId: opts.requestId ?? "test-request-0001",
  };
}

beforeAll(async () => {
  database = await freshPglite();
  shopperId = (await inTx(database.prisma, { config }, (c) => registerMember(c, { username: "hardening-shopper", ip: "7.7.7.7", device: "dh" }))).id;
  owner = await signedInStaff(database.prisma, "owner", { username: "hardening-owner" });
});
afterAll(() => database.close());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

async function callPath(ctx: TRPCContext, path: string, input: unknown): Promise<unknown> {
  const fn = path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], createCaller(ctx)) as (i: unknown) => Promise<unknown>;
  return fn(input);
}

describe("poisoned input through the router: BAD_REQUEST, never INTERNAL_SERVER_ERROR", () => {
  // Authorized callers, so validation (not authorization) is what answers.
  const callerCtx = (path: string) => (/^(merchant|staffAccount)/.test(path) ? ctxFor({ staffToken: owner.token }) : ctxFor({ shopper: true }));

  it.each(withInput)("%s", async (path) => {
    const leaves: Leaf[] = [];
    const poisoned = sample(inputSchema(path), [], leaves, { string: NUL, number: OVERFLOW });
    if (leaves.length === 0) return; // only enums and booleans: nothing the database could refuse
    let error: unknown = null;
    try {
      await callPath(callerCtx(path), path, poisoned);
    } catch (e) {
      error = e;
    }
    expect(error, `${path} accepted a poisoned input`).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect((error as TRPCError).cause).toBeInstanceOf(ZodError);
  });
});

describe("cross-site mutations", () => {
  const SITE = "http://127.0.0.1:3110";

  it("are refused with FORBIDDEN and a clear message, by Origin or Sec-Fetch-Site", async () => {
    vi.stubEnv("SITE_URL", SITE);
    for (const headers of <Record<string, string>[]>[{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }, { origin: "null" }]) {
      const err = await callPath(ctxFor({ shopper: true, headers }), "address.add", { name: "王五", phone: "13912345679", region: "上海", detail: "1 号" }).catch((e) => e);
      expect(err).toBeInstanceOf(TRPCError);
      expect((err as TRPCError).code).toBe("FORBIDDEN");
      expect((err as TRPCError).message).toBe(CROSS_SITE_MESSAGE);
    }
    expect(await database.prisma.address.count({ where: { memberId: shopperId } })).toBe(0);
  });

  it("from our own pages (and from non-browser clients) go through; queries are never refused", async () => {
    vi.stubEnv("SITE_URL", SITE);
    await callPath(ctxFor({ shopper: true, headers: { origin: SITE, "sec-fetch-site": "same-origin" } }), "address.add", { name: "王五", phone: "13912345679", region: "上海", detail: "1 号" });
    expect(await database.prisma.address.count({ where: { memberId: shopperId } })).toBe(1);
    await expect(callPath(ctxFor({ shopper: true, headers: { origin: "https://evil.example" } }), "address.list", undefined)).resolves.toHaveLength(1);
  });

  it("answer HTTP 403 through the tRPC handler", async () => {
    vi.stubEnv("SITE_URL", SITE);
    const res = await httpCall("member.signOutEverywhere", undefined, ctxFor({ shopper: true, headers: { origin: "https://evil.example" } }), "POST");
    expect(res.status).toBe(403);
    expect((await errorOf(res)).message).toBe(CROSS_SITE_MESSAGE);
  });
});

/** The error of a tRPC HTTP answer (superjson wraps it in `json`). */
async function errorOf(res: Response): Promise<{ text: string; message: string; data: Record<string, unknown> }> {
  const text = await res.text();
  const { error } = JSON.parse(text) as { error: { json: { message: string; data: Record<string, unknown> } } };
  return { text, ...error.json };
}

/** One call through tRPC's fetch adapter (what /api/trpc serves), with a given context. */
function httpCall(path: string, input: unknown, ctx: TRPCContext, method: "GET" | "POST" = "GET"): Promise<Response> {
  const body = JSON.stringify({ json: input });
  const url = `http://127.0.0.1:3110/api/trpc/${path}${method === "GET" && input !== undefined ? `?input=${encodeURIComponent(body)}` : ""}`;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(url, { method, headers: { ...Object.fromEntries(ctx.headers), "content-type": "application/json" }, ...(method === "POST" ? { body: input === undefined ? "{}" : body } : {}) }),
    router: appRouter,
    createContext: () => ctx,
  });
}

describe("internal errors", () => {
  it("a Prisma error reaches the client as a generic message with the request id; the log has the id, not the query", async () => {
    const prismaError = Object.assign(new Error('\nInvalid `prisma.category.findMany()` invocation:\n{ where: { phoneHash: "13800009999" } }'), { name: "PrismaClientValidationError" });
    // Every model call (db.x.y()) and raw query (db.$queryRaw``) fails as Prisma would.
    const fail = async () => Promise.reject(prismaError);
    const failingDb = new Proxy({}, { get: (_, key) => (String(key).startsWith("$") ? fail : new Proxy({}, { get: () => fail })) });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await httpCall("catalog.home", undefined, ctxFor({ db: failingDb, requestId: "req-db-4242" }));
    expect(res.status).toBe(500);
    const { text, message, data } = await errorOf(res);
    expect(message).toContain("req-db-4242");
    expect(data.requestId).toBe("req-db-4242");
    expect(data.stack).toBeUndefined();
    for (const leak of ["prisma", "Prisma", "13800009999", "phoneHash", "    at "]) expect(text, `response leaks ${leak}`).not.toContain(leak);
    const log = logged.mock.calls.map((c) => c.join(" ")).join("\n");
    expect(log).toContain("req-db-4242");
    expect(log).toContain("PrismaClientValidationError");
    expect(log).not.toContain("13800009999");
  });

  it("\"SITE_URL is required in production\" is logged, not sent", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("SITE_URL", "");
    vi.stubEnv("NEXTAUTH_URL", "");
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await httpCall("order.place", { source: { kind: "cart" }, addressId: 1 }, ctxFor({ shopper: true, requestId: "req-config-7777" }), "POST");
    expect(res.status).toBe(500);
    const { text } = await errorOf(res);
    expect(text).not.toContain("SITE_URL");
    expect(text).toContain("req-config-7777");
    expect(logged.mock.calls.map((c) => c.join(" ")).join("\n")).toMatch(/req-config-7777.*SITE_URL is required in production/s);
  });

  it("client errors keep their clear message, and no stack either", async () => {
    const res = await httpCall("catalog.product", { id: OVERFLOW }, ctxFor({}));
    expect(res.status).toBe(400);
    const { message, data } = await errorOf(res);
    expect(message).toContain("编号无效");
    expect(data.code).toBe("BAD_REQUEST");
    expect(data.stack).toBeUndefined();
  });

  it("a route handler that throws answers 500 with a generic message and the request id, and logs the error", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const handler = withErrorResponse("test route", async () => {
      throw new Error("FIELD_ENCRYPTION_KEY is required in production");
    });
    const res = await handler(new Request("http://127.0.0.1:3110/api/x", { headers: { "x-request-id": "req-route-31337" } }));
    expect(res.status).toBe(500);
    expect(res.headers.get("x-request-id")).toBe("req-route-31337");
    const text = await res.text();
    expect(text).not.toContain("FIELD_ENCRYPTION_KEY");
    expect(JSON.parse(text)).toEqual({ error: expect.stringContaining("req-route-31337"), requestId: "req-route-31337" });
    expect(logged.mock.calls.map((c) => c.join(" ")).join("\n")).toMatch(/req-route-31337.*FIELD_ENCRYPTION_KEY is required/s);
  });
});
