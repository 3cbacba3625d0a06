// Share-link attribution (SPEC §2): visiting /r/{code} stores the code in the first-party fm_ref
// cookie for the attribution window; the most recent link wins. Server components cannot set
// cookies, so it happens here, before the landing page renders. The proxy does not query the
// database: the previous link is kept in fm_ref_prev, and the landing page of a code that belongs
// to nobody restores it (app/api/ref/forget). At sign-up an unknown code binds nobody anyway.
//
// Language (lib/i18n): a page requested with ?lang=en or ?lang=zh-CN stores the choice in the fm_lang
// cookie and is redirected to the same URL without the parameter (so a later refresh of that URL
// does not undo a switch made with the in-page language switch).
//
// Security headers (lib/security/headers.ts) go on every response: pages get a fresh CSP nonce, which
// Next.js reads from the request's Content-Security-Policy header and puts on its own scripts.
// Anonymous page loads of the home, product and landing pages are served from the page cache
// (server/page-cache.ts) with that fresh nonce put in place of the cached copy's.
// A server action posted from another site is refused here with 403 (Next would answer 500).
import { NextResponse, type NextRequest } from "next/server";
import { isResourcePath, newNonce, securityHeaders, servedOverHttps } from "@/lib/security/headers";
import { CROSS_SITE_MESSAGE, crossSiteRefusal } from "@/lib/security/origin";
import { configuredSiteOrigin } from "@/server/env";
import { isLocale, LANG_COOKIE, LANG_COOKIE_MAX_AGE_SEC } from "@/lib/i18n/core";
import { codeInLink, normaliseCode } from "@/server/referral/codes";
import {
  clientNetwork,
  formatRefCookie,
  parseRefCookie,
  REF_COOKIE,
  REF_COOKIE_MAX_AGE_SEC,
  REF_PREV_COOKIE,
  VISITOR_COOKIE,
} from "@/server/auth/request";
import { testDoorOpen } from "@/server/test-doors";
import { isCrawler } from "@/lib/crawler-ua";
import { fillSentinel, landingViewed, ownOrigin, PAGE_FILL_HEADER, pageCacheTtlMs, sharedPage, sharedPageKey, withNonce } from "@/server/page-cache";

/** The visitor id only tells a reload from a new visit (VisitBuffer's 30-minute REVISIT_WINDOW_MS): a day is plenty. */
const VISITOR_COOKIE_MAX_AGE_SEC = 24 * 3600;

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const page = !isResourcePath(request.nextUrl.pathname);
  // This server's own fill of the page cache is rendered with the sentinel nonce it asks for.
  const sentinel = page ? fillSentinel(request.headers.get(PAGE_FILL_HEADER)) : null;
  const nonce = page ? (sentinel ?? newNonce()) : undefined;
  const https = servedOverHttps(process.env, request.nextUrl.protocol, request.headers);
  const headers = securityHeaders({ nonce, dev: process.env.NODE_ENV === "development", https });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.delete(PAGE_FILL_HEADER);
  if (sentinel) requestHeaders.set(PAGE_FILL_HEADER, "1");
  if (page) requestHeaders.set("content-security-policy", headers["Content-Security-Policy"]!);
  const finish = (response: NextResponse) => {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  };
  const shared = page && process.env.NODE_ENV === "production" ? sharedPageKey(request.method, request.nextUrl, request.headers) : null;
  const origin = shared ? ownOrigin() : null;
  const ttlMs = pageCacheTtlMs();
  if (!shared || !origin || ttlMs === 0) return finish(respond(request, requestHeaders, null, https));
  const asked = Date.now();
  const cached = await sharedPage(shared, { origin, ttlMs });
  const copy =
    cached &&
    new NextResponse(withNonce(cached, nonce!), {
      status: cached.status,
      // x-fm-page-cache: whether this view was a copy made earlier ("hit") or rendered for it ("fill").
      headers: { ...cached.headers, "content-type": cached.contentType, "cache-control": "private, no-cache, no-store, max-age=0, must-revalidate", "x-fm-page-cache": cached.at < asked ? "hit" : "fill" },
    });
  return finish(respond(request, requestHeaders, copy, https));
}

/**
 * The answer before security headers; `cached` is the shared page's copy when the page cache served it. `secure`: its
 * cookies are Secure, decided as HSTS is (a TLS proxy that sends no X-Forwarded-Proto still serves https).
 */
