// Sign-in hardening (security review): failed staff sign-ins are limited per client address before any
// password is hashed; wrong TOTP codes lock the TOTP step on their own count, which only an accepted code
// resets; and a shopper who signs out on one device makes that session's token useless server-side
// while the member's other sessions go on.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { generate } from "otplib";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import * as password from "../server/staff/password";
import { signIn, totpLockoutMs } from "../server/staff/sessions";
import { signInAddressKey } from "../server/staff/sign-in-limit";
import { listStaff } from "../server/staff/accounts";
import { authOptions } from "../server/auth/options";
import { pruneRevokedSessions, sessionIsCurrent, signOutSession } from "../server/auth/session";
import { freshDatabase } from "./helpers/db";
import { signedInStaff, TEST_STAFF_PASSWORD } from "./helpers/caller";

const MIN = 60_000;
let database: Database;
const db = () => database.prisma;
// The next-auth callbacks read the app's database (getDb): point it at this test's for the file.
const app = globalThis as unknown as { __fmDb?: Promise<Database> };
let appDbBefore: Promise<Database> | undefined;

beforeAll(async () => {
  database = await freshDatabase();
  appDbBefore = app.__fmDb;
  app.__fmDb = Promise.resolve(database);
});
afterAll(async () => {
  app.__fmDb = appDbBefore;
  await database.close();
});
afterEach(() => vi.restoreAllMocks());

async function account(username: string) {
  return db().staffAccount.create({ data: { username, displayName: username, role: "operator", passwordHash: await password.hashPassword(TEST_STAFF_PASSWORD), createdAt: new Date() } });
}

/** A 6-digit code that is valid for none of the steps accepted at `at` (the step before, its own, the one after). */
async function wrongCode(secret: string, at: Date, n: number): Promise<string> {
  const valid = await Promise.all([-30, 0, 30].map((d) => generate({ secret, epoch: Math.floor(at.getTime() / 1000) + d })));
  for (let c = n; ; c++) {
    const code = String(c * 111_111 % 1_000_000).padStart(6, "0");
    if (!valid.includes(code)) return code;
  }
}

const codeAt = (secret: string, at: Date) => generate({ secret, epoch: Math.floor(at.getTime() / 1000) });

describe("failed staff sign-ins per client address", () => {
  it("20 failures in 15 minutes refuse the address before any password is hashed; another address is unaffected; the window slides", async () => {
    await account("ip-victim");
    const A = "203.0.113.7";
    const t0 = new Date();
    const at = (ms: number) => new Date(t0.getTime() + ms);
    // A spray across usernames: 4 wrong passwords at one account (under its own lock-out), 16 unknown names.
    for (let i = 0; i < 20; i++) {
      const username = i < 4 ? "ip-victim" : `nobody-${i}`;
      expect(await signIn(db(), at(i * 1000), { username, password: `guess-${i}-wrong`, ip: A })).toEqual({ ok: false, reason: "invalid" });
    }
    const verify = vi.spyOn(password, "verifyPassword");
    // The 21st attempt, even with the right password: refused until the first failure leaves the window.
    expect(await signIn(db(), at(30_000), { username: "ip-victim", password: TEST_STAFF_PASSWORD, ip: A })).toEqual({ ok: false, reason: "address-limited", lockedUntil: at(15 * MIN) });
    expect(await signIn(db(), at(15 * MIN - 1), { username: "nobody-x", password: "guess-x-wrong", ip: A })).toMatchObject({ ok: false, reason: "address-limited" });
    expect(verify).not.toHaveBeenCalled();
    // Refused before the account was looked at: its own count is untouched.
    expect((await db().staffAccount.findUniqueOrThrow({ where: { username: "ip-victim" } })).failedAttempts).toBe(4);

    // Another address signs in.
    expect(await signIn(db(), at(60_000), { username: "ip-victim", password: TEST_STAFF_PASSWORD, ip: "198.51.100.9" })).toMatchObject({ ok: true });
    expect(verify).toHaveBeenCalledTimes(1);

    // At t0 + 15 min the failure at t0 has left the window: 19 remain, so A may try again.
    expect(await signIn(db(), at(15 * MIN), { username: "ip-victim", password: TEST_STAFF_PASSWORD, ip: A })).toMatchObject({ ok: true });
    expect(await signIn(db(), at(15 * MIN), { username: "nobody-y", password: "guess-y-wrong", ip: A })).toEqual({ ok: false, reason: "invalid" });
    // 20 again (t0 + 1 s … t0 + 15 min): refused until the one at t0 + 1 s leaves.
    expect(await signIn(db(), at(15 * MIN), { username: "ip-victim", password: TEST_STAFF_PASSWORD, ip: A })).toEqual({ ok: false, reason: "address-limited", lockedUntil: at(15 * MIN + 1000) });

    // The failure at t0 + 15 min pruned the row that left the window.
    expect(await db().staffSignInFailure.count({ where: { at: { lte: t0 } } })).toBe(0);
    expect(await db().staffSignInFailure.count({ where: { ipKey: A } })).toBe(20);
    // Each time the limit is reached the audit log says so, with no username or password in it.
    const entries = await db().auditLog.findMany({ where: { action: "staff.sign_in_throttled" } });
    expect(entries.map((e) => e.target)).toEqual([`address:${A}`, `address:${A}`]);
    expect(JSON.stringify(entries)).not.toMatch(/nobody|ip-victim|guess/);
  });

  it("without a trusted proxy every attempt shares one budget of 100; an IPv6 client counts by its /64", async () => {
    await account("no-proxy");
    const t = new Date();
    await db().staffSignInFailure.createMany({ data: Array.from({ length: 99 }, () => ({ ipKey: "unknown", at: t })) });
    try {
      expect(await signIn(db(), t, { username: "no-proxy", password: "not-the-password", ip: null })).toEqual({ ok: false, reason: "invalid" });
      expect(await signIn(db(), t, { username: "no-proxy", password: TEST_STAFF_PASSWORD })).toEqual({ ok: false, reason: "address-limited", lockedUntil: new Date(t.getTime() + 15 * MIN) });
      expect(await signIn(db(), t, { username: "no-proxy", password: TEST_STAFF_PASSWORD, ip: "192.0.2.44" })).toMatchObject({ ok: true });
    } finally {
      await db().staffSignInFailure.deleteMany({ where: { ipKey: "unknown" } });
    }
    expect(signInAddressKey("2001:db8:1:2::5")).toBe(signInAddressKey("2001:db8:1:2:ffff::1"));
    expect(signInAddressKey("2001:db8:1:2::5")).not.toBe(signInAddressKey("2001:db8:1:3::5"));
  });
});

