import { getServerSession } from "next-auth";
import { authOptions } from "./options";

export { authOptions };

/** The signed-in shopper's session in server components, route handlers and tRPC. */
export function getServerAuthSession() {
  return getServerSession(authOptions);
}
