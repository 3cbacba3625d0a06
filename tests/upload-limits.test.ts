// Picture uploads under load: the process decodes two at once and lets at most MAX_WAITING_DECODES more wait;
// an upload beyond that is refused at once (503, UPLOADS_BUSY) with nothing stored and, for a shopper, the
// hourly slot given back. Staff uploads (/api/merchant/uploads) have an hourly budget per account of their own.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import gatedSharp from "sharp";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { DomainError, inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { LocalDiskStorage } from "../server/storage";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { freshDatabase, usingPostgres } from "./helpers/db";
import { queued } from "./helpers/races";
import { signedInStaff } from "./helpers/caller";

const holder = vi.hoisted(() => ({ db: null as unknown, memberId: null as number | null, staffToken: null as string | null, gate: Promise.resolve(), open: () => {} }));
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
// sharp as the app uses it, except that reading a picture's header waits for holder.gate: decodes stay busy while a test needs them to.
vi.mock("sharp", async (importOriginal) => {
  const real = (await importOriginal<{ default: typeof gatedSharp }>()).default;
  const gated = (...args: Parameters<typeof real>) => {
    const instance = real(...args);
    const metadata = instance.metadata.bind(instance);
    instance.metadata = (async () => {
      await holder.gate;
      return metadata();
    }) as typeof instance.metadata;
    return instance;
  };
  return { default: Object.assign(gated, real) };
});

const dir = mkdtempSync(path.join(tmpdir(), "fm-upload-limits-"));
process.env.FM_UPLOADS_DIR = dir;
const config = parseConfig({});
const HOUR = 3_600_000;
// The brief's numbers, by hand: 2 decoding + 8 waiting; 300 staff uploads an hour.
const IN_FLIGHT = 2 + 8;
const STAFF_PER_HOUR = 300;
let database: Database;

/** Holds every decode at its first step until the returned function is called (after each test at the latest). */
function holdDecodes(): () => void {
  holder.gate = new Promise<void>((r) => (holder.open = r));
  return holder.open;
}

/** What `p` gives, or "waited" when it takes longer than a refusal at once would. */
const unlessWaiting = <T,>(p: Promise<T>) => Promise.race([p, new Promise<"waited">((r) => setTimeout(() => r("waited"), 3_000))]);
async function answeredAtOnce(p: Promise<Response>): Promise<Response> {
  const res = await unlessWaiting(p);
  if (res === "waited") throw new Error("the upload waited for a decode turn instead of being refused");
  return res;
}

const png = (colour: number) => gatedSharp({ create: { width: 60, height: 40, channels: 3, background: { r: colour, g: 10, b: 10 } } }).png().toBuffer();
const pictures = (n: number, from = 0) => Promise.all(Array.from({ length: n }, (_, i) => png(from + i)));
/** The files stored under the uploads folder (temp files included). */
function storedFiles(): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

function form(bytes: Buffer): FormData {
  const fd = new FormData();
  fd.set("file", new Blob([new Uint8Array(bytes)], { type: "image/png" }), "x.png");
  return fd;
}
async function shopperUpload(bytes: Buffer): Promise<Response> {
  const { POST } = await import("../app/api/uploads/route");
  return POST(new Request("http://127.0.0.1:3100/api/uploads", { method: "POST", body: form(bytes) }));
}
async function staffUpload(bytes: Buffer): Promise<Response> {
  const { POST } = await import("../app/api/merchant/uploads/route");
  return POST(new Request("http://127.0.0.1:3100/api/merchant/uploads", { method: "POST", body: form(bytes) }));
}

/** Fills the decode queue with `IN_FLIGHT` held uploads; returns the function that lets them finish (and their results). */
async function fillDecodeQueue(): Promise<() => Promise<unknown[]>> {
  const { storeImage } = await import("../server/storage/images");
  const storage = new LocalDiskStorage(dir);
  const held = await pictures(IN_FLIGHT, 100);
  const open = holdDecodes();
  const running = Promise.all(held.map((p) => storeImage(storage, p)));
  return async () => {
    open();
    return running;
  };
}

beforeEach(async () => {
  database = await freshDatabase();
  holder.db = database.prisma;
  holder.gate = Promise.resolve();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  holder.open();
  await database.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the decode queue is bounded", () => {
  it(`${IN_FLIGHT + 3} pictures at once: ${IN_FLIGHT} are stored, 3 are refused at once with nothing stored`, async () => {
    const { storeImage } = await import("../server/storage/images");
    const storage = new LocalDiskStorage(dir);
    const all = await pictures(IN_FLIGHT + 3);
    const open = holdDecodes();
    const results = all.map((p) =>
      storeImage(storage, p).then(
        (stored) => stored.url,
        (e: unknown) => (e instanceof DomainError ? e.code : e),
      ),
    );
    // Refused while the others are still held: the refusal does not wait for a turn.
    const refused = await unlessWaiting(Promise.all(results.slice(IN_FLIGHT)));
    expect(refused).toEqual(Array(3).fill("UPLOADS_BUSY"));
    open();
    const done = await Promise.all(results);
    expect(new Set(done.slice(0, IN_FLIGHT)).size).toBe(IN_FLIGHT);
    expect(done.slice(0, IN_FLIGHT).every((u) => typeof u === "string" && u.startsWith("/media/p/"))).toBe(true);
    // A picture and its thumbnail for each stored one, nothing else (no temp file).
    expect(storedFiles()).toHaveLength(2 * IN_FLIGHT);
  });

  it("a shopper's upload that finds the queue full: 503 with the reason, its hourly slot given back", async () => {
    holder.memberId = (await inTx(database.prisma, { config, now: new Date() }, (ctx) => registerMember(ctx, { username: "shopper" }))).id;
    const picture = await png(7);
    const finish = await fillDecodeQueue();
    const res = await answeredAtOnce(shopperUpload(picture));
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(await res.json()).toEqual({ error: "服务器正忙，请稍后再上传", code: "UPLOADS_BUSY" });
    expect(await database.prisma.shopperUpload.count()).toBe(0);
    await finish();
    // Once the queue has room the same picture goes through.
    expect((await shopperUpload(picture)).status).toBe(201);
  });

  it("a staff upload that finds the queue full: 503 with the reason", async () => {
    holder.staffToken = (await signedInStaff(database.prisma, "operator")).token;
    const picture = await png(8);
    const finish = await fillDecodeQueue();
    const res = await answeredAtOnce(staffUpload(picture));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: "UPLOADS_BUSY" });
    await finish();
    expect(storedFiles()).toHaveLength(2 * IN_FLIGHT);
    expect((await staffUpload(picture)).status).toBe(201);
  });

  it("a signed-out shopper's upload is refused in the page's language, with a code", async () => {
    holder.memberId = null;
    const { POST } = await import("../app/api/uploads/route");
    const res = await POST(new Request("http://127.0.0.1:3100/api/uploads", { method: "POST", body: form(await png(9)), headers: { cookie: "fm_lang=en" } }));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Please sign in first", code: "SIGN_IN_REQUIRED" });
  });

  it("the busy refusal is worded in both languages", () => {
    for (const locale of ["zh-CN", "en"] as const) expect(createT(locale, MESSAGES[locale])("error.UPLOADS_BUSY")).not.toBe("error.UPLOADS_BUSY");
  });
});

