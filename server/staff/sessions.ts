// Staff sign-in and sessions (issue 9).
//
// Design: staff do not use next-auth. A successful sign-in creates a StaffSession row and sets the
// httpOnly, SameSite=Strict cookie `fm_staff` to a random token whose sha256 is the row's key; every
// staff request looks the row up (revoked, expired, idle, disabled account → refused), so revoking a
// session or disabling an account takes effect on the next request. The shopper's next-auth JWT
// cookie is a different cookie that staff checks never read, so a shopper session gets nothing here.
//
// Times here are wall-clock (callers pass real time): TOTP codes follow the authenticator's clock,
// and lock-outs and session expiry are real-world security limits, not business time.
import { createHash, randomBytes } from "node:crypto";
import type { Db, Tx } from "../db";
import { audit } from "../audit";
import { dummyPasswordHash, verifyPassword } from "./password";
import { checkTotp, decryptTotpSecret } from "./totp";
import type { StaffRole } from "./roles";
import { mustEnrolTotp } from "./policy";
import { addressBlockedUntil, recordAddressFailure, signInAddressKey } from "./sign-in-limit";

export const STAFF_COOKIE = "fm_staff";
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MS = 15 * 60_000;
/** Wrong passwords during a lock after which even the right one is no longer told the account is locked. */
export const LOCKED_GUESSES = 5;
/** Wrong TOTP codes (since the last accepted one) per lock of the TOTP step. */
export const TOTP_MAX_FAILED_ATTEMPTS = 5;
/** Each further lock of the TOTP step lasts twice the one before, up to this. */
export const TOTP_LOCKOUT_MAX_MS = 24 * 3600_000;
export const SESSION_MAX_MS = 12 * 3600_000;
export const SESSION_IDLE_MS = 2 * 3600_000;
const TOUCH_EVERY_MS = 60_000;

export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The staff token from a Cookie header (tRPC context and route handlers read it the same way). */
export function staffTokenFromCookieHeader(cookie: string | null | undefined): string | null {
  if (!cookie) return null;
  for (const part of cookie.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === STAFF_COOKIE) {
      const token = v.join("=");
      return /^[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
    }
  }
  return null;
}

export type SignInResult =
  | { ok: true; token: string; sessionId: number; staffId: number; expiresAt: Date; next: "totp-enrol" | "password-change" | null }
  | { ok: false; reason: "invalid" | "locked" | "totp-required" | "totp-invalid" | "totp-locked" | "address-limited"; lockedUntil?: Date };

