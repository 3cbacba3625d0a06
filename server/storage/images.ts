// Uploaded product / category pictures: validated by their content (not the file name or the declared
// type), re-encoded with sharp (which also drops EXIF/GPS metadata and any payload hidden in the file),
// stored under the hash of the uploaded file with a thumbnail. Served from /media/<key> (app/media/[...key]/route.ts).
import { createHash } from "node:crypto";
import sharp, { type OutputInfo } from "sharp";
import { refuse } from "../context";
import type { ObjectStorage } from ".";
import { MEDIA_PREFIX, THUMB_SIDE } from "./urls";

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
export const ACCEPTED_FORMATS = ["jpeg", "png", "webp"] as const;
// Not lower: phones' default shots reach 24.5 MP (5712 × 4284) and the shop's pages send them unscaled.
const MAX_INPUT_PIXELS = 40_000_000;
export const IMAGE_MAX_SIDE = 1600;

export interface StoredImage {
  url: string;
  thumbUrl: string;
  width: number;
  height: number;
  bytes: number;
}

/** The storage keys of an uploaded file, named by the hash of its bytes: the same file is found again without decoding it. */
function keysOf(input: Buffer) {
  const hash = createHash("sha256").update(input).digest("hex").slice(0, 32);
  return { key: `p/${hash.slice(0, 2)}/${hash}.webp`, thumbKey: `p/${hash.slice(0, 2)}/${hash}_${THUMB_SIDE}.webp` };
}

/** The /media URL storeImage gives this file (already stored or not). */
export function storedImageUrl(input: Buffer): string {
  return MEDIA_PREFIX + keysOf(input).key;
}

// Decoding a large picture takes a core for up to a second: at most this many at once in the process, the rest wait.
const MAX_CONCURRENT_DECODES = 2;
// Each waiter holds its file (up to MAX_UPLOAD_BYTES) in memory: beyond this many, an upload is refused at once.
export const MAX_WAITING_DECODES = 8;
/** The refusal of an upload that found the decode queue full: nothing was decoded or stored, and it may be retried shortly. */
export const DECODES_BUSY = "UPLOADS_BUSY";
let decoding = 0;
const waiting: (() => void)[] = [];

async function withDecodeTurn<T>(work: () => Promise<T>): Promise<T> {
  if (decoding >= MAX_CONCURRENT_DECODES) {
    if (waiting.length >= MAX_WAITING_DECODES) refuse(DECODES_BUSY, "服务器正忙，请稍后再上传");
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else decoding++;
  try {
    return await work();
  } finally {
    // The turn passes straight to the next waiter, so a new arrival cannot overtake it.
    const next = waiting.shift();
    if (next) next();
    else decoding--;
  }
}

export async function storeImage(storage: ObjectStorage, input: Buffer): Promise<StoredImage> {
  if (input.length === 0) refuse("EMPTY_FILE", "文件是空的");
  if (input.length > MAX_UPLOAD_BYTES) refuse("FILE_TOO_LARGE", `图片不能超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
  const { main, thumb } = await withDecodeTurn(() => encode(input));
  const { key, thumbKey } = keysOf(input);
  await storage.put(key, main.data, "image/webp");
  await storage.put(thumbKey, thumb, "image/webp");
  return { url: MEDIA_PREFIX + key, thumbUrl: MEDIA_PREFIX + thumbKey, width: main.info.width, height: main.info.height, bytes: main.data.length };
}

/** The picture re-encoded, and its thumbnail: the input is decoded once, into pixels at most IMAGE_MAX_SIDE. */
async function encode(input: Buffer): Promise<{ main: { data: Buffer; info: OutputInfo }; thumb: Buffer }> {
  let format: string | undefined;
  try {
    format = (await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format;
  } catch {
    refuse("INVALID_IMAGE", "无法识别的图片文件");
  }
  if (!format || !(ACCEPTED_FORMATS as readonly string[]).includes(format)) refuse("UNSUPPORTED_IMAGE", "只支持 JPEG、PNG、WebP 图片");
  try {
    const pixels = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .resize({ width: IMAGE_MAX_SIDE, height: IMAGE_MAX_SIDE, fit: "inside", withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: pixels.info.width, height: pixels.info.height, channels: pixels.info.channels } };
    const main = await sharp(pixels.data, raw).webp({ quality: 82 }).toBuffer({ resolveWithObject: true });
    const thumb = await sharp(pixels.data, raw).resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: "cover" }).webp({ quality: 78 }).toBuffer();
    return { main, thumb };
  } catch {
    refuse("INVALID_IMAGE", "图片已损坏，无法处理");
  }
}
