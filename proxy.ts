// Share-link attribution (SPEC §2): visiting /r/{code} stores the code in the first-party fm_ref
// cookie for the attribution window; the most recent valid-looking link wins. Server components
// cannot set cookies, so it happens here, before the landing page renders. Whether the code
// belongs to a member is checked at sign-up (an unknown code binds nobody).
import { NextResponse, type NextRequest } from "next/server";
import { normaliseCode } from "@/server/referral/codes";
import { REF_COOKIE, REF_COOKIE_MAX_AGE_SEC, VISITOR_COOKIE } from "@/server/auth/request";

export function proxy(request: NextRequest) {
  const match = /^\/r\/([^/]+)\/?$/.exec(request.nextUrl.pathname);
  const code = match ? normaliseCode(decodeURIComponent(match[1]!)) : null;
  const secure = request.nextUrl.protocol === "https:";

  // A stable anonymous visitor id, passed to the page as a request header on the first visit too.
  let visitor = request.cookies.get(VISITOR_COOKIE)?.value;
  const newVisitor = !visitor || !/^[0-9a-f-]{36}$/.test(visitor);
  if (newVisitor) visitor = crypto.randomUUID();
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-fm-visitor", visitor!);

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  if (newVisitor) {
    response.cookies.set(VISITOR_COOKIE, visitor!, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: 365 * 24 * 3600 });
  }
  if (code) {
    response.cookies.set(REF_COOKIE, code, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: REF_COOKIE_MAX_AGE_SEC });
  }
  return response;
}

export const config = {
  matcher: ["/r/:code"],
};
