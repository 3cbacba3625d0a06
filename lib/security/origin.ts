// Cross-site request refusal for state-changing requests (tRPC mutations, server actions): a browser
// sends Origin and Sec-Fetch-Site with every POST, so a form or fetch from another site is told apart
// from our own pages. A request without either comes from no browser (scripts, server-to-server)
// and cannot ride a shopper's cookies, so it is not refused here.

export const CROSS_SITE_MESSAGE = "跨站请求已拒绝：请在本站页面上操作 (cross-site request refused)";

/**
 * Why the request must be refused, or null. `allowedOrigin` is the public origin (SITE_URL); without
 * one (development with no settings) the Origin must name the host the request was sent to.
 */
export function crossSiteRefusal(headers: Pick<Headers, "get">, allowedOrigin: string | null): string | null {
  const site = headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return `Sec-Fetch-Site: ${site}`;
  const origin = headers.get("origin");
  if (origin === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return `Origin: ${origin.slice(0, 100)}`; // "null" (sandboxed frames, file:) or garbage
  }
  if (allowedOrigin !== null) return parsed.origin === allowedOrigin ? null : `Origin: ${parsed.origin}`;
  const host = headers.get("host");
  return host !== null && parsed.host === host ? null : `Origin: ${parsed.origin}`;
}
