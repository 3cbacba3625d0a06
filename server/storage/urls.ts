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
