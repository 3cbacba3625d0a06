// The shopper's hourly upload budget bounds the server's picture decoding (/api/uploads): every picture
// the route reads counts, the same picture again and a refused one too; the same file again is answered
// from the member's record without being decoded; and the process decodes at most two pictures at once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import realSharp from "sharp";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { MAX_UPLOADS_PER_HOUR } from "../server/aftersales/uploads";
import { LocalDiskStorage } from "../server/storage";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { freshDatabase } from "./helpers/db";

const holder = vi.hoisted(() => ({ db: null as unknown, memberId: null as number | null, decodes: 0, busy: 0, mostBusy: 0 }));
vi.mock("server-only", () => ({}));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("@/server/auth", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  getServerAuthSession: async () => (holder.memberId ? { user: { id: holder.memberId }, expires: "2099-01-01T00:00:00.000Z" } : null),
}));
vi.mock("next/headers", async (importOriginal) => ({ ...(await importOriginal<object>()), cookies: async () => ({ get: () => undefined }), headers: async () => new Headers() }));
vi.mock("@/lib/i18n/server", () => ({ getT: async () => createT("zh-CN", MESSAGES["zh-CN"]) }));
// sharp as the app uses it, counting its decodes of an encoded picture (a toBuffer, clones included) and how
// many of its operations run at once.
vi.mock("sharp", async (importOriginal) => {
  const real = (await importOriginal<{ default: typeof realSharp }>()).default;
  type Instance = ReturnType<typeof realSharp>;
  const watch = (instance: Instance, decodes: boolean): Instance => {
    const hooks = instance as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const method of ["metadata", "toBuffer"]) {
      const original = hooks[method]!.bind(instance);
      hooks[method] = async (...a: unknown[]) => {
        if (method === "toBuffer" && decodes) holder.decodes++;
        holder.mostBusy = Math.max(holder.mostBusy, ++holder.busy);
        try {
          return await original(...a);
        } finally {
          holder.busy--;
        }
      };
    }
    const clone = instance.clone.bind(instance);
    instance.clone = () => watch(clone(), decodes);
    return instance;
  };
  const counted = (...args: Parameters<typeof realSharp>) => watch(real(...args), !(args[1] as { raw?: unknown } | undefined)?.raw);
  return { default: Object.assign(counted, real) };
});

const dir = mkdtempSync(path.join(tmpdir(), "fm-upload-budget-"));
process.env.FM_UPLOADS_DIR = dir;
const config = parseConfig({});
let database: Database;
let member: number;

beforeEach(async () => {
  database = await freshDatabase();
  holder.db = database.prisma;
  member = (await inTx(database.prisma, { config, now: new Date() }, (ctx) => registerMember(ctx, { username: "shopper" }))).id;
  holder.memberId = member;
  Object.assign(holder, { decodes: 0, busy: 0, mostBusy: 0 });
});
afterEach(() => database.close());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const png = (colour: number) => realSharp({ create: { width: 60, height: 40, channels: 3, background: { r: colour, g: 10, b: 10 } } }).png().toBuffer();

async function upload(bytes: Buffer, type = "image/png"): Promise<Response> {
  const { POST } = await import("../app/api/uploads/route");
  const fd = new FormData();
  fd.set("file", new Blob([new Uint8Array(bytes)], { type }), "x.png");
  return POST(new Request("http://127.0.0.1:3100/api/uploads", { method: "POST", body: fd }));
}

describe("the hourly budget counts every picture read", () => {
  it(`the same picture: ${MAX_UPLOADS_PER_HOUR} times 201 with one record, the next time 429`, async () => {
    const picture = await png(200);
    const first = (await (await upload(picture)).json()) as { url: string; thumbUrl: string };
    for (let i = 1; i < MAX_UPLOADS_PER_HOUR; i++) {
      const res = await upload(picture);
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual(first);
    }
    const res = await upload(picture);
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ code: "TOO_MANY_UPLOADS" });
    expect(await database.prisma.shopperUpload.findMany({ where: { memberId: member, url: { startsWith: "/media/" } }, select: { url: true } })).toEqual([{ url: first.url }]);
  });

  it("a refused picture keeps its slot: after the budget in refusals, a good picture is refused too", async () => {
    const gif = await realSharp({ create: { width: 4, height: 4, channels: 3, background: "#000" } }).gif().toBuffer();
    for (let i = 0; i < MAX_UPLOADS_PER_HOUR; i++) expect((await upload(gif, "image/gif")).status).toBe(415);
    expect((await upload(await png(10))).status).toBe(429);
  });

  it("a request without a picture gives its slot back", async () => {
    const { POST } = await import("../app/api/uploads/route");
    for (let i = 0; i < MAX_UPLOADS_PER_HOUR; i++) {
      expect((await POST(new Request("http://127.0.0.1:3100/api/uploads", { method: "POST", body: new FormData() }))).status).toBe(400);
    }
    expect((await upload(await png(10))).status).toBe(201);
  });
});

describe("decoding", () => {
  it("the member's own file again is answered from the record without being decoded", async () => {
    const picture = await png(90);
    const first = await (await upload(picture)).json();
    const decodes = holder.decodes;
    expect(decodes).toBeGreaterThan(0);
    const again = await upload(picture);
    expect([again.status, await again.json()]).toEqual([201, first]);
    expect(holder.decodes).toBe(decodes);
  });

  it("a picture is decoded once, however many sizes are made of it", async () => {
    const { storeImage } = await import("../server/storage/images");
    const picture = await realSharp({ create: { width: 2400, height: 1200, channels: 3, background: "#36c" } }).png().toBuffer();
    holder.decodes = 0; // this file's sharp is the counted one too
    await storeImage(new LocalDiskStorage(dir), picture);
    // One decode into pixels (the format check reads only the header): both sizes are made from those pixels.
    expect(holder.decodes).toBe(1);
  });

  it("at most two pictures are decoded at once in the process", async () => {
    const { storeImage } = await import("../server/storage/images");
    const storage = new LocalDiskStorage(dir);
    const pictures = await Promise.all(Array.from({ length: 6 }, (_, i) => realSharp({ create: { width: 1800, height: 1800, channels: 3, background: { r: i, g: 0, b: 0 } } }).png().toBuffer()));
    holder.mostBusy = 0; // this file's sharp is the counted one too
    const stored = await Promise.all(pictures.map((p) => storeImage(storage, p)));
    expect(new Set(stored.map((s) => s.url)).size).toBe(6);
    expect(holder.mostBusy).toBe(2);
  });
});
