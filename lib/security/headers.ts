// Security headers for every response (issue 8, HTTP hardening), set by proxy.ts. Pure functions so
// the policy is unit-tested without a server (tests/security-headers.test.ts).
//
// Pages get a nonce-based Content-Security-Policy: Next.js reads the nonce from the request's CSP
// header and puts it on its own inline and bundle scripts, so no inline script runs without it.
// Everything else (API answers, uploaded pictures, build assets) gets a policy that loads nothing.

export interface SecurityContext {
  /** Per-request nonce for the page's scripts (pages only). */
  nonce?: string;
  /** `next dev`: React's refresh and error overlay need eval. Never in a production build. */
  dev: boolean;
  /** Served over https: HSTS and upgrade-insecure-requests. */
  https: boolean;
}

/** 128 random bits, base64: unguessable and fresh for every request. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/** Where WeChat serves jweixin (the JS-SDK): the main host and its backup. */
export const WECHAT_SCRIPT_HOSTS = ["https://res.wx.qq.com", "https://res2.wx.qq.com"] as const;
export const WECHAT_AVATAR_HOSTS = ["https://thirdwx.qlogo.cn", "https://wx.qlogo.cn"] as const;

/** The policy of an HTML page: scripts only with this request's nonce (and what they load). */
export function pagePolicy({ nonce, dev, https }: SecurityContext): string {
  if (!nonce) throw new Error("a page policy needs a nonce");
  return [
    "default-src 'self'",
    // 'strict-dynamic': chunks loaded by a nonced script run too; 'self' is then ignored by modern browsers.
    // The WeChat JS-SDK hosts: loaded (inside WeChat only) by our nonced code, which 'strict-dynamic' allows;
    // the host list is for browsers that predate 'strict-dynamic'.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' ${WECHAT_SCRIPT_HOSTS.join(" ")}${dev ? " 'unsafe-eval'" : ""}`,
    // React renders style attributes (style={{…}}); a style nonce would make browsers ignore 'unsafe-inline'.
    "style-src 'self' 'unsafe-inline'",
    // WeChat avatars (snsapi_userinfo headimgurl) come from WeChat's CDN.
    `img-src 'self' data: blob: ${WECHAT_AVATAR_HOSTS.join(" ")}`,
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** The policy of anything that is not a page (JSON, pictures, assets): it loads and runs nothing, is never framed. */
export const RESOURCE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

export const HSTS = "max-age=31536000";

/** The headers every response carries; `Content-Security-Policy` is the page policy when a nonce is given. */
export function securityHeaders(ctx: SecurityContext): Record<string, string> {
  return {
    "Content-Security-Policy": ctx.nonce ? pagePolicy(ctx) : RESOURCE_POLICY,
    "X-Content-Type-Options": "nosniff",
    // Share links carry a referral code in the path: other sites get the origin only.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
    // For browsers without frame-ancestors.
    "X-Frame-Options": "DENY",
    ...(ctx.https ? { "Strict-Transport-Security": HSTS } : {}),
  };
}

/**
 * Whether the client reached us over https: SITE_URL is https (a deployment behind TLS), the
 * request itself came in over TLS, or a trusted proxy (TRUST_PROXY ≥ 1) says so in X-Forwarded-Proto.
 */
export function servedOverHttps(env: Record<string, string | undefined>, requestProtocol: string, headers: Pick<Headers, "get">): boolean {
  if (/^https:/i.test(env.SITE_URL ?? "")) return true;
  if (requestProtocol === "https:") return true;
  const trusted = Number.parseInt(env.TRUST_PROXY ?? "0", 10) >= 1;
  return trusted && headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}

/** Paths that are never an HTML page: their responses get the resource policy (no nonce). */
export function isResourcePath(pathname: string): boolean {
  return /^\/(api|media|_next)(\/|$)/.test(pathname) || /\.(png|jpe?g|gif|webp|avif|svg|ico|txt|xml|json|webmanifest|woff2?|css|js|map)$/i.test(pathname);
}
