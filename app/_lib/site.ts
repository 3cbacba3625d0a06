import "server-only";
import { headers } from "next/headers";

/**
 * The public origin for absolute links (share links, Open Graph URLs): SITE_URL or NEXTAUTH_URL
 * when set; otherwise the request's Host (X-Forwarded-Host/Proto only behind a trusted proxy).
 */
export async function siteOrigin(): Promise<string> {
  const configured = process.env.SITE_URL || process.env.NEXTAUTH_URL;
  if (configured) return new URL(configured).origin;
  const h = await headers();
  const trusted = Number(process.env.TRUST_PROXY ?? "0") >= 1;
  const host = (trusted && h.get("x-forwarded-host")) || h.get("host") || "localhost:3000";
  const proto = (trusted && h.get("x-forwarded-proto")?.split(",")[0]?.trim()) || (/^(localhost|127\.|\[::1\])/.test(host) ? "http" : "https");
  return `${proto}://${host}`;
}
