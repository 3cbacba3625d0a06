// tRPC callers for router tests: shoppers with a fake next-auth session, staff with a real
// StaffSession (signed in through server/staff, TOTP included) passed as the fm_staff cookie.
import { TRPCError } from "@trpc/server";
import type { Session } from "next-auth";
import { generate } from "otplib";
import type { Db } from "../../server/db";
import { createCaller } from "../../server/api/root";
import { DomainError } from "../../server/context";
import { hashPassword } from "../../server/staff/password";
import { newTotpSecret } from "../../server/staff/totp";
import { signIn, STAFF_COOKIE } from "../../server/staff/sessions";
import type { StaffRole } from "../../server/staff/roles";

export function session(id: number): Session {
  return { user: { id, nickname: null, phoneMasked: null, referralCode: "" }, expires: new Date(Date.now() + 3600_000).toISOString() };
}

export function callerFor(db: Db, id: number | null) {
  return createCaller({ db, session: id === null ? null : session(id), headers: new Headers({ host: "127.0.0.1:3100" }), staffToken: null, requestId: "test-request" });
}

/** A caller carrying a staff session token (as the fm_staff cookie would). */
export function staffCaller(db: Db, token: string | null, requestId = "test-request") {
  const headers = new Headers({ host: "127.0.0.1:3100" });
  if (token) headers.set("cookie", `${STAFF_COOKIE}=${token}`);
  return createCaller({ db, session: null, headers, staffToken: token, requestId });
}

export const TEST_STAFF_PASSWORD = "correct-horse-battery-9";
let staffSeq = 0;

/**
 * Creates a staff account of `role` with TOTP enrolled and signs it in for real (password + code).
 * Returns the account id, its session token, its TOTP secret and a caller.
 */
export async function signedInStaff(db: Db, role: StaffRole, opts: { username?: string; totp?: boolean } = {}) {
  const username = opts.username ?? `${role}${++staffSeq}${Math.random().toString(36).slice(2, 6)}`;
  const totp = opts.totp ?? true;
  const { secret, secretEnc } = newTotpSecret();
  const account = await db.staffAccount.create({
    data: {
      username,
      displayName: `测试${role}`,
      role,
      passwordHash: await hashPassword(TEST_STAFF_PASSWORD),
      createdAt: new Date(),
      ...(totp ? { totpSecretEnc: secretEnc, totpEnabledAt: new Date() } : {}),
    },
  });
  const result = await signIn(db, new Date(), { username, password: TEST_STAFF_PASSWORD, totp: totp ? await generate({ secret }) : null });
  if (!result.ok) throw new Error(`test staff sign-in failed: ${result.reason}`);
  return { id: account.id, username, token: result.token, sessionId: result.sessionId, secret, caller: staffCaller(db, result.token) };
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

/** The domain code (DomainError) a router call is refused with (fails the test when the call succeeds). */
export async function domainRefusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError && e.cause instanceof DomainError) return e.cause.code;
    throw e;
  }
  throw new Error("expected a refusal");
}
