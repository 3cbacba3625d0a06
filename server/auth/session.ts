// Session validity beyond the JWT's signature: every authenticated request re-reads the member, so a
// deleted account (server/members/deletion.ts) is refused at once and "sign out everywhere" (a bumped session
// version) ends every session signed before it. A frozen member keeps their session (SPEC §8 only stops their
// earning and withdrawing; §5 lets them buy): they follow, confirm and refund their orders and see their wallet.
// Signing out on one device revokes that session's id (the JWT's `sid`), so a copy of its cookie is refused
// afterwards while the member's other devices stay signed in.
import { randomBytes } from "node:crypto";
import type { Db } from "../db";
import { appNow } from "../clock/app-clock";

/** A shopper session's lifetime; a token refreshed while in use never outlives its last refresh by more. */
export const SESSION_MAX_AGE_S = 30 * 24 * 3600;

/** A new session id for a token signed at sign-in (128 random bits). */
export function newSessionId(): string {
  return randomBytes(16).toString("base64url");
}

/** What a token's revocation is recorded under: its session id, or for a token from before session ids, one key per member. */
function revocationKey(memberId: number, sessionId: string | undefined): string {
  return sessionId ?? `legacy:${memberId}`;
}

/** How fresh the member's lastActiveAt is kept: one write per member per step at most, not one per request. */
export const ACTIVITY_STEP_MS = 10 * 60_000;

/**
 * Whether a session for this member, signed at this session version (and with this session id), may
 * still be used. A session still in use also records the member's activity (lastActiveAt), when the
 * last record is a step old.
 */
export async function sessionIsCurrent(db: Db, memberId: number, sessionVersion: number | undefined, now: Date = appNow(), sessionId?: string): Promise<boolean> {
  // The member and the session's revocation in one round trip: this runs on every authenticated request.
  const [member] = await db.$queryRaw<{ deleted: boolean; sessionVersion: number; lastActiveAt: Date | null; revoked: boolean }[]>`
    SELECT "deletedAt" IS NOT NULL AS deleted, "sessionVersion", "lastActiveAt",
      EXISTS (SELECT 1 FROM "RevokedMemberSession" WHERE "sessionId" = ${revocationKey(memberId, sessionId)}) AS revoked
    FROM "Member" WHERE id = ${memberId}`;
  // Frozen is no reason to end a session; deleted is (deletion also bumps the session version).
  const current = Boolean(member && !member.deleted && member.sessionVersion === (sessionVersion ?? 0) && !member.revoked);
  if (current && (!member!.lastActiveAt || now.getTime() - member!.lastActiveAt.getTime() >= ACTIVITY_STEP_MS)) {
    await db.member.update({ where: { id: memberId }, data: { lastActiveAt: now } });
  }
  return current;
}

/**
 * Ends one session (signing out on its device): its id is refused until every token carrying it has
 * expired (a token is only refreshed while valid, so revokedAt + max age), and rows past that are pruned.
 * `now` is wall-clock, as token expiry is.
 */
export async function signOutSession(db: Db, memberId: number, sessionId: string | undefined, now: Date = new Date()): Promise<void> {
  const expiresAt = new Date(now.getTime() + SESSION_MAX_AGE_S * 1000);
  await db.revokedMemberSession.createMany({ data: [{ sessionId: revocationKey(memberId, sessionId), memberId, revokedAt: now, expiresAt }], skipDuplicates: true });
  await pruneRevokedSessions(db, now);
}

/** Forgets revocations no token can need any more. */
export async function pruneRevokedSessions(db: Db, now: Date = new Date()): Promise<number> {
  return (await db.revokedMemberSession.deleteMany({ where: { expiresAt: { lte: now } } })).count;
}

/** Ends every session of the member, on every device (including the one asking). */
export async function signOutEverywhere(db: Db, memberId: number): Promise<{ sessionVersion: number }> {
  const m = await db.member.update({ where: { id: memberId }, data: { sessionVersion: { increment: 1 } }, select: { sessionVersion: true } });
  return { sessionVersion: m.sessionVersion };
}

/** Thrown from the next-auth jwt callback: next-auth then clears the cookie and reports no session. */
export class SessionRevokedError extends Error {
  constructor() {
    super("SESSION_REVOKED");
    this.name = "SessionRevokedError";
  }
}
