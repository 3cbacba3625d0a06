// Public URLs of stored pictures (pure: also used by client components).
export const MEDIA_PREFIX = "/media/";
export const THUMB_SIDE = 400;

/**
 * The thumbnail of a picture: an upload's stored thumbnail, or the demo catalogue's, rendered next to it
 * by scripts/demo-images.ts; other URLs unchanged.
 */
export function thumbnailUrl(url: string | null): string | null {
  if (!url) return url;
  const m = /^\/media\/(p\/[0-9a-f]{2}\/[0-9a-f]{32})\.webp$/.exec(url);
  if (m) return `${MEDIA_PREFIX}${m[1]}_${THUMB_SIDE}.webp`;
  const demo = /^\/products\/([\w-]+)\.webp$/.exec(url);
  return demo ? `/products/${demo[1]}_${THUMB_SIDE}.webp` : url;
}

/** The picture a stored thumbnail belongs to (the inverse of thumbnailUrl for uploads); other URLs unchanged. */
export function pictureOfThumbnail(url: string): string {
  const m = new RegExp(`^/media/(p/[0-9a-f]{2}/[0-9a-f]{32})_${THUMB_SIDE}\\.webp$`).exec(url);
  return m ? `${MEDIA_PREFIX}${m[1]}.webp` : url;
}

/** Where the JPEG copies of shared pictures are served (app/media/share/[...key]/route.ts). */
export const SHARE_IMAGE_PREFIX = "/media/share/";
// Only a main picture, never a thumbnail: an upload by its content hash, a demo picture by its name.
export const SHARED_UPLOAD = /^p\/([0-9a-f]{2})\/(\1[0-9a-f]{30})$/;
export const SHARED_DEMO = /^products\/([a-z0-9-]+)$/;

/**
 * The JPEG copy of a product picture for link previews (WeChat's cards and some chat apps show no WebP):
 * an upload or a demo picture's copy under /media/share/; other URLs unchanged.
 */
export function shareImageUrl(url: string): string {
  const m = /^\/(media\/p\/[0-9a-f]{2}\/[0-9a-f]{32}|products\/[a-z0-9-]+)\.webp$/.exec(url);
  if (!m) return url;
  const name = m[1]!.replace(/^media\//, "");
  return SHARED_UPLOAD.test(name) || SHARED_DEMO.test(name) ? `${SHARE_IMAGE_PREFIX}${name}.jpg` : url;
}
