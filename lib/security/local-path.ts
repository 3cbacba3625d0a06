// Where a page may send a visitor after signing in: a path on this site, never another site. Browsers
// and Next's router drop tabs and newlines and read "\" as "/", so "/\t/evil.com" or "/\evil.com" would
// leave the site: anything holding them is refused, and the URL parser has the last word.
const BASE = "http://local.invalid";

/** `raw` when it is a path on this site (with its query), else `fallback`. */
export function localPath(raw: string | string[] | undefined | null, fallback = "/"): string {
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (typeof v !== "string" || v.length > 2048 || !v.startsWith("/") || /[\\\u0000-\u0020\u007f]/.test(v)) return fallback;
  try {
    const u = new URL(v, BASE);
    return u.origin === BASE && !v.startsWith("//") ? v : fallback;
  } catch {
    return fallback;
  }
}