/** Holds a lock on the audit log that lets reads through and makes every insert wait until released (PostgreSQL only). */
function holdAuditInserts() {
  let release!: () => void;
  let lock!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const locked = new Promise<void>((r) => (lock = r));
  const done = database.prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`LOCK TABLE "AuditLog" IN SHARE MODE`);
      lock();
      await gate;
    },
    { timeout: 60_000 },
  );
  return { release, locked, done };
}

describe("staff uploads: an hourly budget per account", () => {
  /** `n` uploads already counted for `staffId`, `ago` ms before now. */
  const counted = (staffId: number, n: number, ago: number) =>
    database.prisma.auditLog.createMany({
      data: Array.from({ length: n }, () => ({ actorType: "staff", actorId: staffId, action: "catalog.image.upload", target: `staff:${staffId}`, createdAt: new Date(Date.now() - ago) })),
    });

  it(`each upload counts; the ${STAFF_PER_HOUR + 1}st within the hour is refused with 429, another account is not`, async () => {
    const staff = await signedInStaff(database.prisma, "operator");
    const other = await signedInStaff(database.prisma, "owner");
    holder.staffToken = staff.token;
    // An hour and a minute ago no longer counts.
    await counted(staff.id, 5, HOUR + 60_000);
    await counted(staff.id, STAFF_PER_HOUR - 1, HOUR - 60_000);
    expect((await staffUpload(await png(1))).status).toBe(201);
    const res = await staffUpload(await png(2));
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ code: "TOO_MANY_UPLOADS" });
    // The refused picture was not stored: one picture and its thumbnail.
    expect(storedFiles()).toHaveLength(2);
    holder.staffToken = other.token;
    expect((await staffUpload(await png(2))).status).toBe(201);
  });

  it("the budget is the catalogue's rule, reckoned on the hour before the `now` it is given", async () => {
    const { reserveStaffUpload } = await import("../server/catalog/uploads");
    const staff = await signedInStaff(database.prisma, "operator");
    const now = new Date("2026-03-01T12:00:00Z");
    // 299 counted at 11:00:01, inside the hour before 12:00; 10 at 11:00:00 sharp, its edge, no longer.
    await database.prisma.auditLog.createMany({
      data: [
        ...Array.from({ length: STAFF_PER_HOUR - 1 }, () => ({ actorType: "staff", actorId: staff.id, action: "catalog.image.upload", target: `staff:${staff.id}`, createdAt: new Date("2026-03-01T11:00:01Z") })),
        ...Array.from({ length: 10 }, () => ({ actorType: "staff", actorId: staff.id, action: "catalog.image.upload", target: `staff:${staff.id}`, createdAt: new Date("2026-03-01T11:00:00Z") })),
      ],
    });
    await reserveStaffUpload(database.prisma, staff.id, "req-1", now);
    await expect(reserveStaffUpload(database.prisma, staff.id, "req-2", now)).rejects.toMatchObject({ code: "TOO_MANY_UPLOADS" });
    // The accepted one is counted at `now`, under its request id.
    expect(await database.prisma.auditLog.findMany({ where: { actorId: staff.id, action: "catalog.image.upload", requestId: { not: null } }, select: { requestId: true, createdAt: true } })).toEqual([{ requestId: "req-1", createdAt: now }]);
  });

  it("uploads at once cannot all pass the count: 2 places left, 5 at once, 2 accepted", async () => {
    const staff = await signedInStaff(database.prisma, "operator");
    holder.staffToken = staff.token;
    await counted(staff.id, STAFF_PER_HOUR - 2, 60_000);
    const all = await pictures(5, 20);
    // On PostgreSQL the log's inserts are held until all five wait on a lock: uploads that did not count in turn would all have counted 298.
    const held = usingPostgres() ? holdAuditInserts() : null;
    await held?.locked;
    const responses = Promise.all(all.map(staffUpload));
    if (held) {
      await queued(database.prisma, 5, responses);
      held.release();
      await held.done;
    }
    const statuses = (await responses).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 429, 429, 429]);
    expect(await database.prisma.auditLog.count({ where: { actorId: staff.id, action: "catalog.image.upload" } })).toBe(STAFF_PER_HOUR);
  });
});
