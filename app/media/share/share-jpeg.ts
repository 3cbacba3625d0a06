// The JPEG copy of a product picture that link previews show (WeChat's cards and some chat apps show no WebP).
// Only whitelisted names are read: an upload's main picture by its content hash (public ones only: a shopper's
// after-sales photo stays behind /media's checks) or a demo picture under public/products; anything else is a 404.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import type { Db } from "@/server/db";
import type { ObjectStorage } from "@/server/storage";
import { MEDIA_PREFIX, SHARED_DEMO, SHARED_UPLOAD } from "@/server/storage/urls";
import { shopperPictureViewers } from "@/server/aftersales/uploads";

export const SHARE_IMAGE_SIDE = 1200;
// An upload's key is its content hash, so its copy never changes; demo pictures are rewritten under the same
// names by scripts/demo-images.ts, so they get the week next.config.ts gives public/products.
const UPLOAD_CACHE = "public, max-age=31536000, immutable";
const DEMO_CACHE = "public, max-age=604800";
/** Conversions at once: each decodes a whole picture on libvips' threads, so a burst of distinct pictures takes turns. */
export const SHARE_JPEG_MAX_CONCURRENT = 2;
/** Bytes of JPEG copies kept in memory, the least recently served dropped first (a copy is some 100 KB). */
export const SHARE_JPEG_CACHE_BYTES = 8 * 1024 * 1024;
/** Conversions waiting for a turn; beyond it a request is answered 503 at once instead of holding its picture in memory. */
export const SHARE_JPEG_MAX_WAITING = 32;

/** Too many distinct pictures are waiting to be converted: the request is turned away (503, retry later). */
export class ShareJpegBusy extends Error {}

/** A WebP's JPEG copy fitting SHARE_IMAGE_SIDE. */
export type JpegConverter = (webp: Buffer) => Promise<Buffer>;

export const toShareJpeg: JpegConverter = (webp) =>
  sharp(webp)
    .resize({ width: SHARE_IMAGE_SIDE, height: SHARE_IMAGE_SIDE, fit: "inside", withoutEnlargement: true })
    // JPEG has no transparency: a transparent PNG upload's background turns white, not black.
    .flatten({ background: "#ffffff" })
    .jpeg({ quality: 80 })
    .toBuffer();

/**
 * The copies' maker: a picture (by its fingerprint, the SHA-256 of its WebP) converts once while its copy is kept, the
 * requests that come during its conversion waiting for that one, at most `maxConcurrent` conversions run at once and at
 * most `maxWaiting` wait for a turn (more throw ShareJpegBusy).
 */
export function shareJpegMaker(
  convert: JpegConverter = toShareJpeg,
  { maxConcurrent = SHARE_JPEG_MAX_CONCURRENT, maxWaiting = SHARE_JPEG_MAX_WAITING, maxBytes = SHARE_JPEG_CACHE_BYTES } = {},
) {
  // Insertion order is recency: a hit moves its copy to the end, the oldest are dropped first.
  const made = new Map<string, Buffer>();
  let madeBytes = 0;
  const converting = new Map<string, Promise<Buffer>>();
  let running = 0;
  const waiting: (() => void)[] = [];

  async function inTurn(webp: Buffer): Promise<Buffer> {
    if (running < maxConcurrent) running += 1;
    else if (waiting.length >= maxWaiting) throw new ShareJpegBusy();
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await convert(webp);
    } finally {
      // The turn passes to the next in line, or is given back.
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  }

  function keep(key: string, jpeg: Buffer) {
    if (jpeg.length > maxBytes) return;
    made.set(key, jpeg);
    madeBytes += jpeg.length;
    for (const [k, old] of made) {
      if (madeBytes <= maxBytes) break;
      made.delete(k);
      madeBytes -= old.length;
    }
  }

  return function jpegOf(webp: Buffer): Promise<Buffer> {
    const key = createHash("sha256").update(webp).digest("base64url");
    const hit = made.get(key);
    if (hit) {
      made.delete(key);
      made.set(key, hit);
      return Promise.resolve(hit);
    }
    let flight = converting.get(key);
    if (!flight) {
      flight = inTurn(webp)
        .then((jpeg) => (keep(key, jpeg), jpeg))
        .finally(() => converting.delete(key));
      converting.set(key, flight);
    }
    return flight;
  };
}

const shareJpeg = shareJpegMaker();

export interface ShareJpegDeps {
  db: Pick<Db, "shopperUpload" | "product" | "sku" | "category" | "member">;
  storage: ObjectStorage;
  /** The app's public/ folder, where the demo pictures are. */
  publicDir: string;
  /** Makes the JPEG copy (default: the process's shareJpegMaker). */
  jpegOf?: (webp: Buffer) => Promise<Buffer>;
}

const notFound = () => new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

/** The WebP a share key names, and how long its copy may be kept; null for a key outside the whitelist or a missing file. */
async function source(key: string, deps: ShareJpegDeps): Promise<{ body: Buffer; cache: string } | null> {
  if (key.length > 100 || !key.endsWith(".jpg")) return null;
  const name = key.slice(0, -".jpg".length);
  if (SHARED_UPLOAD.test(name)) {
    const obj = await deps.storage.get(`${name}.webp`);
    if (!obj || (await shopperPictureViewers(deps.db, `${MEDIA_PREFIX}${name}.webp`))) return null;
    return { body: obj.body, cache: UPLOAD_CACHE };
  }
  const demo = SHARED_DEMO.exec(name);
  if (!demo) return null;
  try {
    return { body: await readFile(path.join(deps.publicDir, "products", `${demo[1]}.webp`)), cache: DEMO_CACHE };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/** The response for /media/share/<key>: the picture as a JPEG fitting SHARE_IMAGE_SIDE, or the 404 of an unknown key. */
export async function shareJpegResponse(key: string, deps: ShareJpegDeps): Promise<Response> {
  const src = await source(key, deps);
  if (!src) return notFound();
  let jpeg: Buffer;
  try {
    jpeg = await (deps.jpegOf ?? shareJpeg)(src.body);
  } catch (e) {
    if (!(e instanceof ShareJpegBusy)) throw e;
    // Preview fetchers retry; no-store so that no cache keeps the refusal.
    return new Response("Busy", { status: 503, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "retry-after": "5" } });
  }
  return new Response(new Uint8Array(jpeg), {
    headers: {
      "content-type": "image/jpeg",
      "content-length": String(jpeg.length),
      "cache-control": src.cache,
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "content-disposition": "inline",
    },
  });
}
