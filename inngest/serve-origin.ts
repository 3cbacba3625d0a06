// The origin Inngest is told to call at a sync. Behind a TLS proxy the request reaching the app says http:// and an
// internal host, and the SDK would register that URL: the shop's public origin (SITE_URL) is the right one.
import { configuredSiteOrigin, type Env } from "@/server/env";

/** INNGEST_SERVE_ORIGIN when set (the SDK's own override, which the option would otherwise shadow), else SITE_URL's origin. */
export function inngestServeOrigin(env: Env = process.env): string | undefined {
  return env.INNGEST_SERVE_ORIGIN || configuredSiteOrigin(env) || undefined;
}
