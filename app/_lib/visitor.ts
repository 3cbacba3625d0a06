// The visitor of a shop page rendered on the server, and the 推三返一 offer they would get.
import "server-only";
import { getDb } from "@/server/db";
import { loadConfig } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { rebateFor } from "@/server/experiments";
import { getServerAuthSession, hasSessionCookie } from "@/server/auth";

/** The signed-in member's id, or null; a request without a session cookie (the page cache's fill) reads no session. */
export async function viewerIdOf(cookie: string | null): Promise<number | null> {
  return hasSessionCookie(cookie) ? ((await getServerAuthSession())?.user?.id ?? null) : null;
}

/**
 * What the visitor is promised if they buy: the settings their own order's task would follow (their
 * experiment variant's), not a sharer's; an anonymous visitor (viewerId null): the rules in force.
 */
export async function visitorRebate(viewerId: number | null) {
  const db = await getDb();
  return rebateFor(db, await loadConfig(db), viewerId, appNow());
}
