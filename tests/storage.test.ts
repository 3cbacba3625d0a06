// Picture storage: uploads are validated by content (type, size), re-encoded to WebP with a
// thumbnail, stored content-addressed on local disk, and served by /media with a year-long cache,
// the right content type, nosniff and a sandboxing CSP. Nothing but our own encoded images is served.
// Export files are stored and downloaded as streams (a list of a million members is ~150 MB): a write
// appears whole or not at all, and the download route sends the file chunk by chunk to its requester only.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { attachmentHeader } from "../server/exports/csv";
import { LocalDiskStorage, isValidKey } from "../server/storage";
import { MAX_UPLOAD_BYTES, storeImage } from "../server/storage/images";
import { thumbnailUrl } from "../server/storage/urls";
import { freshDatabase } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";

const holder = vi.hoisted(() => ({ db: null as unknown, staffToken: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  cookies: async () => ({ get: (name: string) => (name === "fm_staff" && holder.staffToken ? { name, value: holder.staffToken } : undefined) }),
  headers: async () => new Headers(),
}));
vi.mock("@/lib/i18n/server", () => ({ getT: async () => createT("zh-CN", MESSAGES["zh-CN"]) }));

const dir = mkdtempSync(path.join(tmpdir(), "fm-uploads-"));
process.env.FM_UPLOADS_DIR = dir;
const storage = new LocalDiskStorage(dir);
let GET: (req: Request, ctx: { params: Promise<{ key: string[] }> }) => Promise<Response>;

