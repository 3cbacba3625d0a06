// Where a page may send a visitor after signing in: a path on this site, never another site. Browsers
// and Next's router drop tabs and newlines and read "\" as "/", so "/\t/evil.com" or "/\evil.com" would
// leave the site: anything holding them is refused, and the URL parser has the last word.
const BASE = "http://local.invalid";

// Control characters, space and DEL: a browser drops or changes them before reading the URL.
const hasControlOrSpace = (v: string) => Array.from(v).some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f);

/** `raw` as the parser reads it (path, query, fragment) when it is a path on this site, else `fallback`. */
export function localPath(raw: string | string[] | undefined | null, fallback = "/"): string {
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (typeof v !== "string" || v.length > 2048 || !v.startsWith("/") || v.includes("\\") || hasControlOrSpace(v)) return fallback;
  try {
    const u = new URL(v, BASE);
    const local = u.pathname + u.search + u.hash;
    // Dot segments can collapse to "//evil.com" ("/.//evil.com"), which the next reader takes for another host.
    return u.origin === BASE && !local.startsWith("//") ? local : fallback;
  } catch {
    return fallback;
  }
}
