// Authorization matrix of the route handlers (security review): tests/authz-matrix.test.ts covers every
// tRPC procedure; this covers every other route.ts under app/. Each route has a row saying who may call it;
// a route added without a row fails the first test. Guarded routes are called as every kind of caller
// (anonymous, a shopper, each staff role, a staff session still finishing set-up) through their real
// handlers, with the shopper session and the fm_staff cookie supplied as Next.js would supply them.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { AREA_ROLES, STAFF_ROLES, type Area, type StaffRole } from "../server/staff/roles";
import { signIn } from "../server/staff/sessions";
import { hashPassword } from "../server/staff/password";
import { freshPglite } from "./helpers/db";
import { signedInStaff, TEST_STAFF_PASSWORD } from "./helpers/caller";
import { CROSS_SITE_MESSAGE } from "../lib/security/origin";

const holder = vi.hoisted(() => ({ db: null as unknown, memberId: null as number | null, staffToken: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("@/server/auth", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  getServerAuthSession: async () => (holder.memberId ? { user: { id: holder.memberId }, expires: "2099-01-01T00:00:00.000Z" } : null),
}));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  cookies: async () => ({ get: (name: string) => (name === "fm_staff" && holder.staffToken ? { name, value: holder.staffToken } : undefined) }),
  headers: async () => new Headers(),
}));
vi.mock("@/lib/i18n/server", () => ({ getT: async () => createT("zh-CN", MESSAGES["zh-CN"]) }));

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Actor = "anonymous" | "shopper" | StaffRole | "staffNotReady";
const ACTORS: Actor[] = ["anonymous", "shopper", ...STAFF_ROLES, "staffNotReady"];

/** A status, or "past": got past authorization (neither 401 nor 403, and no server error). */
type Outcome = number | "past";

interface Guarded {
  kind: "guarded";
  expect: Record<Actor, Outcome>;
  method: "GET" | "POST";
  url: string;
  params?: Record<string, string | string[]>;
}
type Row = Guarded | { kind: "public"; why: string } | { kind: "elsewhere"; test: string };

/** The owner and the area's roles get `allowed`; other roles and an unfinished set-up 403; no staff session 401. */
function staffArea(area: Area, allowed: Outcome = "past"): Record<Actor, Outcome> {
  const roles = Object.fromEntries(STAFF_ROLES.map((r) => [r, r === "owner" || (AREA_ROLES[area] as readonly StaffRole[]).includes(r) ? allowed : 403]));
  return { anonymous: 401, shopper: 401, staffNotReady: 403, ...roles } as Record<Actor, Outcome>;
}
/** A signed-in shopper only; a staff session is not a shopper session. */
const SHOPPER: Record<Actor, Outcome> = { anonymous: 401, shopper: "past", owner: 401, operator: 401, finance: 401, risk: 401, support: 401, staffNotReady: 401 };

const exportRow = (dir: string, area: Area): Guarded => ({ kind: "guarded", method: "GET", url: `/merchant/${dir}/export`, expect: staffArea(area, 200) });

