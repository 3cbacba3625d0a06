// tRPC callers with a fake next-auth session, for router tests.
import { TRPCError } from "@trpc/server";
import type { Session } from "next-auth";
import type { Db } from "../../server/db";
import { createCaller } from "../../server/api/root";

export type Role = "SHOPPER" | "STAFF" | "ADMIN";

export function session(id: number, role: Role = "SHOPPER"): Session {
  return { user: { id, role, nickname: null, phoneMasked: null, referralCode: "" }, expires: new Date(Date.now() + 3600_000).toISOString() };
}

export function callerFor(db: Db, id: number | null, role?: Role) {
  return createCaller({ db, session: id === null ? null : session(id, role), headers: new Headers({ host: "127.0.0.1:3100" }) });
}

/** The TRPCError a call is refused with (fails the test when the call succeeds). */
export async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected a refusal");
}
