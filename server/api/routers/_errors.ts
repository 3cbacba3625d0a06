import { TRPCError } from "@trpc/server";
import { DomainError } from "@/server/context";

/** Public origin for the payment provider's notify/return URLs (configured, else the request's Host). */
export function requestOrigin(headers: Headers): string {
  const configured = process.env.SITE_URL || process.env.NEXTAUTH_URL;
  if (configured) return new URL(configured).origin;
  const host = headers.get("host") ?? "localhost:3000";
  return `${/^(localhost|127\.|\[::1\])/.test(host) ? "http" : "https"}://${host}`;
}

/** A domain "not found" (someone else's order or address) becomes tRPC NOT_FOUND, not BAD_REQUEST. */
export async function notFoundAware<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof DomainError && e.code.endsWith("NOT_FOUND")) throw new TRPCError({ code: "NOT_FOUND", message: e.message }); // no DomainError cause: it would turn into BAD_REQUEST
    throw e;
  }
}
