import { TRPCError } from "@trpc/server";
import { DomainError } from "@/server/context";

/** A domain "not found" (someone else's order or address) becomes tRPC NOT_FOUND, not BAD_REQUEST. */
export async function notFoundAware<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof DomainError && e.code.endsWith("NOT_FOUND")) throw new TRPCError({ code: "NOT_FOUND", message: e.message }); // no DomainError cause: it would turn into BAD_REQUEST
    throw e;
  }
}
