// Per-address limit on failed staff sign-ins. Every attempt hashes a password with argon2 (costly on
// purpose), and the per-account lock-out does not stop one client guessing across many usernames, so
// failures are also counted per client address and, at the limit, the next attempt is refused before
// any hash is computed. The address comes from server/auth/request.ts (X-Forwarded-For only behind
// TRUST_PROXY); when it is unknown every attempt shares one larger budget, never no limit (as SMS codes).
import type { Tx } from "../db";
import { audit } from "../audit";
import { ipRateKey } from "../auth/otp";

export const ADDRESS_WINDOW_MS = 15 * 60_000;
export const ADDRESS_MAX_FAILURES = 20;
export const UNKNOWN_ADDRESS_MAX_FAILURES = 100;
const UNKNOWN = "unknown";
/** Old rows removed per failure: enough to keep up with any rate of failures, never a long delete. */
const PRUNE_BATCH = 100;

/** The key failures of this client are counted under. */
export function signInAddressKey(ip: string | null | undefined): string {
  return ip ? ipRateKey(ip) : UNKNOWN;
}

function maxFailures(ipKey: string): number {
  return ipKey === UNKNOWN ? UNKNOWN_ADDRESS_MAX_FAILURES : ADDRESS_MAX_FAILURES;
}

/**
 * Takes the address's lock for the rest of the transaction (its attempts are counted one by one) and
 * returns when it may try again if it is at its limit, else null.
 */
export async function addressBlockedUntil(tx: Tx, ipKey: string, now: Date): Promise<Date | null> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`staff-sign-in:${ipKey}`}))`;
  const since = new Date(now.getTime() - ADDRESS_WINDOW_MS);
  const limit = maxFailures(ipKey);
  const recent = await tx.staffSignInFailure.findMany({ where: { ipKey, at: { gt: since } }, orderBy: { at: "desc" }, take: limit, select: { at: true } });
  if (recent.length < limit) return null;
  // The oldest counted failure leaving the window frees a slot.
  return new Date(recent[recent.length - 1]!.at.getTime() + ADDRESS_WINDOW_MS);
}

/** Records one failed attempt (and prunes rows that left the window); the one reaching the limit is audited. */
export async function recordAddressFailure(tx: Tx, ipKey: string, now: Date): Promise<void> {
  await tx.staffSignInFailure.create({ data: { ipKey, at: now } });
  const since = new Date(now.getTime() - ADDRESS_WINDOW_MS);
  // SKIP LOCKED: a failure from another address pruning the same rows is never waited for.
  await tx.$executeRaw`DELETE FROM "StaffSignInFailure" WHERE id IN (SELECT id FROM "StaffSignInFailure" WHERE at <= ${since} ORDER BY at LIMIT ${PRUNE_BATCH} FOR UPDATE SKIP LOCKED)`;
  const count = await tx.staffSignInFailure.count({ where: { ipKey, at: { gt: since } } });
  if (count === maxFailures(ipKey)) {
    await audit(tx, { actor: { type: "system" }, action: "staff.sign_in_throttled", target: `address:${ipKey}`, data: { failures: count, windowMinutes: ADDRESS_WINDOW_MS / 60_000 }, now });
  }
}