const ROUTES: Record<string, Row> = {
  "api/auth/[...nextauth]/route.ts": { kind: "public", why: "next-auth: sign-in with its CSRF token; the session it issues is checked on every use" },
  "api/trpc/[trpc]/route.ts": { kind: "elsewhere", test: "tests/authz-matrix.test.ts (every procedure)" },
  "api/inngest/route.ts": { kind: "elsewhere", test: "this file, 'Inngest endpoint' (signed requests only)" },
  "api/payments/[provider]/notify/route.ts": { kind: "elsewhere", test: "tests/payment-notify-route.test.ts (provider signature)" },
  "api/test/clock/route.ts": { kind: "elsewhere", test: "tests/test-routes-guard.test.ts (test door)" },
  "api/test/config/route.ts": { kind: "elsewhere", test: "tests/test-routes-guard.test.ts (test door)" },
  "api/test/jobs/route.ts": { kind: "elsewhere", test: "tests/test-routes-guard.test.ts (test door)" },
  "api/test/kpi/route.ts": { kind: "elsewhere", test: "tests/test-routes-guard.test.ts (test door)" },
  "api/test/orders/route.ts": { kind: "elsewhere", test: "tests/test-routes-guard.test.ts (test door)" },
  "api/test/payouts/route.ts": { kind: "elsewhere", test: "tests/test-routes-guard.test.ts (test door)" },
  "api/test/staff/route.ts": { kind: "elsewhere", test: "tests/test-routes-guard.test.ts (test door)" },
  "api/health/route.ts": { kind: "public", why: "ok or not, nothing else (tests/health-route.test.ts)" },
  "api/og/r/[code]/route.tsx": { kind: "public", why: "a share card: the inviter's masked name, the public offer" },
  "api/ref/forget/route.ts": { kind: "public", why: "changes only the caller's own referral cookies; never from another site (below)" },
  "api/wechat/jssdk/route.ts": { kind: "public", why: "wx.config for a page of this site only (tests/providers/wechat-jssdk.test.ts)" },
  "api/wechat/oauth/authorize/route.ts": { kind: "public", why: "forwards to WeChat with our own callback only (tests/providers/wechat-oauth.test.ts)" },
  "media/share/[...key]/route.ts": { kind: "elsewhere", test: "tests/share-image-jpeg.test.ts (JPEG copies of public catalogue pictures only: after-sales photos, traversal, thumbnails and unknown keys 404)" },
  "media/[...key]/route.ts": { kind: "elsewhere", test: "tests/media-private.test.ts (after-sales photos: their shopper and staff who see refund requests only; catalogue and avatar pictures public; export keys never served, tests/storage.test.ts)" },

  // An empty multipart body: refused as a bad request once past authorization.
  "api/uploads/route.ts": { kind: "guarded", method: "POST", url: "/api/uploads", expect: SHOPPER },
  "api/merchant/uploads/route.ts": { kind: "guarded", method: "POST", url: "/api/merchant/uploads", expect: staffArea("products") },
  // A product that does not exist: 404 once past authorization.
  "promote/poster/route.tsx": { kind: "guarded", method: "GET", url: "/promote/poster?product=999999", expect: SHOPPER },

  "merchant/adjustments/export/route.ts": exportRow("adjustments", "adjustments"),
  "merchant/after-sales/export/route.ts": exportRow("after-sales", "ordersRead"),
  "merchant/audit/export/route.ts": exportRow("audit", "audit"),
  "merchant/categories/export/route.ts": exportRow("categories", "products"),
  "merchant/members/export/route.ts": exportRow("members", "membersRead"),
  "merchant/orders/export/route.ts": exportRow("orders", "ordersRead"),
  "merchant/products/export/route.ts": exportRow("products", "products"),
  "merchant/risk/export/route.ts": exportRow("risk", "risk"),
  "merchant/staff/export/route.ts": exportRow("staff", "staff"),
  "merchant/stock/export/route.ts": exportRow("stock", "products"),
  "merchant/stock/history/export/route.ts": { kind: "guarded", method: "GET", url: "/merchant/stock/history/export", expect: staffArea("products", 200) },
  "merchant/withdrawals/export/route.ts": exportRow("withdrawals", "withdrawals"),
  "merchant/kpi/export/route.ts": { kind: "guarded", method: "GET", url: "/merchant/kpi/export?preset=7d", expect: staffArea("kpi", 200) },
  // A run that does not exist: 404 once past authorization.
  "merchant/simulator/[id]/scenario/route.ts": { kind: "guarded", method: "GET", url: "/merchant/simulator/999999/scenario", params: { id: "999999" }, expect: staffArea("rulesRead", 404) },
  // The owner's own (unfinished) export: 409 for the owner; every other member of staff is told it does not exist.
  "merchant/exports/[id]/download/route.ts": {
    kind: "guarded",
    method: "GET",
    url: "/merchant/exports/{job}/download",
    expect: { anonymous: 401, shopper: 401, staffNotReady: 403, owner: 409, operator: 404, finance: 404, risk: 404, support: 404 },
  },
};