beforeAll(async () => {
  ({ GET } = await import("../app/media/[...key]/route"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const png = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: { r: 220, g: 30, b: 60 } } }).png().toBuffer();
const get = (url: string) => GET(new Request(`http://x${url}`), { params: Promise.resolve({ key: url.replace(/^\/media\//, "").split("/") }) });

describe("storeImage", () => {
  it("re-encodes to WebP (at most 1600 px) with a 400 px thumbnail, content-addressed", async () => {
    const img = await storeImage(storage, await png(2400, 1200));
    expect(img.url).toMatch(/^\/media\/p\/[0-9a-f]{2}\/[0-9a-f]{32}\.webp$/);
    expect(img.thumbUrl).toBe(thumbnailUrl(img.url));
    expect([img.width, img.height]).toEqual([1600, 800]);
    const main = await sharp((await storage.get(img.url.slice(7)))!.body).metadata();
    expect([main.format, main.width, main.height]).toEqual(["webp", 1600, 800]);
    const thumb = await sharp((await storage.get(img.thumbUrl.slice(7)))!.body).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(["webp", 400, 400]);
    // The same picture uploaded twice is one object.
    expect((await storeImage(storage, await png(2400, 1200))).url).toBe(img.url);
  });

  it("refuses what is not a JPEG/PNG/WebP picture, whatever it is called, and oversized files", async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    await expect(storeImage(storage, svg)).rejects.toMatchObject({ code: expect.stringMatching(/INVALID_IMAGE|UNSUPPORTED_IMAGE/) });
    await expect(storeImage(storage, Buffer.from("<html><script>alert(1)</script></html>"))).rejects.toMatchObject({ code: "INVALID_IMAGE" });
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#000" } }).gif().toBuffer();
    await expect(storeImage(storage, gif)).rejects.toMatchObject({ code: "UNSUPPORTED_IMAGE" });
    await expect(storeImage(storage, Buffer.alloc(0))).rejects.toMatchObject({ code: "EMPTY_FILE" });
    await expect(storeImage(storage, Buffer.alloc(MAX_UPLOAD_BYTES + 1))).rejects.toMatchObject({ code: "FILE_TOO_LARGE" });
  });
});

describe("/media route", () => {
  // The route asks the database whether a picture is a shopper's private upload.
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
    holder.db = database.prisma;
  });
  afterAll(() => database.close());

  it("serves a stored picture with a year-long immutable cache and safe headers", async () => {
    const img = await storeImage(storage, await png(300, 300));
    const res = await get(img.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/webp");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("sandbox");
    expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).format).toBe("webp");
  });

  it("answers 404 for unknown keys, path tricks and files of other types placed on disk", async () => {
    expect((await get("/media/p/00/0000.webp")).status).toBe(404);
    expect((await GET(new Request("http://x/media/x"), { params: Promise.resolve({ key: ["..", "..", "etc", "passwd"] }) })).status).toBe(404);
    mkdirSync(path.join(dir, "p"), { recursive: true });
    writeFileSync(path.join(dir, "p", "evil.html"), "<script>alert(1)</script>");
    expect((await get("/media/p/evil.html")).status).toBe(404);
    expect(isValidKey("p/evil.svg")).toBe(false);
    expect(isValidKey("p/../x.webp")).toBe(false);
  });
});

describe("LocalDiskStorage.delete", () => {
  it("removes a stored export file (a second delete is no error) and refuses keys outside the store", async () => {
    const key = "private/exports/9-abc.csv";
    await storage.put(key, Buffer.from("a,b\n"), "text/csv");
    expect((await storage.get(key))?.body.toString()).toBe("a,b\n");
    await storage.delete(key);
    expect(await storage.get(key)).toBeNull();
    await expect(storage.delete(key)).resolves.toBeUndefined();
    await expect(storage.delete("../secret.csv")).rejects.toThrow("invalid storage key");
  });
});

/** Every file under a folder, relative to it (folders left empty are not files). */
function filesIn(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => statSync(path.join(root, f)).isFile()).sort();
}

/** The chunks a stream yields, read one by one. */
async function chunksOf(body: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = body.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  return chunks;
}

/** An export file larger than one read chunk (64 KiB): the BOM, a header row and 20 000 rows. */
const bigCsv = Buffer.from(`\uFEFF会员ID,昵称\n${Array.from({ length: 20_000 }, (_, i) => `${i},会员${i}\n`).join("")}`, "utf8");

/** `bytes` as an async iterable of `size`-byte chunks. */
async function* inChunks(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe("LocalDiskStorage.putStream and getStream", () => {
  it("stores a stream chunk by chunk and reads it back in chunks, byte for byte, with its size and type", async () => {
    const store = new LocalDiskStorage(mkdtempSync(path.join(tmpdir(), "fm-stream-")));
    try {
      await store.putStream("private/exports/1-round.csv", inChunks(bigCsv, 1_000), "text/csv");
      const got = (await store.getStream("private/exports/1-round.csv"))!;
      expect([got.contentType, got.size]).toEqual(["text/csv", bigCsv.length]);
      const chunks = await chunksOf(got.body);
      expect(chunks.length).toBeGreaterThan(1);
      expect(Buffer.concat(chunks).equals(bigCsv)).toBe(true);
      // A web stream is a source too.
      await store.putStream("private/exports/2-web.csv", new Response(new Uint8Array(bigCsv)).body!, "text/csv");
      expect(Buffer.concat(await chunksOf((await store.getStream("private/exports/2-web.csv"))!.body)).equals(bigCsv)).toBe(true);
      expect(filesIn(store.root)).toEqual(["private/exports/1-round.csv", "private/exports/2-web.csv"]);
      expect(await store.getStream("private/exports/3-none.csv")).toBeNull();
    } finally {
      rmSync(store.root, { recursive: true, force: true });
    }
  });

  it("refuses keys outside the store and a content type that does not match the key", async () => {
    const store = new LocalDiskStorage(mkdtempSync(path.join(tmpdir(), "fm-stream-")));
    try {
      for (const key of ["../secret.csv", "private/../../x.csv", "/etc/x.csv", "private/exports/X.csv", "exports/1.csv"]) {
        await expect(store.putStream(key, inChunks(bigCsv, 1_000), "text/csv"), key).rejects.toThrow("invalid storage key");
        expect(await store.getStream(key), key).toBeNull();
      }
      await expect(store.putStream("private/exports/1.csv", inChunks(bigCsv, 1_000), "image/webp")).rejects.toThrow("does not match");
      expect(filesIn(store.root)).toEqual([]);
    } finally {
      rmSync(store.root, { recursive: true, force: true });
    }
  });

  it("a source that fails midway, or a write that cannot finish, leaves neither the file nor a temp file", async () => {
    const store = new LocalDiskStorage(mkdtempSync(path.join(tmpdir(), "fm-stream-")));
    try {
      let tempSeen = false;
      async function* failing() {
        yield* inChunks(bigCsv.subarray(0, 100_000), 10_000);
        // The first chunks are on disk already, in a temp file beside the object.
        await vi.waitFor(() => expect(filesIn(store.root).filter((f) => f.endsWith(".tmp") && statSync(path.join(store.root, f)).size > 0)).toHaveLength(1));
        tempSeen = true;
        throw new Error("source failed");
      }
      await expect(store.putStream("private/exports/1-fail.csv", failing(), "text/csv")).rejects.toThrow("source failed");
      expect(tempSeen).toBe(true);
      // A web stream that errors (its producer gave up).
      const erroring = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array(bigCsv.subarray(0, 1_000)));
          controller.error(new Error("aborted"));
        },
      });
      await expect(store.putStream("private/exports/2-abort.csv", erroring, "text/csv")).rejects.toThrow("aborted");
      // The object's place is taken by a folder: the rename fails once the whole stream is written.
      mkdirSync(path.join(store.root, "private", "exports", "3-taken.csv", "x"), { recursive: true });
      await expect(store.putStream("private/exports/3-taken.csv", inChunks(bigCsv, 1_000), "text/csv")).rejects.toThrow();
      expect(filesIn(store.root)).toEqual([]);
      expect(await store.getStream("private/exports/1-fail.csv")).toBeNull();
    } finally {
      rmSync(store.root, { recursive: true, force: true });
    }
  });
});

