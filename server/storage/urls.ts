// Public URLs of stored pictures (pure: also used by client components).
export const MEDIA_PREFIX = "/media/";
export const THUMB_SIDE = 400;

/** The thumbnail of one of our stored pictures; other URLs (demo SVGs) unchanged. */
export function thumbnailUrl(url: string | null): string | null {
  if (!url) return url;
  const m = /^\/media\/(p\/[0-9a-f]{2}\/[0-9a-f]{32})\.webp$/.exec(url);
  return m ? `${MEDIA_PREFIX}${m[1]}_${THUMB_SIDE}.webp` : url;
}