const APP = path.join(import.meta.dirname, "../app");
function routeFiles(dir = APP): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return routeFiles(p);
    return /^route\.tsx?$/.test(name) ? [path.relative(APP, p).split(path.sep).join("/")] : [];
  });
}

let database: Database;
let memberId: number;
let ownerJobId: number;
const tokens = {} as Record<StaffRole | "staffNotReady", string>;

beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
  const db = database.prisma;
  memberId = (await inTx(db, { config: parseConfig({}) }, (c) => registerMember(c, { username: "route-shopper", ip: "7.7.7.7", device: "dr" }))).id;
  for (const role of STAFF_ROLES) tokens[role] = (await signedInStaff(db, role, { username: `route-${role}` })).token;
  // A finance account that has not enrolled TOTP yet: signed in, but only its account page is open to it.
  await db.staffAccount.create({ data: { username: "route-newfin", displayName: "新财务", role: "finance", passwordHash: await hashPassword(TEST_STAFF_PASSWORD), createdAt: new Date() } });
  const pending = await signIn(db, new Date(), { username: "route-newfin", password: TEST_STAFF_PASSWORD });
  if (!pending.ok || pending.next !== "totp-enrol") throw new Error("expected a session pending TOTP enrolment");
  tokens.staffNotReady = pending.token;
  const owner = await db.staffAccount.findUniqueOrThrow({ where: { username: "route-owner" } });
  ownerJobId = (await db.exportJob.create({ data: { staffId: owner.id, kind: "orders", params: {}, rowsTotal: 10_000, fileName: "订单-2026-01-01.csv", createdAt: new Date() } })).id;
});
afterAll(() => database.close());

function actAs(actor: Actor) {
  holder.memberId = actor === "shopper" ? memberId : null;
  holder.staffToken = actor === "anonymous" || actor === "shopper" ? null : tokens[actor];
}

async function call(file: string, row: Guarded): Promise<Response> {
  const mod = (await import(/* @vite-ignore */ `../app/${file}`)) as Partial<Record<"GET" | "POST", Handler>>;
  const handler = mod[row.method];
  if (!handler) throw new Error(`${file} has no ${row.method}`);
  const url = row.url.replace("{job}", String(ownerJobId));
  const params = row.params ?? (file.includes("[id]") ? { id: String(ownerJobId) } : {});
  return handler(new Request(`http://127.0.0.1:3100${url}`, { method: row.method }), { params: Promise.resolve(params) });
}

describe("route handler authorization", () => {
  it("has a row for every route under app/, and none for a route that is gone", () => {
    const files = routeFiles().sort();
    expect(files.length).toBeGreaterThan(25);
    expect(files.filter((f) => !(f in ROUTES)), "routes without a row in ROUTES").toEqual([]);
    expect(Object.keys(ROUTES).filter((f) => !files.includes(f)), "rows for routes that no longer exist").toEqual([]);
  });

  const guarded = Object.entries(ROUTES).filter((e): e is [string, Guarded] => e[1].kind === "guarded");
  it.each(guarded.map(([file]) => file))("%s", async (file) => {
    const row = ROUTES[file] as Guarded;
    const got: Record<string, Outcome | string> = {};
    for (const actor of ACTORS) {
      actAs(actor);
      const res = await call(file, row);
      await res.body?.cancel();
      const past = res.status !== 401 && res.status !== 403 && res.status < 500;
      got[actor] = row.expect[actor] === "past" && past ? "past" : res.status;
    }
    expect(got).toEqual(row.expect);
  });
});

