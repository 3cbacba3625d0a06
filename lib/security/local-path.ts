// Where a page may send a visitor after signing in: a path on this site, never another site. Browsers
// and Next's router drop tabs and newlines and read "\" as "/", so "/\t/evil.com" or "/\evil.com" would
// leave the site: anything holding them is refused, and the URL parser has the last word.
const BASE = "http://local.invalid";

// Control characters, space and DEL: a browser drops or changes them before reading the URL.
const hasControlOrSpace = (v: string) => Array.from(v).some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f);

/** `raw` when it is a path on this site (with its query), else `fallback`. */
export function localPath(raw: string | string[] | undefined | null, fallback = "/"): string {
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (typeof v !== "string" || v.length > 2048 || !v.startsWith("/") || v.includes("\\") || hasControlOrSpace(v)) return fallback;
  try {
    const u = new URL(v, BASE);
    return u.origin === BASE && !v.startsWith("//") ? v : fallback;
  } catch {
    return fallback;
  }
}
