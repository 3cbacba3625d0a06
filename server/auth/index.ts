import { getServerSession } from "next-auth";
import { authOptions } from "./options";

export { authOptions };

/** The signed-in shopper's session in server components, route handlers and tRPC. */
export function getServerAuthSession() {
  return getServerSession(authOptions);
}

/** next-auth's session cookie (plain, __Secure-, or chunked as .0, .1 …). */
const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?next-auth\.session-token(?:\.\d+)?=/;

/** Whether a request carries a session cookie at all: without one there is no session to decode or check. */
export function hasSessionCookie(cookieHeader: string | null): boolean {
  return cookieHeader !== null && SESSION_COOKIE.test(cookieHeader);
}