function respond(request: NextRequest, requestHeaders: Headers, cached: NextResponse | null, secure: boolean): NextResponse {
  if (request.method === "POST" && request.headers.has("next-action")) {
    const refused = crossSiteRefusal(request.headers, configuredSiteOrigin());
    if (refused) {
      console.warn(`[security] cross-site server action on ${request.nextUrl.pathname} refused (${refused})`);
      return new NextResponse(CROSS_SITE_MESSAGE, { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } });
    }
  }

  // Test doors, checked here too so a new /api/test/* or /dev/* route cannot forget its own check.
  const door = /^\/api\/test(\/|$)/.test(request.nextUrl.pathname) ? "clock" : /^\/dev(\/|$)/.test(request.nextUrl.pathname) ? "outbox" : null;
  if (door && !testDoorOpen(door, request.headers)) return new NextResponse("Not Found", { status: 404 });

  const lang = request.nextUrl.searchParams.get("lang");
  if (lang !== null && !isResourcePath(request.nextUrl.pathname) && (request.method === "GET" || request.method === "HEAD")) {
    const url = request.nextUrl.clone();
    url.searchParams.delete("lang");
    const redirect = NextResponse.redirect(url);
    // Not httpOnly: the language switch rewrites it from the page.
    if (isLocale(lang)) redirect.cookies.set(LANG_COOKIE, lang, { httpOnly: false, sameSite: "lax", secure, path: "/", maxAge: LANG_COOKIE_MAX_AGE_SEC });
    return redirect;
  }

  const match = /^\/r\/([^/]+)\/?$/.exec(request.nextUrl.pathname);
  let code: string | null = null;
  let segment: string | null = null;
  try {
    segment = match ? decodeURIComponent(match[1]!) : null;
  } catch {
    segment = null; // malformed percent-encoding
  }
  if (segment !== null) {
    code = normaliseCode(segment);
    // A link a chat app cut with the message's punctuation on it goes to the link meant, query kept.
    const meant = code ? null : codeInLink(segment);
    if (meant) {
      const url = request.nextUrl.clone();
      url.pathname = `/r/${meant}`;
      return NextResponse.redirect(url, 308);
    }
  }
  if (!match) return cached ?? NextResponse.next({ request: { headers: requestHeaders } });
  const base = { httpOnly: true, sameSite: "lax" as const, secure, path: "/" };

  // A stable anonymous visitor id, passed to the page as a request header on the first visit too.
  let visitor = request.cookies.get(VISITOR_COOKIE)?.value;
  const newVisitor = !visitor || !/^[0-9a-f-]{36}$/.test(visitor);
  if (newVisitor) visitor = crypto.randomUUID();
  requestHeaders.set("x-fm-visitor", visitor!);
  // Whether the id was minted now (the visit-count budget per network is for those): ours to say, never the client's.
  if (newVisitor) requestHeaders.set("x-fm-visitor-new", "1");
  else requestHeaders.delete("x-fm-visitor-new");

  const response = cached ?? NextResponse.next({ request: { headers: requestHeaders } });
  // A copy served from the page cache was not rendered for this view: count the visit here (a person's only).
  if (cached && code && !isCrawler(request.headers.get("user-agent"))) landingViewed(code, visitor!, newVisitor ? clientNetwork(request.headers) : null);
  if (newVisitor) response.cookies.set(VISITOR_COOKIE, visitor!, { ...base, maxAge: VISITOR_COOKIE_MAX_AGE_SEC });
  if (code) {
    const nowSec = Math.floor(Date.now() / 1000);
    const currentRaw = request.cookies.get(REF_COOKIE)?.value;
    const current = parseRefCookie(currentRaw);
    if (current && currentRaw && current.code !== code) {
      // Kept as it was written, visit time and all: the rules' window applies to it at sign-up.
      response.cookies.set(REF_PREV_COOKIE, currentRaw, { ...base, maxAge: current.visitedAtSec + REF_COOKIE_MAX_AGE_SEC - nowSec });
    }
    response.cookies.set(REF_COOKIE, formatRefCookie(code, nowSec), { ...base, maxAge: REF_COOKIE_MAX_AGE_SEC });
  }
  return response;
}

export const config = {
  // Every request (pages, API routes, /media, build assets) but the dev server's HMR socket.
  matcher: ["/((?!_next/webpack-hmr).*)"],
};
