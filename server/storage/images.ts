// Uploaded product / category pictures: validated by their content (not the file name or the declared
// type), re-encoded with sharp (which also drops EXIF/GPS metadata and any payload hidden in the file),
// stored content-addressed with a thumbnail. Served from /media/<key> (app/media/[...key]/route.ts).
import { createHash } from "node:crypto";
import sharp, { type OutputInfo } from "sharp";
import { refuse } from "../context";
import type { ObjectStorage } from ".";
import { MEDIA_PREFIX, THUMB_SIDE } from "./urls";

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
export const ACCEPTED_FORMATS = ["jpeg", "png", "webp"] as const;
const MAX_INPUT_PIXELS = 40_000_000;
export const IMAGE_MAX_SIDE = 1600;

export interface StoredImage {
  url: string;
  thumbUrl: string;
  width: number;
  height: number;
  bytes: number;
}

export async function storeImage(storage: ObjectStorage, input: Buffer): Promise<StoredImage> {
  if (input.length === 0) refuse("EMPTY_FILE", "文件是空的");
  if (input.length > MAX_UPLOAD_BYTES) refuse("FILE_TOO_LARGE", `图片不能超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
  let format: string | undefined;
  try {
    format = (await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format;
  } catch {
    refuse("INVALID_IMAGE", "无法识别的图片文件");
  }
  if (!format || !(ACCEPTED_FORMATS as readonly string[]).includes(format)) refuse("UNSUPPORTED_IMAGE", "只支持 JPEG、PNG、WebP 图片");
  let main: { data: Buffer; info: OutputInfo };
  let thumb: Buffer;
  try {
    const base = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).rotate();
    main = await base.clone().resize({ width: IMAGE_MAX_SIDE, height: IMAGE_MAX_SIDE, fit: "inside", withoutEnlargement: true }).webp({ quality: 82 }).toBuffer({ resolveWithObject: true });
    thumb = await base.clone().resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: "cover" }).webp({ quality: 78 }).toBuffer();
  } catch {
    refuse("INVALID_IMAGE", "图片已损坏，无法处理");
  }
  const hash = createHash("sha256").update(main.data).digest("hex").slice(0, 32);
  const key = `p/${hash.slice(0, 2)}/${hash}.webp`;
  const thumbKey = `p/${hash.slice(0, 2)}/${hash}_${THUMB_SIDE}.webp`;
  await storage.put(key, main.data, "image/webp");
  await storage.put(thumbKey, thumb, "image/webp");
  return { url: MEDIA_PREFIX + key, thumbUrl: MEDIA_PREFIX + thumbKey, width: main.info.width, height: main.info.height, bytes: main.data.length };
}
