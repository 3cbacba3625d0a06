// The shared-page cache (issue 14, item 6; server/page-cache.ts and proxy.ts): which requests may get a
// shared copy, that a fill is anonymous and rendered with a sentinel nonce that every copy replaces by
// its own response's nonce, freshness and invalidation, and that cached landing views are still counted.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { invalidateSharedPages, onLandingView, PAGE_FILL_HEADER, sharedPage, sharedPageKey, withNonce as copyBytes, type SharedKey, type SharedPage } from "../server/page-cache";

const withNonce = (page: SharedPage, nonce: string) => new TextDecoder().decode(copyBytes(page, nonce));
import { proxy } from "../proxy";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { VisitBuffer } from "../server/referral/visit-buffer";
import { freshDatabase } from "./helpers/db";

const SITE = "http://127.0.0.1:3140";
/** What a browser's page load asks for (a fetch by Next's router accepts any type, in Sec-Fetch-Mode cors). */
const PAGE_LOAD = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "sec-fetch-mode": "navigate" };
const PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
const WECHAT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";
const key = (path: string, headers: Record<string, string> = {}, method = "GET") => sharedPageKey(method, new URL(`${SITE}${path}`), new Headers({ ...PAGE_LOAD, ...headers }));

beforeEach(() => invalidateSharedPages());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe("which requests share a copy", () => {
  it("plain anonymous document GETs of /, /product/ID and /r/CODE[?product=ID], keyed by language and bot-ness", () => {
    expect(key("/")?.key).toBe("zh-CN browser /");
    expect(key("/product/12")?.key).toBe("zh-CN browser /product/12");
    expect(key("/r/ABC234?product=7")?.key).toBe("zh-CN browser /r/ABC234?product=7");
    expect(key("/", { cookie: "fm_lang=en; fm_vid=0f0e; fm_ref=ABC234.1800000000" })?.key).toBe("en browser /");
    expect(key("/", { cookie: "fm_lang=xx" })?.key).toBe("zh-CN browser /");
    // WeChat's in-app browser and link-preview crawlers get their metadata in <head>: another copy.
    expect(key("/r/ABC234", { "user-agent": "Mozilla/5.0 MicroMessenger/8.0.50" })?.key).toBe("zh-CN bot /r/ABC234");
  });

  it("never for a signed-in shopper, staff or any unknown cookie, nor for other pages, queries or methods", () => {
    for (const cookie of ["next-auth.session-token=x", "__Secure-next-auth.session-token.0=x", "fm_staff=x", "fm_lang=en; something=1"]) {
      expect(key("/product/1", { cookie }), cookie).toBeNull();
    }
    for (const path of ["/cart", "/me", "/product/abc", "/product/1?joined=1", "/r/ABC234?joined=1", "/?lang=en", "/?_rsc=1", "/r/AB%20C", "/category/x"]) {
      expect(key(path), path).toBeNull();
    }
    expect(key("/", {}, "POST")).toBeNull();
    expect(key("/", {}, "HEAD")).toBeNull();
  });

  it("never for the router's RSC fetches, which reach the proxy without their rsc headers and ?_rsc", () => {
    // A prefetch of / as the proxy sees it: Next has stripped rsc, next-router-prefetch, next-router-segment-prefetch and ?_rsc.
    expect(key("/", { accept: "*/*", "sec-fetch-mode": "cors", "next-url": "/product/1" })).toBeNull();
    // Older browsers without Sec-Fetch-* headers: the router's fetch still does not ask for HTML.
    expect(sharedPageKey("GET", new URL(`${SITE}/product/1`), new Headers({ accept: "*/*" }))).toBeNull();
    expect(sharedPageKey("GET", new URL(`${SITE}/product/1`), new Headers())).toBeNull();
    // A fetch() that asks for HTML is still not a page load.
    expect(key("/", { "sec-fetch-mode": "cors" })).toBeNull();
    // A crawler asking for HTML (no Sec-Fetch-*) is a page load.
    expect(sharedPageKey("GET", new URL(`${SITE}/product/1`), new Headers({ accept: "text/html" }))?.key).toBe("zh-CN browser /product/1");
  });
});

/** A stand-in server: answers each fill with a page whose scripts carry the nonce of the fill's CSP. */
function fakeServer(body: (n: number) => string, status = 200) {
  const seen: Headers[] = [];
  const fetcher = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    const h = new Headers(init?.headers);
    seen.push(h);
    const sentinel = h.get(PAGE_FILL_HEADER)!.split(" ")[1];
    return new Response(`<script nonce="${sentinel}">x</script>${body(seen.length)}<script nonce="${sentinel}">y</script>`, { status, headers: { "content-type": "text/html; charset=utf-8" } });
  });
  return { fetcher: fetcher as unknown as typeof fetch, seen, calls: () => fetcher.mock.calls.length };
}