export interface SignInInput {
  username: string;
  password: string;
  totp?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

/** How long the TOTP step locks at the n-th wrong code (a multiple of the limit): 15 min, 30 min, 1 h … 24 h. */
export function totpLockoutMs(failedCodes: number): number {
  const lock = Math.floor(failedCodes / TOTP_MAX_FAILED_ATTEMPTS);
  return Math.min(LOCKOUT_MS * 2 ** (lock - 1), TOTP_LOCKOUT_MAX_MS);
}

/**
 * Counts one wrong password of an account that is not locked, on the sign-in form and on the account page alike
 * (changing the password, turning TOTP off): one counter, one limit. Returns the count and, when it reached the
 * limit, the end of the lock it set (the caller audits it and decides what else ends).
 */
export async function countWrongPassword(tx: Tx, now: Date, staff: { id: number; failedAttempts: number; lockedUntil: Date | null }): Promise<{ failed: number; lockedUntil: Date | null }> {
  // An expired lock starts a fresh count, less the wrong guesses made during it: they are not forgiven by waiting.
  const failed = (staff.lockedUntil ? Math.max(0, staff.failedAttempts - MAX_FAILED_ATTEMPTS) : staff.failedAttempts) + 1;
  const lockedUntil = failed >= MAX_FAILED_ATTEMPTS ? new Date(now.getTime() + LOCKOUT_MS) : null;
  await tx.staffAccount.update({ where: { id: staff.id }, data: { failedAttempts: failed, lockedUntil } });
  return { failed, lockedUntil };
}

/**
 * Password, then (when enrolled) the TOTP code. A wrong password counts towards the account's
 * lock-out, a wrong code towards the TOTP step's own (which an expired lock does not reset: only an
 * accepted code does), and every refused guess towards the client address's limit, checked first.
 * The address and the account row are locked for the attempt so parallel guesses are counted one by one.
 */
export async function signIn(db: Db, now: Date, input: SignInInput): Promise<SignInResult> {
  const username = normaliseUsername(input.username);
  const ipKey = signInAddressKey(input.ip);
  return db.$transaction(async (tx) => {
    const addressRetryAt = await addressBlockedUntil(tx, ipKey, now);
    if (addressRetryAt) return { ok: false, reason: "address-limited", lockedUntil: addressRetryAt } as const;
    const [row] = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM "StaffAccount" WHERE username = ${username} FOR UPDATE`;
    const staff = row ? await tx.staffAccount.findUniqueOrThrow({ where: { id: row.id } }) : null;
    if (!staff || staff.disabledAt) {
      await verifyPassword(await dummyPasswordHash(), input.password);
      await recordAddressFailure(tx, ipKey, now);
      return { ok: false, reason: "invalid" } as const;
    }
    // A lock is told only to someone with the right password (its owner, who must learn why it fails): anyone else
    // gets a wrong password's answer, work and address count, so five guesses never show that a username exists.
    if (staff.lockedUntil && staff.lockedUntil > now) {
      const right = await verifyPassword(staff.passwordHash, input.password);
      await recordAddressFailure(tx, ipKey, now);
      // Wrong guesses during the lock still count: past LOCKED_GUESSES of them the lock tells nobody, or it would confirm a password without limit.
      if (right && staff.failedAttempts < MAX_FAILED_ATTEMPTS + LOCKED_GUESSES) return { ok: false, reason: "locked", lockedUntil: staff.lockedUntil } as const;
      if (!right) await tx.staffAccount.update({ where: { id: staff.id }, data: { failedAttempts: staff.failedAttempts + 1 } });
      return { ok: false, reason: "invalid" } as const;
    }
    const failPassword = async () => {
      await recordAddressFailure(tx, ipKey, now);
      const { failed, lockedUntil } = await countWrongPassword(tx, now, staff);
      if (lockedUntil) await audit(tx, { actor: { type: "system" }, action: "staff.locked_out", target: `staff:${staff.id}`, data: { failedAttempts: failed, ip: input.ip ?? null }, now });
      // Answered as any wrong password, at the limit too: "locked" here would tell a guesser the username exists.
      return { ok: false, reason: "invalid" } as const;
    };

    if (!(await verifyPassword(staff.passwordHash, input.password))) return failPassword();

    let totpStep: number | null = null;
    if (staff.totpEnabledAt && staff.totpSecretEnc) {
      if (staff.totpLockedUntil && staff.totpLockedUntil > now) {
        await recordAddressFailure(tx, ipKey, now);
        return { ok: false, reason: "totp-locked", lockedUntil: staff.totpLockedUntil } as const;
      }
      const code = (input.totp ?? "").trim();
      // Right password, no code yet: ask for it without counting a failure.
      if (!code) return { ok: false, reason: "totp-required" } as const;
      // A replayed code (its step not after the last accepted one) is a wrong code like any other.
      totpStep = await checkTotp(decryptTotpSecret(staff.totpSecretEnc), code, now, staff.totpLastStep);
      if (totpStep === null) return failTotp(tx, now, staff.id, staff.totpFailedAttempts, input.ip ?? null, ipKey);
    }

    const token = randomBytes(32).toString("base64url");
    const expiresAt = new Date(now.getTime() + SESSION_MAX_MS);
    const session = await tx.staffSession.create({
      data: {
        staffId: staff.id,
        tokenHash: tokenHash(token),
        mfaPassed: totpStep !== null,
        createdAt: now,
        lastSeenAt: now,
        expiresAt,
        ip: input.ip ?? null,
        userAgent: input.userAgent?.slice(0, 300) ?? null,
      },
    });
    await tx.staffAccount.update({
      where: { id: staff.id },
      data: { failedAttempts: 0, lockedUntil: null, lastSignInAt: now, ...(totpStep !== null ? { totpLastStep: totpStep, totpFailedAttempts: 0, totpLockedUntil: null } : {}) },
    });
    await audit(tx, { actor: { type: "staff", id: staff.id }, action: "staff.signed_in", target: `staff:${staff.id}`, data: { session: session.id, mfa: totpStep !== null, ip: input.ip ?? null }, now });
    const next = (await mustEnrolTotp(tx, staff)) ? "totp-enrol" : staff.mustChangePassword ? "password-change" : null;
    return { ok: true, token, sessionId: session.id, staffId: staff.id, expiresAt, next } as const;
    // Guesses at one account queue on its row lock, each holding it for a password hash.
  }, { maxWait: 30_000, timeout: 30_000 });
}

/** Counts a wrong TOTP code; every TOTP_MAX_FAILED_ATTEMPTS-th locks the TOTP step, each lock longer than the last. */
async function failTotp(tx: Tx, now: Date, staffId: number, failedSoFar: number, ip: string | null, ipKey: string): Promise<SignInResult> {
  await recordAddressFailure(tx, ipKey, now);
  const failed = failedSoFar + 1;
  if (failed % TOTP_MAX_FAILED_ATTEMPTS !== 0) {
    await tx.staffAccount.update({ where: { id: staffId }, data: { totpFailedAttempts: failed } });
    return { ok: false, reason: "totp-invalid" };
  }
  const lockedUntil = new Date(now.getTime() + totpLockoutMs(failed));
  await tx.staffAccount.update({ where: { id: staffId }, data: { totpFailedAttempts: failed, totpLockedUntil: lockedUntil } });
  // Only someone holding the password gets this far: the audit log tells the owner.
  await audit(tx, { actor: { type: "system" }, action: "staff.totp_locked", target: `staff:${staffId}`, data: { failedCodes: failed, lockedUntil: lockedUntil.toISOString(), ip }, now });
  return { ok: false, reason: "totp-locked", lockedUntil };
}

export interface StaffIdentity {
  sessionId: number;
  staffId: number;
  username: string;
  displayName: string;
  role: StaffRole;
  /** The session may use the back office; otherwise only the account page (to finish set-up). */
  ready: boolean;
  /** Set-up left to do before `ready`. */
  pending: "totp-enrol" | "password-change" | null;
}

/** The identity behind a staff token, or null when the session is unknown, revoked, expired or idle. */
export async function validateStaffSession(db: Db | Tx, token: string | null, now: Date): Promise<StaffIdentity | null> {
  if (!token) return null;
  const session = await db.staffSession.findUnique({ where: { tokenHash: tokenHash(token) }, include: { staff: true } });
  if (!session || session.revokedAt || session.expiresAt <= now) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > SESSION_IDLE_MS) return null;
  const staff = session.staff;
  if (staff.disabledAt) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.staffSession.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  const pending = (await mustEnrolTotp(db, staff)) ? "totp-enrol" : staff.mustChangePassword ? "password-change" : null;
  // An account with TOTP must have passed it in this session (it may have been enrolled since).
  const mfaOk = !staff.totpEnabledAt || session.mfaPassed;
  return {
    sessionId: session.id,
    staffId: staff.id,
    username: staff.username,
    displayName: staff.displayName,
    role: staff.role,
    ready: pending === null && mfaOk,
    pending,
  };
}

/** Ends one session (signing out, or revoked by its owner or by the shop owner). */
export async function revokeSession(tx: Tx, now: Date, sessionId: number, by: { staffId: number; requestId?: string | null }): Promise<boolean> {
  const updated = await tx.staffSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now, revokedById: by.staffId } });
  if (updated.count === 0) return false;
  const s = await tx.staffSession.findUniqueOrThrow({ where: { id: sessionId }, select: { staffId: true } });
  await audit(tx, { actor: { type: "staff", id: by.staffId }, action: "staff.session_revoked", target: `staff:${s.staffId}`, data: { session: sessionId }, requestId: by.requestId, now });
  return true;
}

export async function revokeAllSessions(tx: Tx, now: Date, staffId: number, by: number, exceptSessionId?: number): Promise<number> {
  const r = await tx.staffSession.updateMany({
    where: { staffId, revokedAt: null, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
    data: { revokedAt: now, revokedById: by },
  });
  return r.count;
}

export async function listSessions(db: Db | Tx, staffId: number, now: Date) {
  const rows = await db.staffSession.findMany({ where: { staffId }, orderBy: { createdAt: "desc" }, take: 50 });
  return rows.map((s) => ({
    id: s.id,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    expiresAt: s.expiresAt,
    ip: s.ip,
    userAgent: s.userAgent,
    active: !s.revokedAt && s.expiresAt > now && now.getTime() - s.lastSeenAt.getTime() <= SESSION_IDLE_MS,
    revokedAt: s.revokedAt,
  }));
}
