// Called by the landing page of a code that belongs to nobody: proxy.ts has already made that code
// the current fm_ref, so put the previous link back (or drop the dead one). The latest *valid*
// link wins.
import { cookies } from "next/headers";
import { normaliseCode } from "@/server/referral/codes";
import { parseRefCookie, REF_COOKIE, REF_COOKIE_MAX_AGE_SEC, REF_PREV_COOKIE } from "@/server/auth/request";
import { withErrorResponse } from "@/app/_lib/route-errors";
import { CROSS_SITE_MESSAGE, crossSiteRefusal } from "@/lib/security/origin";
import { configuredSiteOrigin } from "@/server/env";
import { servedOverHttps } from "@/lib/security/headers";

export const POST = withErrorResponse("ref/forget", async (req: Request) => {
  // Only the landing page of this site may drop the visitor's referral link, as tRPC mutations are refused.
  const crossSite = crossSiteRefusal(req.headers, configuredSiteOrigin());
  if (crossSite) {
    console.warn(`[security] cross-site ref/forget refused (${crossSite})`);
    return Response.json({ error: CROSS_SITE_MESSAGE }, { status: 403 });
  }
  const code = normaliseCode(new URL(req.url).searchParams.get("code"));
  const jar = await cookies();
  const current = parseRefCookie(jar.get(REF_COOKIE)?.value);
  if (code && current?.code === code) {
    const prevRaw = jar.get(REF_PREV_COOKIE)?.value;
    const prev = parseRefCookie(prevRaw);
    // As HSTS decides it: behind a TLS proxy the request itself came over plain http.
    const secure = servedOverHttps(process.env, new URL(req.url).protocol, req.headers);
    if (prev && prevRaw) {
      jar.set(REF_COOKIE, prevRaw, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: prev.visitedAtSec + REF_COOKIE_MAX_AGE_SEC - Math.floor(Date.now() / 1000) });
    } else {
      jar.delete(REF_COOKIE);
    }
    jar.delete(REF_PREV_COOKIE);
  }
  return new Response(null, { status: 204 });
});
