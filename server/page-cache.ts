// Shared pages (issue 14, item 6): the home page, a product page and a share-link landing page are the
// same for every anonymous visitor of one language, so proxy.ts serves them from this in-process cache
// instead of rendering each view. The cache is filled by the proxy fetching the page from its own server
// as an anonymous visitor with only the language cookie ("a fill"); the fill's CSP nonce is a fresh random
// sentinel that each served copy replaces by that response's own nonce, so the CSP stays nonce-based.
//
// Never personal: a request carrying any cookie outside ANONYMOUS_COOKIES (a session, a staff sign-in,
// anything unknown) is rendered for itself as before, and a fill sends no cookie but the language.
// Freshness: a copy is served for TTL, then served once more while one refresh renders (stale at most
// 2 × TTL); a back-office mutation on this instance drops every copy at once (invalidateSharedPages),
// so a catalogue change shows immediately here and within 2 × TTL on other instances.
// The store lives on globalThis: the proxy and the pages are separate bundles in one process.
import { isLocale, DEFAULT_LOCALE, LANG_COOKIE } from "@/lib/i18n/core";
import { HTML_LIMITED_BOTS } from "@/lib/html-limited-bots";

/** Cookies an anonymous shopper may carry that change nothing in these pages' HTML but the language. */
export const ANONYMOUS_COOKIES = new Set([LANG_COOKIE, "fm_ref", "fm_ref_prev", "fm_vid", "next-auth.csrf-token", "__Host-next-auth.csrf-token", "next-auth.callback-url", "__Secure-next-auth.callback-url"]);

/** Set by the proxy on its own fill requests (to "1" once the token checks out; removed from any other request). */
export const PAGE_FILL_HEADER = "x-fm-page-fill";

export interface SharedPage {
  status: number;
  /** The HTML split at the nonce the fill was rendered with, UTF-8 encoded once: every served copy joins it with its own. */
  parts: Uint8Array[];
  bytes: number;
  contentType: string;
  /** The render's Vary and Link (preloads) headers, replayed on every copy. */
  headers: Record<string, string>;
  at: number;
}

interface Store {
  entries: Map<string, SharedPage>;
  filling: Map<string, Promise<SharedPage | null>>;
  bytes: number;
  generation: number;
  /** Proves a request is this process's own fill. */
  fillToken: string;
  landingView?: (code: string, visitorId: string | null, network: string | null) => void;
}

const g = globalThis as unknown as { __fmPageCache?: Store };
function store(): Store {
  return (g.__fmPageCache ??= { entries: new Map(), filling: new Map(), bytes: 0, generation: 0, fillToken: randomToken() });
}