describe("Inngest endpoint", () => {
  it("refuses an unsigned request to run a function", async () => {
    vi.stubEnv("INNGEST_SIGNING_KEY", `signkey-prod-${"ab".repeat(32)}`);
    vi.stubEnv("INNGEST_EVENT_KEY", "event-key");
    try {
      const { POST } = await import("../app/api/inngest/route");
      const body = JSON.stringify({ event: { name: "transition/scheduled", data: {} }, events: [], steps: {}, ctx: { run_id: "r", attempt: 0 } });
      const res = await (POST as unknown as (req: Request) => Promise<Response>)(
        new Request("http://127.0.0.1:3100/api/inngest?fnId=fission-mall-sweep&stepId=step", { method: "POST", body, headers: { "content-type": "application/json" } }),
      );
      expect(res.status).toBe(401);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("CSV exports", () => {
  const exports = Object.entries(ROUTES).filter((e): e is [string, Guarded] => e[1].kind === "guarded" && /\/export\/route\.ts$/.test(e[0]));
  it.each(exports.map(([file]) => file))("%s is never kept by a browser or proxy cache", async (file) => {
    actAs("owner");
    const res = await call(file, ROUTES[file] as Guarded);
    await res.body?.cancel();
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

describe("cross-site POSTs to route handlers", () => {
  const SITE = "http://127.0.0.1:3100";
  // A browser's form or fetch on another site; an older browser sends the Origin only.
  const CROSS_SITE: Record<string, string>[] = [
    { origin: "https://evil.example", "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" },
    { origin: "https://evil.example" },
  ];
  const SAME_SITE = { origin: SITE, "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors" };
  let uploadsDir: string;

  beforeAll(() => {
    uploadsDir = mkdtempSync(path.join(tmpdir(), "fm-cross-site-"));
  });
  afterAll(() => rmSync(uploadsDir, { recursive: true, force: true }));

  async function post(file: string, url: string, headers: Record<string, string>, body?: FormData): Promise<Response> {
    const { POST } = (await import(/* @vite-ignore */ `../app/${file}`)) as { POST: (req: Request) => Promise<Response> };
    vi.stubEnv("SITE_URL", SITE);
    vi.stubEnv("FM_UPLOADS_DIR", uploadsDir);
    try {
      return await POST(new Request(`${SITE}${url}`, { method: "POST", headers, body }));
    } finally {
      vi.unstubAllEnvs();
    }
  }
  async function picture(seed: number): Promise<FormData> {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: seed, g: 1, b: 2 } } }).png().toBuffer();
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "x.png");
    return form;
  }
  async function expectRefused(res: Response) {
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: CROSS_SITE_MESSAGE });
  }

  it("shopper upload: refused from another site without spending the member's budget; our own page uploads", async () => {
    actAs("shopper");
    const before = await database.prisma.shopperUpload.count({ where: { memberId } });
    for (const headers of CROSS_SITE) await expectRefused(await post("api/uploads/route.ts", "/api/uploads", headers, await picture(1)));
    expect(await database.prisma.shopperUpload.count({ where: { memberId } })).toBe(before);
    const ok = await post("api/uploads/route.ts", "/api/uploads", SAME_SITE, await picture(2));
    expect(ok.status).toBe(201);
    expect(await database.prisma.shopperUpload.count({ where: { memberId } })).toBe(before + 1);
  });

  it("merchant upload: refused from another site; our own page uploads", async () => {
    actAs("owner");
    for (const headers of CROSS_SITE) await expectRefused(await post("api/merchant/uploads/route.ts", "/api/merchant/uploads", headers, await picture(3)));
    const ok = await post("api/merchant/uploads/route.ts", "/api/merchant/uploads", SAME_SITE, await picture(4));
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ url: expect.any(String) });
  });

  it("ref/forget: refused from another site; the landing page's own call goes through", async () => {
    actAs("anonymous");
    for (const headers of CROSS_SITE) await expectRefused(await post("api/ref/forget/route.ts", "/api/ref/forget?code=ABC234", headers));
    const ok = await post("api/ref/forget/route.ts", "/api/ref/forget?code=ABC234", SAME_SITE);
    expect(ok.status).toBe(204);
  });
});