describe("sharedPage", () => {
  const k: SharedKey = key("/product/1", { cookie: "fm_lang=en; fm_ref=ABC234.1800000000; fm_vid=v1" })!;

  it("fills once for concurrent requests, as an anonymous visitor with only the language cookie", async () => {
    const server = fakeServer(() => "page");
    const pages = await Promise.all(Array.from({ length: 5 }, () => sharedPage(k, { origin: SITE, ttlMs: 5000, fetcher: server.fetcher })));
    expect(server.calls()).toBe(1);
    expect(new Set(pages).size).toBe(1);
    expect(server.seen[0]!.get("cookie")).toBe("fm_lang=en");
    expect(withNonce(pages[0]!, "FRESH")).toBe('<script nonce="FRESH">x</script>page<script nonce="FRESH">y</script>');
  });

  it("serves a copy for ttl, a stale one while one refresh runs up to 2 × ttl, and fills again after", async () => {
    const server = fakeServer((n) => `v${n}`);
    const t0 = Date.now();
    const at = async (ms: number) => withNonce((await sharedPage(k, { origin: SITE, ttlMs: 1000, fetcher: server.fetcher, now: t0 + ms }))!, "N");
    expect(await at(0)).toContain("v1");
    expect(await at(999)).toContain("v1");
    expect(server.calls()).toBe(1);
    expect(await at(1500)).toContain("v1"); // stale, refresh started
    await vi.waitFor(() => expect(server.calls()).toBe(2));
    await new Promise((r) => setImmediate(r));
    expect(await at(1600)).toContain("v2");
    expect(await at(100_000)).toContain("v3"); // too old to serve: filled now
  });

  it("keeps only 200 answers (a 404 is served to its requests, then rendered again)", async () => {
    const server = fakeServer(() => "gone", 404);
    expect((await sharedPage(k, { origin: SITE, ttlMs: 5000, fetcher: server.fetcher }))?.status).toBe(404);
    await sharedPage(k, { origin: SITE, ttlMs: 5000, fetcher: server.fetcher });
    expect(server.calls()).toBe(2);
  });

  it("drops every copy on a back-office change, and does not keep a fill that started before it", async () => {
    const server = fakeServer((n) => `v${n}`);
    await sharedPage(k, { origin: SITE, ttlMs: 60_000, fetcher: server.fetcher });
    invalidateSharedPages();
    expect(withNonce((await sharedPage(k, { origin: SITE, ttlMs: 60_000, fetcher: server.fetcher }))!, "N")).toContain("v2");

    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
      await gate;
      return server.fetcher(url, init);
    }) as unknown as typeof fetch;
    const k2 = key("/")!;
    const before = sharedPage(k2, { origin: SITE, ttlMs: 60_000, fetcher: slow });
    invalidateSharedPages();
    release();
    expect(withNonce((await before)!, "N")).toContain("v3");
    expect(withNonce((await sharedPage(k2, { origin: SITE, ttlMs: 60_000, fetcher: server.fetcher }))!, "N")).toContain("v4");
  });
});

