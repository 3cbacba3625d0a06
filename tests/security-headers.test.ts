// HTTP hardening (issue 8): the security headers every response gets from proxy.ts, the per-request
// CSP nonce Next.js reads from the request, and the 403 for a server action posted from another site.
import { afterEach, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { HSTS, isResourcePath, pagePolicy, RESOURCE_POLICY, securityHeaders, servedOverHttps } from "../lib/security/headers";
import { CROSS_SITE_MESSAGE, crossSiteRefusal } from "../lib/security/origin";
import { proxy } from "../proxy";

const SITE = "http://127.0.0.1:3110";

function directive(policy: string, name: string): string | undefined {
  return policy.split(";").map((d) => d.trim()).find((d) => d === name || d.startsWith(`${name} `));
}

/** The nonce in a policy's script-src. */
function nonceOf(policy: string): string | undefined {
  return /'nonce-([^']+)'/.exec(directive(policy, "script-src") ?? "")?.[1];
}

/** The request headers proxy.ts hands on to the page (NextResponse.next({ request: { headers } })). */
function forwardedRequestHeader(res: Response, name: string): string | null {
  return res.headers.get(`x-middleware-request-${name}`);
}

afterEach(() => vi.unstubAllEnvs());

describe("the page policy", () => {
  const policy = pagePolicy({ nonce: "abc123", dev: false, https: false });

  it("runs scripts only with the request's nonce: no 'unsafe-inline', no 'unsafe-eval' in production", () => {
    // The two WeChat JS-SDK hosts are named for browsers without 'strict-dynamic' (which ignores host lists).
    expect(directive(policy, "script-src")).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic' https://res.wx.qq.com https://res2.wx.qq.com");
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(policy).not.toContain("unsafe-eval");
  });

  it("shows WeChat avatars from WeChat's CDN and no other outside picture", () => {
    expect(directive(policy, "img-src")).toBe("img-src 'self' data: blob: https://thirdwx.qlogo.cn https://wx.qlogo.cn");
  });

  it("cannot be framed, loads no plugins, posts forms only to itself", () => {
    expect(directive(policy, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive(policy, "object-src")).toBe("object-src 'none'");
    expect(directive(policy, "form-action")).toBe("form-action 'self'");
    expect(directive(policy, "base-uri")).toBe("base-uri 'self'");
  });

  it("allows eval only to the development server (React refresh)", () => {
    expect(directive(pagePolicy({ nonce: "n", dev: true, https: false }), "script-src")).toContain("'unsafe-eval'");
  });

  it("upgrades insecure requests only over https (it would break http://localhost)", () => {
    expect(directive(policy, "upgrade-insecure-requests")).toBeUndefined();
    expect(directive(pagePolicy({ nonce: "n", dev: false, https: true }), "upgrade-insecure-requests")).toBeDefined();
  });
});

describe("security headers", () => {
  it("every response: nosniff, referrer policy, permissions policy, no framing", () => {
    for (const h of [securityHeaders({ nonce: "n", dev: false, https: false }), securityHeaders({ dev: false, https: false })]) {
      expect(h["X-Content-Type-Options"]).toBe("nosniff");
      expect(h["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
      expect(h["Permissions-Policy"]).toContain("camera=()");
      expect(h["X-Frame-Options"]).toBe("DENY");
      expect(directive(h["Content-Security-Policy"]!, "frame-ancestors")).toBe("frame-ancestors 'none'");
    }
  });

  it("non-pages get a policy that loads nothing", () => {
    expect(securityHeaders({ dev: false, https: false })["Content-Security-Policy"]).toBe(RESOURCE_POLICY);
    expect(directive(RESOURCE_POLICY, "default-src")).toBe("default-src 'none'");
  });

  it("HSTS only when served over https", () => {
    expect(securityHeaders({ dev: false, https: false })["Strict-Transport-Security"]).toBeUndefined();
    expect(securityHeaders({ dev: false, https: true })["Strict-Transport-Security"]).toBe(HSTS);
  });

  it("https: SITE_URL https, a TLS request, or X-Forwarded-Proto from a trusted proxy only", () => {
    const fwd = new Headers({ "x-forwarded-proto": "https" });
    expect(servedOverHttps({ SITE_URL: "https://shop.example.com" }, "http:", new Headers())).toBe(true);
    expect(servedOverHttps({}, "https:", new Headers())).toBe(true);
    expect(servedOverHttps({ SITE_URL: "http://localhost:3000" }, "http:", fwd)).toBe(false); // anyone can send the header
    expect(servedOverHttps({ TRUST_PROXY: "1" }, "http:", fwd)).toBe(true);
    expect(servedOverHttps({ TRUST_PROXY: "1" }, "http:", new Headers({ "x-forwarded-proto": "http" }))).toBe(false);
  });

  it("tells pages from resources by path", () => {
    for (const p of ["/", "/product/3", "/merchant/orders", "/r/ABCDEF", "/login"]) expect(isResourcePath(p), p).toBe(false);
    for (const p of ["/api/trpc/catalog.home", "/media/ab/cd.webp", "/_next/static/chunks/x.js", "/icon.svg", "/products/tea.png"]) expect(isResourcePath(p), p).toBe(true);
  });
});

describe("cross-site refusal", () => {
  const h = (o: Record<string, string>) => new Headers({ host: "127.0.0.1:3110", ...o });

  it("refuses another site's Origin or a cross-site / same-site Sec-Fetch-Site", () => {
    expect(crossSiteRefusal(h({ origin: "https://evil.example" }), SITE)).toMatch(/Origin/);
    expect(crossSiteRefusal(h({ origin: "null" }), SITE)).toMatch(/Origin/);
    expect(crossSiteRefusal(h({ "sec-fetch-site": "cross-site" }), SITE)).toMatch(/Sec-Fetch-Site/);
    expect(crossSiteRefusal(h({ "sec-fetch-site": "same-site", origin: SITE }), SITE)).toMatch(/Sec-Fetch-Site/);
    // Same host, other scheme or port: another origin.
    expect(crossSiteRefusal(h({ origin: "https://127.0.0.1:3110" }), SITE)).toMatch(/Origin/);
  });

  it("lets our own pages and non-browser clients through", () => {
    expect(crossSiteRefusal(h({ origin: SITE, "sec-fetch-site": "same-origin" }), SITE)).toBeNull();
    expect(crossSiteRefusal(h({}), SITE)).toBeNull();
  });

  it("without SITE_URL (development) the Origin must name the host the request was sent to", () => {
    expect(crossSiteRefusal(h({ origin: "http://127.0.0.1:3110" }), null)).toBeNull();
    expect(crossSiteRefusal(h({ origin: "http://192.168.1.9:3110" }), null)).toMatch(/Origin/);
  });
});

describe("proxy.ts", () => {
  const get = (path: string, headers: Record<string, string> = {}) => proxy(new NextRequest(`${SITE}${path}`, { headers }));

  it("gives a page a fresh nonce per request, in the response and in the request Next renders with", async () => {
    vi.stubEnv("SITE_URL", SITE);
    const a = await get("/");
    const b = await get("/");
    const policy = a.headers.get("content-security-policy")!;
    const nonce = nonceOf(policy);
    expect(nonce).toMatch(/^[A-Za-z0-9+/=]{20,}$/);
    expect(nonceOf(b.headers.get("content-security-policy")!)).not.toBe(nonce);
    // Next.js reads the nonce from the request's CSP header and puts it on its own scripts.
    expect(forwardedRequestHeader(a, "content-security-policy")).toBe(policy);
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    expect(a.headers.get("strict-transport-security")).toBeNull();
  });

  it("puts the headers on API answers, media and redirects too", async () => {
    for (const path of ["/api/trpc/catalog.home", "/media/ab/cd.webp", "/_next/static/chunks/main.js"]) {
      const res = await get(path);
      expect(res.headers.get("content-security-policy"), path).toBe(RESOURCE_POLICY);
      expect(res.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
    }
    const redirect = await get("/?lang=en");
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get("x-frame-options")).toBe("DENY");
  });

  it("sends HSTS when SITE_URL is https, or behind a trusted proxy that saw https", async () => {
    vi.stubEnv("SITE_URL", "https://shop.example.com");
    expect((await get("/")).headers.get("strict-transport-security")).toBe(HSTS);
    vi.stubEnv("SITE_URL", SITE);
    expect((await get("/", { "x-forwarded-proto": "https" })).headers.get("strict-transport-security")).toBeNull();
    vi.stubEnv("TRUST_PROXY", "1");
    expect((await get("/", { "x-forwarded-proto": "https" })).headers.get("strict-transport-security")).toBe(HSTS);
  });

  it("adds 'unsafe-eval' only under next dev", async () => {
    vi.stubEnv("NODE_ENV", "development");
    expect((await get("/")).headers.get("content-security-policy")).toContain("'unsafe-eval'");
    vi.stubEnv("NODE_ENV", "production");
    expect((await get("/")).headers.get("content-security-policy")).not.toContain("'unsafe-eval'");
  });

  it("answers a server action posted from another site with 403, not Next's 500", async () => {
    vi.stubEnv("SITE_URL", SITE);
    const post = (origin: string) =>
      proxy(new NextRequest(`${SITE}/merchant/login`, { method: "POST", headers: { origin, "next-action": "abc123", "content-type": "text/plain" }, body: "[]" }));
    const refused = await post("https://evil.example");
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe(CROSS_SITE_MESSAGE);
    expect(refused.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const ours = await post(SITE);
    expect(ours.status).toBe(200);
    expect(ours.headers.get("x-middleware-next")).toBe("1");
  });
});
