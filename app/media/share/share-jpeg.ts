// The JPEG copy of a product picture that link previews show (WeChat's cards and some chat apps show no WebP).
// Only whitelisted names are read: an upload's main picture by its content hash (public ones only: a shopper's
// after-sales photo stays behind /media's checks) or a demo picture under public/products; anything else is a 404.
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
// Copies of uploads already made (their key is their content): a shared link's burst of previews converts once.
const MADE = new Map<string, Buffer>();
const MADE_MAX = 64;

export interface ShareJpegDeps {
  db: Pick<Db, "shopperUpload" | "product" | "sku" | "category" | "member">;
  storage: ObjectStorage;
  /** The app's public/ folder, where the demo pictures are. */
  publicDir: string;
}

const notFound = () => new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

/** The WebP a share key names, and how long its copy may be kept; null for a key outside the whitelist or a missing file. */
async function source(key: string, deps: ShareJpegDeps): Promise<{ body: Buffer; cache: string; upload?: string } | null> {
  if (key.length > 100 || !key.endsWith(".jpg")) return null;
  const name = key.slice(0, -".jpg".length);
  if (SHARED_UPLOAD.test(name)) {
    const obj = await deps.storage.get(`${name}.webp`);
    if (!obj || (await shopperPictureViewers(deps.db, `${MEDIA_PREFIX}${name}.webp`))) return null;
    return { body: obj.body, cache: UPLOAD_CACHE, upload: name };
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
  let jpeg = src.upload === undefined ? undefined : MADE.get(src.upload);
  if (!jpeg) {
    jpeg = await sharp(src.body)
      .resize({ width: SHARE_IMAGE_SIDE, height: SHARE_IMAGE_SIDE, fit: "inside", withoutEnlargement: true })
      // JPEG has no transparency: a transparent PNG upload's background turns white, not black.
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: 80 })
      .toBuffer();
    if (src.upload !== undefined) {
      if (MADE.size >= MADE_MAX) MADE.delete(MADE.keys().next().value!);
      MADE.set(src.upload, jpeg);
    }
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