describe("proxy.ts with the page cache (production, under next start)", () => {
  /** The server behind the proxy: a fill goes through the proxy again and renders with the nonce it was given. */
  function serverBehindProxy() {
    const fills: Headers[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init?: RequestInit) => {
        const res = await proxy(new NextRequest(url, { headers: init?.headers }));
        const forwarded = (name: string) => res.headers.get(`x-middleware-request-${name}`);
        fills.push(new Headers(init?.headers));
        const nonce = /'nonce-([^']+)'/.exec(forwarded("content-security-policy")!)![1];
        return new Response(`<html><script nonce="${nonce}"></script>fill=${forwarded(PAGE_FILL_HEADER)} cookie=${forwarded("cookie")}</html>`, { status: 200, headers: { "content-type": "text/html", vary: "rsc, next-router-state-tree", link: "</a.webp>; rel=preload; as=\"image\"" } });
      }),
    );
    return fills;
  }

  beforeEach(() => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("SITE_URL", SITE);
    vi.stubEnv("__NEXT_PRIVATE_ORIGIN", SITE);
    // Production requires it; a sign-up's referral code is keyed under it.
    vi.stubEnv("FIELD_ENCRYPTION_KEY", "page-cache-test-field-key-0123456789abcdef");
  });

  it("serves each anonymous view a copy whose scripts carry that response's own nonce", async () => {
    const fills = serverBehindProxy();
    const views = await Promise.all([0, 1, 2].map(() => proxy(new NextRequest(`${SITE}/`, { headers: PAGE_LOAD }))));
    expect(fills).toHaveLength(1);
    const nonces = new Set<string>();
    for (const res of views) {
      const nonce = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy")!)![1]!;
      nonces.add(nonce);
      const html = await res.text();
      expect(html).toContain(`<script nonce="${nonce}">`);
      // The page knew it was a fill (it then counts no visit) and saw no cookie but the language.
      expect(html).toContain("fill=1 cookie=fm_lang=zh-CN");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
    }
    expect(nonces.size).toBe(3);
    const again = await proxy(new NextRequest(`${SITE}/`, { headers: PAGE_LOAD }));
    expect(again.headers.get("x-fm-page-cache")).toBe("hit");
    // The copy says what the render said about varying and preloads.
    expect(again.headers.get("vary")).toBe("rsc, next-router-state-tree");
    expect(again.headers.get("link")).toBe('</a.webp>; rel=preload; as="image"');
  });

  it("passes the router's RSC fetch of a cached page on to Next (an HTML copy would leave the router's fetch unread)", async () => {
    const fills = serverBehindProxy();
    await proxy(new NextRequest(`${SITE}/`, { headers: PAGE_LOAD }));
    expect(fills).toHaveLength(1);
    const rsc = await proxy(new NextRequest(`${SITE}/`, { headers: { accept: "*/*", "sec-fetch-mode": "cors" } }));
    expect(rsc.headers.get("x-middleware-next")).toBe("1");
    expect(rsc.headers.get("x-fm-page-cache")).toBeNull();
    expect(fills).toHaveLength(1);
  });

  it("renders a signed-in shopper's view for them alone (no copy, no fill)", async () => {
    const fills = serverBehindProxy();
    const res = await proxy(new NextRequest(`${SITE}/product/1`, { headers: { ...PAGE_LOAD, cookie: "next-auth.session-token=abc" } }));
    expect(res.headers.get("x-middleware-next")).toBe("1");
    expect(fills).toHaveLength(0);
  });

  it("a request from outside cannot pose as a fill: it gets its own nonce and the page does not see the header", async () => {
    serverBehindProxy();
    const res = await proxy(new NextRequest(`${SITE}/cart`, { headers: { [PAGE_FILL_HEADER]: "guess 0123456789abcdef0123456789abcdef" } }));
    expect(res.headers.get("content-security-policy")).not.toContain("0123456789abcdef0123456789abcdef");
    expect(res.headers.get(`x-middleware-request-${PAGE_FILL_HEADER}`)).toBeNull();
  });

  it("a landing view served from the cache still sets the ref cookie and is counted", async () => {
    serverBehindProxy();
    const counted: [string, string | null][] = [];
    onLandingView((code, visitor) => counted.push([code, visitor]));
    for (let i = 0; i < 3; i++) {
      const res = await proxy(new NextRequest(`${SITE}/r/ABC234`, { headers: { ...PAGE_LOAD, "user-agent": PHONE, cookie: "fm_vid=0b7e3c52-3a43-4b6e-9d4b-0a8f3c2e1d00" } }));
      expect(res.status).toBe(200);
      expect(res.cookies.get("fm_ref")?.value).toMatch(/^ABC234_\d+$/);
      // As the browser stores it: the header carries the value as is, not percent-encoded.
      expect(res.headers.get("set-cookie")).toMatch(/(^|, )fm_ref=ABC234_\d+;/);
      expect(await res.text()).toContain("fill=1");
    }
    expect(counted).toEqual(Array.from({ length: 3 }, () => ["ABC234", "0b7e3c52-3a43-4b6e-9d4b-0a8f3c2e1d00"]));
  });

  it("a link preview's fetch of a cached landing page records no ReferralVisit; a view in WeChat records one", async () => {
    serverBehindProxy();
    const database = await freshDatabase();
    try {
      const db = database.prisma;
      const sharer = await inTx(db, { config: parseConfig({}) }, (ctx) => registerMember(ctx, { username: "sharer" }));
      const visits = new VisitBuffer(async () => db, { delayMs: 60_000, maxBatch: 1000 });
      onLandingView((code, visitorId) => visits.add({ code, visitorId, at: new Date() }));
      const view = (userAgent: string, visitor: string) =>
        proxy(new NextRequest(`${SITE}/r/${sharer.referralCode}`, { headers: { ...PAGE_LOAD, "user-agent": userAgent, cookie: `fm_vid=${visitor}` } }));
      // Both take the cache's path (the bot variant of the page: Slack and WeChat get metadata in <head>), where the
      // proxy counts the view: the copy, or the fill of it when the first one's is not stored yet (a loaded machine).
      const slack = await view("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "00000000-0000-4000-8000-00000000000a");
      const wechat = await view(WECHAT, "00000000-0000-4000-8000-00000000000b");
      expect(["hit", "fill"]).toContain(slack.headers.get("x-fm-page-cache"));
      expect(["hit", "fill"]).toContain(wechat.headers.get("x-fm-page-cache"));
      await visits.flush();
      const recorded = await db.referralVisit.findMany({ select: { memberId: true, visitorId: true } });
      // One visit, the WeChat view's (the visitor id only de-duplicates in memory: it is not stored).
      expect(recorded).toEqual([{ memberId: sharer.id, visitorId: null }]);
    } finally {
      await database.close();
    }
  });
});
