// Session validity beyond the JWT's signature: every authenticated request re-reads the member, so a
// frozen shopper is refused at once and "sign out everywhere" (a bumped session version) ends every
// session signed before it.
import type { Db } from "../db";
import { appNow } from "../clock/app-clock";

/** How fresh the member's lastActiveAt is kept: one write per member per step at most, not one per request. */
export const ACTIVITY_STEP_MS = 10 * 60_000;

/**
 * Whether a session for this member, signed at this session version, may still be used. A session
 * still in use also records the member's activity (lastActiveAt), when the last record is a step old.
 */
export async function sessionIsCurrent(db: Db, memberId: number, sessionVersion: number | undefined, now: Date = appNow()): Promise<boolean> {
  const member = await db.member.findUnique({ where: { id: memberId }, select: { frozen: true, sessionVersion: true, lastActiveAt: true } });
  const current = Boolean(member && !member.frozen && member.sessionVersion === (sessionVersion ?? 0));
  if (current && (!member!.lastActiveAt || now.getTime() - member!.lastActiveAt.getTime() >= ACTIVITY_STEP_MS)) {
    await db.member.update({ where: { id: memberId }, data: { lastActiveAt: now } });
  }
  return current;
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