describe("wrong TOTP codes", () => {
  it("every fifth wrong code locks the TOTP step (15 min, then 30 …); an expired lock keeps the count, an accepted code resets it", async () => {
    const s = await signedInStaff(db(), "finance", { username: "totp-lock" });
    const ip = "192.0.2.10";
    const t0 = new Date(Date.now() + MIN);
    const attempt = (at: Date, totp: string) => signIn(db(), at, { username: "totp-lock", password: TEST_STAFF_PASSWORD, totp, ip });
    for (let i = 1; i <= 4; i++) expect(await attempt(t0, await wrongCode(s.secret, t0, i))).toEqual({ ok: false, reason: "totp-invalid" });
    expect(await attempt(t0, await wrongCode(s.secret, t0, 5))).toEqual({ ok: false, reason: "totp-locked", lockedUntil: new Date(t0.getTime() + 15 * MIN) });
    // Locked: even the right code of a fresh password sign-in is not looked at.
    const t0b = new Date(t0.getTime() + 15 * MIN - 1000);
    expect(await attempt(t0b, await codeAt(s.secret, t0b))).toEqual({ ok: false, reason: "totp-locked", lockedUntil: new Date(t0.getTime() + 15 * MIN) });
    // The owner's staff list shows the lock (StaffAdmin's badge).
    expect((await listStaff(db())).find((a) => a.id === s.id)?.totpLockedUntil).toEqual(new Date(t0.getTime() + 15 * MIN));
    // The password was right every time: the account's own lock-out is not involved.
    expect(await db().staffAccount.findUniqueOrThrow({ where: { id: s.id } })).toMatchObject({ failedAttempts: 0, lockedUntil: null, totpFailedAttempts: 5 });

    // After the lock the count goes on: codes 6–9 are refused, the 10th locks for 30 minutes.
    const t1 = new Date(t0.getTime() + 15 * MIN + 1000);
    for (let i = 6; i <= 9; i++) expect(await attempt(t1, await wrongCode(s.secret, t1, i))).toEqual({ ok: false, reason: "totp-invalid" });
    expect(await attempt(t1, await wrongCode(s.secret, t1, 10))).toEqual({ ok: false, reason: "totp-locked", lockedUntil: new Date(t1.getTime() + 30 * MIN) });

    const t2 = new Date(t1.getTime() + 30 * MIN);
    expect(await attempt(t2, await codeAt(s.secret, t2))).toMatchObject({ ok: true });
    expect(await db().staffAccount.findUniqueOrThrow({ where: { id: s.id } })).toMatchObject({ totpFailedAttempts: 0, totpLockedUntil: null });
    const locks = await db().auditLog.findMany({ where: { action: "staff.totp_locked", target: `staff:${s.id}` }, orderBy: { id: "asc" } });
    expect(locks.map((e) => (e.data as { failedCodes: number }).failedCodes)).toEqual([5, 10]);
  });

  it("a lock lasts 15 minutes, then twice as long each time, at most 24 hours", () => {
    expect([5, 10, 15, 20, 25, 30, 35, 40, 100].map((n) => totpLockoutMs(n) / MIN)).toEqual([15, 30, 60, 120, 240, 480, 960, 1440, 1440]);
  });

  it("a code already accepted is refused within its window (replay) and counts as a wrong code", async () => {
    const s = await signedInStaff(db(), "owner", { username: "totp-replay" });
    const t = new Date(Date.now() + MIN);
    const code = await codeAt(s.secret, t);
    const attempt = (at: Date, totp: string) => signIn(db(), at, { username: "totp-replay", password: TEST_STAFF_PASSWORD, totp, ip: "192.0.2.20" });
    expect(await attempt(t, code)).toMatchObject({ ok: true });
    expect(await attempt(t, code)).toEqual({ ok: false, reason: "totp-invalid" });
    // Still inside the code's ±1 step tolerance 20 s later: refused all the same.
    expect(await attempt(new Date(t.getTime() + 20_000), code)).toEqual({ ok: false, reason: "totp-invalid" });
    expect((await db().staffAccount.findUniqueOrThrow({ where: { id: s.id } })).totpFailedAttempts).toBe(2);
  });
});

