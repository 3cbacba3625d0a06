import "server-only";
import { headers } from "next/headers";
import { configuredSiteOrigin, isProduction, serverOrigin } from "@/server/env";

/**
 * The public origin for absolute links (share links, Open Graph URLs): SITE_URL or NEXTAUTH_URL
 * (required in production); in development otherwise the request's Host (X-Forwarded-Host/Proto only
 * behind a trusted proxy), so a phone on the LAN gets working links.
 */
export async function siteOrigin(): Promise<string> {
  const configured = configuredSiteOrigin();
  if (configured) return configured;
  if (isProduction()) return serverOrigin(); // throws: production never trusts the Host header
  const h = await headers();
  const trusted = Number(process.env.TRUST_PROXY ?? "0") >= 1;
  const host = (trusted && h.get("x-forwarded-host")) || h.get("host") || "localhost:3000";
  const proto = (trusted && h.get("x-forwarded-proto")?.split(",")[0]?.trim()) || (/^(localhost|127\.|\[::1\])/.test(host) ? "http" : "https");
  return `${proto}://${host}`;
}