/** 128 random bits in hex: a fill token, or a sentinel nonce (hex is valid nonce text and never escaped in HTML). */
function randomToken(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const MAX_BYTES = 64 * 1024 * 1024;
const utf8 = new TextEncoder();

export function pageCacheTtlMs(env: Record<string, string | undefined> = process.env): number {
  const v = Number(env.PAGE_CACHE_TTL_MS ?? "5000");
  return Number.isFinite(v) && v >= 0 ? v : 5000;
}

/** Drops every cached page (after a back-office change: catalogue, rules, members). */
export function invalidateSharedPages(): void {
  const s = store();
  s.generation++;
  s.entries.clear();
  s.filling.clear();
  s.bytes = 0;
}

/** The landing page registers how a view is counted; the proxy counts views it serves from the cache. */
export function onLandingView(fn: (code: string, visitorId: string | null, network: string | null) => void): void {
  store().landingView = fn;
}
/** `network`: a new visitor's IP rate key (server/auth/request.ts clientNetwork), null when unknown or the visitor has our cookie. */
export function landingViewed(code: string, visitorId: string | null, network: string | null): void {
  store().landingView?.(code, visitorId, network);
}

function cookiePairs(header: string | null): [string, string][] {
  if (!header) return [];
  return header.split(";").flatMap((part) => {
    const i = part.indexOf("=");
    return i > 0 ? [[part.slice(0, i).trim(), part.slice(i + 1).trim()] as [string, string]] : [];
  });
}

export interface SharedKey {
  key: string;
  /** Path and query to fill from. */
  url: string;
  locale: string;
  bot: boolean;
}

/**
 * The cache key of a request for a shared page, or null when it must be rendered for itself: not a page load
 * (GET asking for HTML) of /, /product/ID or /r/CODE[?product=ID], or a visitor with any cookie beyond ANONYMOUS_COOKIES.
 */
export function sharedPageKey(method: string, url: URL, headers: Pick<Headers, "get" | "has">): SharedKey | null {
  if (method !== "GET" || headers.has(PAGE_FILL_HEADER)) return null;
  // Only a page load: Next strips the router's RSC headers (rsc, next-router-*) and ?_rsc before the proxy
  // runs, so its fetch of a page's RSC payload looks like a GET of the page here. It asks for */*, and a
  // browser marks it Sec-Fetch-Mode: cors; a browser's page load asks for text/html (mode navigate).
  const mode = headers.get("sec-fetch-mode");
  if (!/\btext\/html\b/.test(headers.get("accept") ?? "") || (mode !== null && mode !== "navigate")) return null;
  const path = url.pathname;
  const search = url.search;
  const ok = (path === "/" && search === "") || (/^\/product\/[1-9]\d{0,8}$/.test(path) && search === "") || (/^\/r\/[A-Za-z0-9]{1,32}$/.test(path) && /^(\?product=[1-9]\d{0,8})?$/.test(search));
  if (!ok) return null;
  let locale = DEFAULT_LOCALE as string;
  for (const [name, value] of cookiePairs(headers.get("cookie"))) {
    if (!ANONYMOUS_COOKIES.has(name)) return null;
    if (name === LANG_COOKIE && isLocale(value)) locale = value;
  }
  const bot = HTML_LIMITED_BOTS.test(headers.get("user-agent") ?? "");
  return { key: `${locale} ${bot ? "bot" : "browser"} ${path}${search}`, url: `${path}${search}`, locale, bot };
}

/** Where this server listens (`next start` records it in the environment; elsewhere there is no cache). */
export function ownOrigin(env: Record<string, string | undefined> = process.env): string | null {
  const name = "__NEXT_PRIVATE_ORIGIN"; // read by name: Next inlines some process.env.__NEXT_* reads at build
  return env[name] || null;
}

// One user agent per variant: Next streams metadata to browsers but puts it in <head> for HTML-limited bots.
const FILL_AGENT = { browser: "Mozilla/5.0 (fission-mall page fill)", bot: "Mozilla/5.0 (fission-mall page fill) facebookexternalhit/1.1" };

/** Renders the page as an anonymous visitor through this server; null when it did not answer 200 or 404. */
async function fill(origin: string, k: SharedKey, fetcher: typeof fetch): Promise<SharedPage | null> {
  const sentinel = randomToken();
  const res = await fetcher(`${origin}${k.url}`, {
    redirect: "manual",
    headers: { cookie: `${LANG_COOKIE}=${k.locale}`, "user-agent": FILL_AGENT[k.bot ? "bot" : "browser"], [PAGE_FILL_HEADER]: `${store().fillToken} ${sentinel}` },
  });
  if (res.status !== 200 && res.status !== 404) {
    await res.body?.cancel();
    return null;
  }
  const html = await res.text();
  const headers: Record<string, string> = {};
  for (const name of ["vary", "link"]) {
    const value = res.headers.get(name);
    if (value && !value.includes(sentinel)) headers[name] = value;
  }
  const parts = html.split(sentinel).map((part) => utf8.encode(part));
  return { status: res.status, parts, bytes: parts.reduce((n, p) => n + p.length, 0), contentType: res.headers.get("content-type") ?? "text/html; charset=utf-8", headers, at: Date.now() };
}

/** The sentinel nonce a verified fill request asks to be rendered with. */
export function fillSentinel(value: string | null): string | null {
  if (!value) return null;
  const [token, sentinel] = value.split(" ");
  return token === store().fillToken && sentinel && /^[0-9a-f]{32}$/.test(sentinel) ? sentinel : null;
}

/**
 * The page for `k`: cached while fresh, stale (one refresh running) up to 2 × ttl, otherwise filled now
 * with concurrent requests for the same key waiting on that one fill. Only 200 answers are kept.
 */
export async function sharedPage(k: SharedKey, opts: { origin: string; ttlMs: number; now?: number; fetcher?: typeof fetch }): Promise<SharedPage | null> {
  const s = store();
  const now = opts.now ?? Date.now();
  const cached = s.entries.get(k.key);
  const age = cached ? now - cached.at : Infinity;
  if (cached && age < opts.ttlMs) return cached;
  const refresh = () => {
    const pending = s.filling.get(k.key);
    if (pending) return pending;
    const generation = s.generation;
    const p = fill(opts.origin, k, opts.fetcher ?? fetch)
      .catch(() => null)
      .then((page) => {
        if (s.filling.get(k.key) === p) s.filling.delete(k.key);
        if (page?.status === 200 && s.generation === generation) keep(s, k.key, page);
        return page;
      });
    s.filling.set(k.key, p);
    return p;
  };
  if (cached && age < 2 * opts.ttlMs) {
    void refresh();
    return cached;
  }
  return refresh();
}

function keep(s: Store, key: string, page: SharedPage) {
  const old = s.entries.get(key);
  if (old) s.bytes -= old.bytes;
  s.entries.delete(key);
  s.entries.set(key, page);
  s.bytes += page.bytes;
  // Oldest first (Map order): the ones not refreshed for longest.
  for (const [k, v] of s.entries) {
    if (s.bytes <= MAX_BYTES) break;
    s.entries.delete(k);
    s.bytes -= v.bytes;
  }
}

/** The cached HTML with this response's nonce in place of the fill's: copied bytes, not a string encoded per view. */
export function withNonce(page: SharedPage, nonce: string): Uint8Array<ArrayBuffer> {
  const n = utf8.encode(nonce);
  const out = new Uint8Array(page.bytes + n.length * (page.parts.length - 1));
  let at = 0;
  page.parts.forEach((part, i) => {
    if (i > 0) {
      out.set(n, at);
      at += n.length;
    }
    out.set(part, at);
    at += part.length;
  });
  return out;
}