describe("/merchant/exports/[id]/download route", () => {
  let database: Database;
  let download: (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response>;
  const call = (id: number, lang = "zh-CN") => download(new Request(`http://x/merchant/exports/${id}/download`, { headers: { cookie: `fm_lang=${lang}` } }), { params: Promise.resolve({ id: String(id) }) });

  beforeAll(async () => {
    database = await freshDatabase();
    holder.db = database.prisma;
    ({ GET: download } = await import("../app/merchant/exports/[id]/download/route"));
  });
  afterAll(() => database.close());

  /** A finished export of `kind` by `staffId`, its file written to the app's storage. */
  async function finishedExport(staffId: number, kind: string, key: string) {
    await storage.putStream(key, inChunks(bigCsv, 16_384), "text/csv");
    const at = new Date();
    return database.prisma.exportJob.create({
      data: { staffId, kind, params: {}, status: "DONE", rowsTotal: 20_000, rowsDone: 20_000, fileKey: key, fileName: "会员列表.csv", createdAt: at, finishedAt: at },
    });
  }

  it("streams the file to its requester chunk by chunk, byte for byte with its BOM, as an uncached attachment", async () => {
    const owner = await signedInStaff(database.prisma, "owner");
    const job = await finishedExport(owner.id, "members", "private/exports/1-download.csv");
    holder.staffToken = owner.token;
    const res = await call(job.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(attachmentHeader("会员列表.csv"));
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="____.csv"; filename*=UTF-8''${encodeURIComponent("会员列表.csv")}`);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-length")).toBe(String(bigCsv.length));
    const chunks = await chunksOf(res.body!);
    expect(chunks.length).toBeGreaterThan(1);
    const body = Buffer.concat(chunks);
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(body.equals(readFileSync(path.join(dir, "private", "exports", "1-download.csv")))).toBe(true);
    expect(body.equals(bigCsv)).toBe(true);
  });

  it("opens no file for another member of staff, nor for a requester whose role no longer allows the list", async () => {
    const owner = await signedInStaff(database.prisma, "owner");
    const operator = await signedInStaff(database.prisma, "operator");
    const ownersJob = await finishedExport(owner.id, "members", "private/exports/2-owner.csv");
    // Withdrawals are finance's: an operator's own export of them (made before a change of role) is refused.
    const operatorsJob = await finishedExport(operator.id, "withdrawals", "private/exports/3-operator.csv");
    const opened = vi.spyOn(LocalDiskStorage.prototype, "getStream");
    try {
      holder.staffToken = operator.token;
      expect((await call(ownersJob.id)).status).toBe(404);
      const refused = await call(operatorsJob.id);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ error: "无权下载该导出文件", code: "FORBIDDEN" });
      // In the staff member's language: English by the refusal's code.
      expect(await (await call(operatorsJob.id, "en")).json()).toEqual({ error: "You do not have access to this export file", code: "FORBIDDEN" });
      expect(opened).not.toHaveBeenCalled();
      holder.staffToken = owner.token;
      const res = await call(ownersJob.id);
      expect(res.status).toBe(200);
      await res.body!.cancel();
      expect(opened).toHaveBeenCalledTimes(1);
    } finally {
      opened.mockRestore();
    }
  });
});