describe("shopper sign-out on one device", () => {
  const config = parseConfig({});
  const jwt = (token: object, user?: object) => authOptions.callbacks!.jwt!({ token, user, account: null } as never);
  const signOut = (token: object) => authOptions.events!.signOut!({ token } as never);

  async function shopper(username: string) {
    const m = await inTx(db(), { config }, (ctx) => registerMember(ctx, { username }));
    const user = { id: String(m.id), nickname: null, phoneMasked: null, referralCode: m.referralCode, sessionVersion: m.sessionVersion };
    return { id: m.id, user };
  }

  it("refuses that session's token (and any copy of it) while the member's other session still works", async () => {
    const m = await shopper("two-phones");
    const phone = await jwt({}, m.user);
    const laptop = await jwt({}, m.user);
    expect(phone.sid).toEqual(expect.any(String));
    expect(laptop.sid).not.toBe(phone.sid);
    const stolenCopy = { ...phone };
    await expect(jwt(phone)).resolves.toMatchObject({ memberId: m.id });

    await signOut(phone);
    await expect(jwt(stolenCopy)).rejects.toThrow("SESSION_REVOKED");
    await expect(jwt(laptop)).resolves.toMatchObject({ memberId: m.id, sid: laptop.sid });
    // Signing out twice (two tabs) changes nothing.
    await signOut(phone);
    expect(await db().revokedMemberSession.count({ where: { memberId: m.id } })).toBe(1);
  });

  it("a token from before session ids, signed out, ends the member's other such tokens but not a newer session", async () => {
    const m = await shopper("old-token");
    const old = { memberId: m.id, sessionVersion: 0 };
    const fresh = await jwt({}, m.user);
    await signOut(old);
    await expect(jwt({ ...old })).rejects.toThrow("SESSION_REVOKED");
    await expect(jwt(fresh)).resolves.toMatchObject({ memberId: m.id });
  });

  it("keeps a revocation until no token of the session can be valid (30 days), then prunes it", async () => {
    const m = await shopper("pruned");
    const t = new Date("2026-06-01T00:00:00Z");
    await signOutSession(db(), m.id, "sid-pruned", t);
    const day = 24 * 3600_000;
    expect(await sessionIsCurrent(db(), m.id, 0, t, "sid-pruned")).toBe(false);
    expect(await pruneRevokedSessions(db(), new Date(t.getTime() + 30 * day - 1))).toBe(0);
    // A later sign-out prunes what has expired by then.
    await signOutSession(db(), m.id, "sid-later", new Date(t.getTime() + 30 * day));
    expect(await db().revokedMemberSession.findMany({ where: { memberId: m.id }, select: { sessionId: true } })).toEqual([{ sessionId: "sid-later" }]);
  });
});
