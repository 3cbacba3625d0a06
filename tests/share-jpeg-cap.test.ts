// /media/share/<key> converts a picture to JPEG with sharp (app/media/share/share-jpeg.ts). A shared link's burst of
// previews must not convert the same picture again and again, nor decode any number of pictures at once: the copies are
// made by shareJpegMaker, one conversion per picture fingerprint while its copy is kept (a byte budget, least recently
// served dropped first), and at most maxConcurrent conversions in flight.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalDiskStorage } from "../server/storage";
import { shareJpegMaker, shareJpegResponse, toShareJpeg, type JpegConverter, type ShareJpegDeps } from "../app/media/share/share-jpeg";

const dir = mkdtempSync(path.join(tmpdir(), "fm-share-jpeg-cap-"));
const publicDir = path.join(dir, "public");
const NAMES = ["tea-a", "tea-b", "tea-c", "tea-d", "tea-e", "tea-f"];

/** The real conversion, counted: calls, and the most running at one time (each held a moment, as a large picture is). */
function counted(convert: JpegConverter = toShareJpeg) {
  const seen = { calls: 0, inFlight: 0, maxInFlight: 0 };
  const wrapped: JpegConverter = async (webp) => {
    seen.calls += 1;
    seen.inFlight += 1;
    seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
    try {
      await sleep(20);
      return await convert(webp);
    } finally {
      seen.inFlight -= 1;
    }
  };
  return { seen, wrapped };
}

// Demo pictures (public/products) are read from the folder only: no database is asked.
const depsWith = (jpegOf: ShareJpegDeps["jpegOf"]): ShareJpegDeps => ({ db: {} as ShareJpegDeps["db"], storage: new LocalDiskStorage(path.join(dir, "uploads")), publicDir, jpegOf });
const demoWebp = (name: string) => readFile(path.join(publicDir, "products", `${name}.webp`));
const serve = (deps: ShareJpegDeps, name: string) => shareJpegResponse(`products/${name}.jpg`, deps);

beforeAll(async () => {
  mkdirSync(path.join(publicDir, "products"), { recursive: true });
  for (const [i, name] of NAMES.entries()) {
    const webp = await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 20 * i, g: 120, b: 60 } } }).webp().toBuffer();
    writeFileSync(path.join(publicDir, "products", `${name}.webp`), webp);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("share JPEG conversions", () => {
  it("a burst of requests for one picture converts it once, and later requests reuse the copy", async () => {
    const { seen, wrapped } = counted();
    const deps = depsWith(shareJpegMaker(wrapped));
    const responses = await Promise.all(Array.from({ length: 10 }, () => serve(deps, "tea-a")));
    const bodies = await Promise.all(responses.map(async (r) => (expect(r.status).toBe(200), Buffer.from(await r.arrayBuffer()))));
    for (const body of bodies) expect(body.equals(bodies[0]!)).toBe(true);
    expect((await sharp(bodies[0]).metadata()).format).toBe("jpeg");
    expect(seen.calls).toBe(1);

    expect((await serve(deps, "tea-a")).status).toBe(200);
    expect(seen.calls).toBe(1);
  });

  it("never runs more than maxConcurrent conversions at once; the others wait their turn, and a failed one is not kept", async () => {
    let corrupt = true;
    const { seen, wrapped } = counted(async (webp) => {
      // tea-f (the last, so it waits for a turn) fails the first time: its turn must still pass on.
      if (corrupt && webp.equals(await demoWebp("tea-f"))) throw new Error("corrupt");
      return toShareJpeg(webp);
    });
    const deps = depsWith(shareJpegMaker(wrapped, { maxConcurrent: 2 }));
    const outcomes = await Promise.allSettled([...NAMES, "tea-a"].map((name) => serve(deps, name)));
    expect(outcomes.map((o) => (o.status === "fulfilled" ? o.value.status : String(o.reason)))).toEqual([200, 200, 200, 200, 200, "Error: corrupt", 200]);
    expect(seen.calls).toBe(6);
    expect(seen.maxInFlight).toBe(2);
    corrupt = false;
    expect((await serve(deps, "tea-f")).status).toBe(200);
    expect(seen.calls).toBe(7);
  });

  it("keeps copies within its byte budget, dropping the least recently served first", async () => {
    // Copies of 100 bytes, 250 bytes kept: two copies.
    const { seen, wrapped } = counted(async () => Buffer.alloc(100));
    const jpegOf = shareJpegMaker(wrapped, { maxBytes: 250 });
    const [a, b, c] = ["picture a", "picture b", "picture c"].map((s) => Buffer.from(s)) as [Buffer, Buffer, Buffer];
    await jpegOf(a);
    await jpegOf(b);
    await jpegOf(a); // a served again: b is now the least recent
    expect(seen.calls).toBe(2);
    await jpegOf(c); // 300 bytes: b goes
    await jpegOf(a);
    expect(seen.calls).toBe(3);
    await jpegOf(b);
    expect(seen.calls).toBe(4);
  });

  it("turns a picture away with a 503 when the wait line is full, and converts it once there is room", async () => {
    // Two running, one waiting: of six distinct pictures at once, three are refused without being converted.
    const { seen, wrapped } = counted();
    const deps = depsWith(shareJpegMaker(wrapped, { maxConcurrent: 2, maxWaiting: 1 }));
    const responses = await Promise.all(NAMES.map((name) => serve(deps, name)));
    // The pictures are read from disk first, so which three get a place depends on which file is read first.
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 503, 503, 503]);
    for (const r of responses.filter((r) => r.status === 503)) {
      expect(r.headers.get("retry-after")).toBe("5");
      expect(r.headers.get("cache-control")).toBe("no-store");
    }
    expect(seen.calls).toBe(3);
    const refused = NAMES.find((_, i) => responses[i]!.status === 503)!;
    expect((await serve(deps, refused)).status).toBe(200);
    expect(seen.calls).toBe(4);
  });

  it("lets a conversion's own error through: only a full wait line is a 503", async () => {
    const deps = depsWith(shareJpegMaker(async () => { throw new Error("corrupt"); }));
    await expect(serve(deps, "tea-a")).rejects.toThrow("corrupt");
  });
});
