// Request facts used at sign-in and by rate limits.
import { isIPv6 } from "node:net";
import { MAX_ATTRIBUTION_DAYS } from "./attribution";

/**
 * The client's IP address. X-Forwarded-For is trusted only when TRUST_PROXY is set to the number
 * of reverse proxies in front of the app ("1" for one): the address that many hops from the right
 * was written by our own proxy, the rest may be forged. Without TRUST_PROXY the header is ignored
 * and the IP is unknown (null): Next.js route handlers do not expose the socket address. Rate limits
 * then fall back to a global budget (server/auth/otp.ts), never to no limit.
 */
export function clientIp(headers: Headers | Record<string, string | string[] | undefined>): string | null {
  const hops = Number.parseInt(process.env.TRUST_PROXY ?? "0", 10);
  if (!Number.isFinite(hops) || hops < 1) return null;
  const raw = headers instanceof Headers ? headers.get("x-forwarded-for") : headers["x-forwarded-for"];
  const value = Array.isArray(raw) ? raw.join(",") : raw;
  if (!value) return null;
  const parts = value.split(",").map((s) => s.trim()).filter(Boolean);
  const ip = parts[Math.max(0, parts.length - hops)];
  return ip && /^[0-9a-fA-F:.]{2,45}$/.test(ip) ? ip : null;
}

/**
 * The per-IP limit's key: an IPv4 address itself (also when IPv4-mapped, ::ffff:a.b.c.d), an IPv6
 * address its /64 ("2001:db8:0:1::/64"), else the text as given.
 */
export function ipRateKey(ip: string): string {
  const addr = ip.trim().toLowerCase().replace(/%.*$/, "");
  if (!isIPv6(addr)) return addr;
  const g = ipv6Groups(addr);
  if (g.slice(0, 6).join(",") === "0,0,0,0,0,65535") return [g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255].join(".");
  return `${g.slice(0, 4).map((x) => x.toString(16)).join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (a dotted IPv4 tail is two groups). */
function ipv6Groups(addr: string): number[] {
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(addr);
  const text = v4 ? `${addr.slice(0, v4.index)}${((+v4[1]! << 8) | +v4[2]!).toString(16)}:${((+v4[3]! << 8) | +v4[4]!).toString(16)}` : addr;
  const [head, tail] = text.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill("0");
  return [...h, ...zeros, ...t].map((x) => Number.parseInt(x, 16));
}

/** The client's network for rate limits (ipRateKey of clientIp), null when the IP is unknown. */
export function clientNetwork(headers: Headers | Record<string, string | string[] | undefined>): string | null {
  const ip = clientIp(headers);
  return ip === null ? null : ipRateKey(ip);
}

export const REF_COOKIE = "fm_ref";
export const VISITOR_COOKIE = "fm_vid";
export const REF_COOKIE_MAX_AGE_SEC = MAX_ATTRIBUTION_DAYS * 24 * 3600;
/** Holds the previous fm_ref while a newer, not yet verified code replaces it (see proxy.ts). */
export const REF_PREV_COOKIE = "fm_ref_prev";
/** Cookies written before the window was a setting held "CODE.expiry", the visit plus these 7 days. */
const LEGACY_WINDOW_SEC = 7 * 24 * 3600;

/**
 * fm_ref value: "CODE_visitedAtEpochSeconds" (a separator cookies carry as is: "@" went out as %40). The visit time travels with the value so the server applies
 * the attribution window in force at sign-up (the proxy does not read the rules), and a previous link
 * can be restored with its own visit time.
 */
export function formatRefCookie(code: string, visitedAtSec: number): string {
  return `${code}_${visitedAtSec}`;
}

/** The code and visit time of an fm_ref value still within `windowDays` of its visit, both ends included (SPEC §8; default: the longest allowed). */
export function parseRefCookie(value: string | undefined | null, nowMs = Date.now(), windowDays = MAX_ATTRIBUTION_DAYS): { code: string; visitedAtSec: number } | null {
  if (!value) return null;
  const m = /^([2-9A-Z]{6})([._])(\d{9,11})$/.exec(value);
  if (!m) return null;
  const visitedAtSec = m[2] === "_" ? Number(m[3]) : Number(m[3]) - LEGACY_WINDOW_SEC;
  // A visit in the future was not written by us (a minute's leeway for another instance's clock): it would never expire.
  const within = (visitedAtSec + windowDays * 24 * 3600) * 1000 >= nowMs && visitedAtSec * 1000 <= nowMs + 60_000;
  return within ? { code: m[1]!, visitedAtSec } : null;
}
