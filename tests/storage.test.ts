// Picture storage: uploads are validated by content (type, size), re-encoded to WebP with a
// thumbnail, stored content-addressed on local disk, and served by /media with a year-long cache,
// the right content type, nosniff and a sandboxing CSP. Nothing but our own encoded images is served.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalDiskStorage, isValidKey } from "../server/storage";
import { MAX_UPLOAD_BYTES, storeImage } from "../server/storage/images";
import { thumbnailUrl } from "../server/storage/urls";

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
