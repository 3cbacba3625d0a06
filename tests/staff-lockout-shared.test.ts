// The account page's password checks (修改密码, 关闭两步验证) and the sign-in form count wrong passwords on one
// counter with one limit (README "Staff passwords"): five wrong in all lock the account for 15 minutes, wherever
// they were typed, and guesses made during a lock are not forgiven by waiting, on either side.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { DomainError } from "../server/context";
import { changeOwnPassword, disableOwnTotp } from "../server/staff/accounts";
import { hashPassword } from "../server/staff/password";
import { LOCKOUT_MS, MAX_FAILED_ATTEMPTS, signIn } from "../server/staff/sessions";
import { freshDatabase } from "./helpers/db";
import { TEST_STAFF_PASSWORD } from "./helpers/caller";

let database: Database;
const db = () => database.prisma;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

// One client address per account: the form's per-address limit (20 per 15 minutes) is not what these tests are about.
const addresses = new Map<string, string>();
const ipOf = (username: string) => addresses.get(username) ?? (addresses.set(username, `198.51.100.${40 + addresses.size}`), addresses.get(username)!);
const MINUTE = 60_000;

/** An operator (no TOTP required) signed in at `at`: its session is the one the account page acts in. */
async function signedInOperator(username: string, at: Date) {
  const account = await db().staffAccount.create({ data: { username, displayName: username, role: "operator", passwordHash: await hashPassword(TEST_STAFF_PASSWORD), createdAt: at } });
  const r = await signIn(db(), at, { username, password: TEST_STAFF_PASSWORD, ip: ipOf(username) });
  if (!r.ok) throw new Error(r.reason);
  return { staffId: account.id, sessionId: r.sessionId };
}

async function refusedCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  throw new Error("expected a refusal");
}

const wrongOnAccountPage = (actor: { staffId: number; sessionId: number }, at: Date, i: number) =>
  refusedCode(changeOwnPassword(db(), at, actor, { current: `not-it-${i}`, next: "a-brand-new-password-7" }));
const wrongAtSignIn = (username: string, at: Date, i: number) => signIn(db(), at, { username, password: `wrong-${i}`, ip: ipOf(username) });
const row = (id: number) => db().staffAccount.findUniqueOrThrow({ where: { id } });

describe("one lock-out for the sign-in form and the account page", () => {
  it("counts the account page's wrong passwords after the sign-in form's: the fifth in all locks and ends the sessions", async () => {
    const t0 = new Date();
    const me = await signedInOperator("shared-one", t0);
    // 3 at the sign-in form + 1 changing the password + 1 turning TOTP off = 5: the limit.
    for (let i = 1; i <= 3; i++) expect(await wrongAtSignIn("shared-one", t0, i)).toEqual({ ok: false, reason: "invalid" });
    expect(await wrongOnAccountPage(me, t0, 4)).toBe("WRONG_PASSWORD");
    expect(await row(me.staffId)).toMatchObject({ failedAttempts: 4, lockedUntil: null });
    expect(await refusedCode(disableOwnTotp(db(), t0, me, "not-it-5"))).toBe("LOCKED");
    expect(await row(me.staffId)).toMatchObject({ failedAttempts: MAX_FAILED_ATTEMPTS, lockedUntil: new Date(t0.getTime() + LOCKOUT_MS) });
    expect(await db().staffSession.count({ where: { staffId: me.staffId, revokedAt: null } })).toBe(0);
    // The sign-in form sees the same lock: the right password is told so.
    expect(await signIn(db(), new Date(t0.getTime() + MINUTE), { username: "shared-one", password: TEST_STAFF_PASSWORD, ip: ipOf("shared-one") })).toMatchObject({ ok: false, reason: "locked" });
  });

  it("counts the sign-in form's wrong passwords after the account page's", async () => {
    const t0 = new Date();
    const me = await signedInOperator("shared-two", t0);
    for (let i = 1; i <= 4; i++) expect(await wrongOnAccountPage(me, t0, i)).toBe("WRONG_PASSWORD");
    // The fifth, at the sign-in form, locks (answered as any wrong password there).
    expect(await wrongAtSignIn("shared-two", t0, 5)).toEqual({ ok: false, reason: "invalid" });
    expect(await row(me.staffId)).toMatchObject({ failedAttempts: 5, lockedUntil: new Date(t0.getTime() + LOCKOUT_MS) });
  });

  it("does not forgive on the account page the guesses made at the sign-in form during a lock", async () => {
    const t0 = new Date();
    const me = await signedInOperator("shared-three", t0);
    // Someone guesses at the form: the fifth locks (the form's lock ends no session: the guesser holds none).
    for (let i = 1; i <= MAX_FAILED_ATTEMPTS; i++) await wrongAtSignIn("shared-three", t0, i);
    // Three more during the lock, counted.
    for (let i = 1; i <= 3; i++) await wrongAtSignIn("shared-three", new Date(t0.getTime() + MINUTE), 10 + i);
    expect(await row(me.staffId)).toMatchObject({ failedAttempts: MAX_FAILED_ATTEMPTS + 3 });
    // During the lock the account page checks nothing.
    expect(await wrongOnAccountPage(me, new Date(t0.getTime() + 2 * MINUTE), 20)).toBe("LOCKED");
    // After it, the count resumes at the 3 guesses made during it (as the form's would): 2 more wrong reach 5.
    const after = new Date(t0.getTime() + LOCKOUT_MS + MINUTE);
    expect(await wrongOnAccountPage(me, after, 21)).toBe("WRONG_PASSWORD");
    expect(await row(me.staffId)).toMatchObject({ failedAttempts: 4, lockedUntil: null });
    expect(await wrongOnAccountPage(me, after, 22)).toBe("LOCKED");
    expect(await row(me.staffId)).toMatchObject({ failedAttempts: 5, lockedUntil: new Date(after.getTime() + LOCKOUT_MS) });
  });

  it("clears the count with the right password on the account page, as a sign-in does", async () => {
    const t0 = new Date();
    const me = await signedInOperator("shared-four", t0);
    for (let i = 1; i <= 3; i++) await wrongAtSignIn("shared-four", t0, i);
    await changeOwnPassword(db(), t0, me, { current: TEST_STAFF_PASSWORD, next: "a-brand-new-password-7" });
    expect(await row(me.staffId)).toMatchObject({ failedAttempts: 0, lockedUntil: null });
  });

  it("does not count the account page's guesses toward the sign-in form's per-address limit (one account, held by a session)", async () => {
    const t0 = new Date();
    const me = await signedInOperator("shared-five", t0);
    const before = await db().staffSignInFailure.count();
    expect(await wrongOnAccountPage(me, t0, 1)).toBe("WRONG_PASSWORD");
    expect(await db().staffSignInFailure.count()).toBe(before);
  });
});
