// A locked staff account does not give itself away: wrong passwords get the answer, the password hash and the
// address count an unknown username gets (so guesses cannot tell whether a username exists), and only the right
// password is told of the lock — for a bounded number of guesses during it.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import * as password from "../server/staff/password";
import { LOCKED_GUESSES, LOCKOUT_MS, MAX_FAILED_ATTEMPTS, signIn } from "../server/staff/sessions";
import { signInAddressKey } from "../server/staff/sign-in-limit";
import { freshDatabase } from "./helpers/db";
import { TEST_STAFF_PASSWORD } from "./helpers/caller";

let database: Database;
const db = () => database.prisma;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());
afterEach(() => vi.restoreAllMocks());

async function account(username: string) {
  return db().staffAccount.create({ data: { username, displayName: username, role: "operator", passwordHash: await password.hashPassword(TEST_STAFF_PASSWORD), createdAt: new Date() } });
}
const addressFailures = (ip: string) => db().staffSignInFailure.count({ where: { ipKey: signInAddressKey(ip) } });

describe("a locked staff account", () => {
  it("answers wrong passwords as an unknown username does, hashing and counting the address each time", async () => {
    await account("known-one");
    const t0 = new Date();
    const verify = vi.spyOn(password, "verifyPassword");
    // Seven guesses at each: the fifth locks the existing account, the sixth and seventh meet the lock.
    const guesses = MAX_FAILED_ATTEMPTS + 2;
    const answers = async (username: string, ip: string) => {
      const out = [];
      for (let i = 1; i <= guesses; i++) out.push(await signIn(db(), t0, { username, password: `wrong-guess-${i}`, ip }));
      return out;
    };
    const known = await answers("known-one", "198.51.100.1");
    const unknown = await answers("no-such-one", "198.51.100.2");
    const refusal = { ok: false, reason: "invalid" };
    expect(known).toEqual(Array.from({ length: guesses }, () => refusal));
    expect(unknown).toEqual(known);
    // One password hash per attempt either way (the same work), one address failure per attempt either way.
    expect(verify).toHaveBeenCalledTimes(2 * guesses);
    expect(await addressFailures("198.51.100.1")).toBe(guesses);
    expect(await addressFailures("198.51.100.2")).toBe(guesses);
    // The account is locked all the same, audited, and the guesses during the lock counted.
    const row = await db().staffAccount.findUniqueOrThrow({ where: { username: "known-one" } });
    expect(row).toMatchObject({ failedAttempts: guesses, lockedUntil: new Date(t0.getTime() + LOCKOUT_MS) });
    expect(await db().auditLog.count({ where: { action: "staff.locked_out", target: `staff:${row.id}` } })).toBe(1);
  });

  it("tells the right password it is locked (counting the refused attempt), and lets it in once the lock is over", async () => {
    await account("known-two");
    const ip = "198.51.100.3";
    const t0 = new Date();
    for (let i = 1; i <= MAX_FAILED_ATTEMPTS; i++) await signIn(db(), t0, { username: "known-two", password: `wrong-${i}`, ip });
    const lockedUntil = new Date(t0.getTime() + LOCKOUT_MS);
    expect(await signIn(db(), new Date(t0.getTime() + 60_000), { username: "known-two", password: TEST_STAFF_PASSWORD, ip })).toEqual({ ok: false, reason: "locked", lockedUntil });
    expect(await addressFailures(ip)).toBe(MAX_FAILED_ATTEMPTS + 1);
    // The right password changes no count: told again.
    expect(await signIn(db(), new Date(t0.getTime() + 120_000), { username: "known-two", password: TEST_STAFF_PASSWORD, ip })).toEqual({ ok: false, reason: "locked", lockedUntil });
    expect(await signIn(db(), new Date(lockedUntil.getTime() + 1000), { username: "known-two", password: TEST_STAFF_PASSWORD, ip })).toMatchObject({ ok: true });
  });

  it("stops telling even the right password after LOCKED_GUESSES wrong ones during the lock", async () => {
    await account("known-three");
    const t0 = new Date();
    const attempt = (pw: string, at = t0) => signIn(db(), at, { username: "known-three", password: pw, ip: "198.51.100.4" });
    for (let i = 1; i <= MAX_FAILED_ATTEMPTS; i++) await attempt(`wrong-${i}`);
    for (let i = 1; i < LOCKED_GUESSES; i++) expect(await attempt(`during-${i}`)).toEqual({ ok: false, reason: "invalid" });
    expect(await attempt(TEST_STAFF_PASSWORD)).toMatchObject({ ok: false, reason: "locked" });
    expect(await attempt(`during-${LOCKED_GUESSES}`)).toEqual({ ok: false, reason: "invalid" });
    // The guesser has had its share: the right password is no longer confirmed until the lock ends.
    expect(await attempt(TEST_STAFF_PASSWORD)).toEqual({ ok: false, reason: "invalid" });
    expect(await attempt(TEST_STAFF_PASSWORD, new Date(t0.getTime() + LOCKOUT_MS + 1000))).toMatchObject({ ok: true });
  });

  it("counts wrong guesses made during a lock towards the next one: waiting it out does not buy five more", async () => {
    await account("known-four");
    const t0 = new Date();
    const attempt = (pw: string, at: Date, ip: string) => signIn(db(), at, { username: "known-four", password: pw, ip });
    for (let i = 1; i <= MAX_FAILED_ATTEMPTS; i++) await attempt(`wrong-${i}`, t0, "198.51.100.5");
    // Two more during the lock; after it, three wrong guesses make five again (2 + 3) and lock it at once.
    for (let i = 1; i <= 2; i++) await attempt(`during-${i}`, t0, "198.51.100.5");
    const t1 = new Date(t0.getTime() + LOCKOUT_MS + 1000);
    for (let i = 1; i <= 3; i++) expect(await attempt(`after-${i}`, t1, "198.51.100.6")).toEqual({ ok: false, reason: "invalid" });
    expect(await attempt(TEST_STAFF_PASSWORD, t1, "198.51.100.6")).toMatchObject({ ok: false, reason: "locked" });
  });
});
