// The owner's 邀请员工 dialog sends a key per submission: resent with it (the first answer lost), the invitation
// returns the account it made with a new one-time password, the lost one no longer signing in; the key with other
// facts is a 409, a taken username under another key stays USERNAME_TAKEN, and an invitee who has signed in is not
// given a new password this way (that is 重置密码). A resend also clears the invitee's sign-in lock-out, as 重置密码 does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { LOCKOUT_MS, MAX_FAILED_ATTEMPTS, signIn } from "../server/staff/sessions";
import { freshPglite } from "./helpers/db";
import { domainRefusal, refusal, signedInStaff } from "./helpers/caller";

const KEY = "0123456789abcdef0123456789abcdef";
const OTHER_KEY = "fedcba9876543210fedcba9876543210";
const XIAOLI = { username: "xiaoli", displayName: "小李", role: "operator" } as const;

let database: Database;
const db = () => database.prisma;

beforeAll(async () => {
  database = await freshPglite();
});
afterAll(() => database.close());

describe("a staff invitation resent with its key", () => {
  it("returns the same account with a new one-time password; only the new one signs in; audited without either", async () => {
    const owner = await signedInStaff(db(), "owner");
    const first = await owner.caller.merchantStaff.invite({ ...XIAOLI, inviteKey: KEY });
    const again = await owner.caller.merchantStaff.invite({ ...XIAOLI, inviteKey: KEY });

    expect(again.staff).toMatchObject({ id: first.staff.id, username: "xiaoli", displayName: "小李", role: "operator", mustChangePassword: true, lastSignInAt: null });
    expect(again.initialPassword).not.toBe(first.initialPassword);
    expect(await db().staffAccount.count({ where: { username: "xiaoli" } })).toBe(1);
    const stored = await db().staffAccount.findUniqueOrThrow({ where: { id: first.staff.id } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored.passwordHash).not.toContain(again.initialPassword);

    const audits = await db().auditLog.findMany({ where: { target: `staff:${first.staff.id}` }, orderBy: { id: "asc" } });
    expect(audits.map((a) => a.action)).toEqual(["staff.invited", "staff.invite_reissued"]);
    expect(audits[1]).toMatchObject({ actorType: "staff", actorId: owner.id, after: { username: "xiaoli", displayName: "小李", role: "operator" }, requestId: "test-request" });
    expect(JSON.stringify(audits)).not.toContain(first.initialPassword);
    expect(JSON.stringify(audits)).not.toContain(again.initialPassword);

    // The same key with any other fact: a conflict, the account and its password untouched.
    for (const changed of [{ username: "xiaoli2" }, { displayName: "李四" }, { role: "finance" as const }]) {
      const input = { ...XIAOLI, ...changed, inviteKey: KEY };
      expect(await refusal(owner.caller.merchantStaff.invite(input))).toEqual({ code: "CONFLICT", message: "这次邀请此前已按其他内容提交，请在员工列表中核对后再邀请" });
      expect(await domainRefusal(owner.caller.merchantStaff.invite(input))).toBe("INVITE_KEY_REUSED");
    }
    expect(await db().staffAccount.count({ where: { username: "xiaoli2" } })).toBe(0);
    expect((await db().staffAccount.findUniqueOrThrow({ where: { id: first.staff.id } })).passwordHash).toBe(stored.passwordHash);

    // Another key (a second invitation of the name, not a resend), or no key: the name is taken.
    expect(await domainRefusal(owner.caller.merchantStaff.invite({ ...XIAOLI, inviteKey: OTHER_KEY }))).toBe("USERNAME_TAKEN");
    expect(await refusal(owner.caller.merchantStaff.invite(XIAOLI))).toEqual({ code: "BAD_REQUEST", message: "该用户名已被使用" });
    // The key is the inviting owner's: another owner sending it is a different submission.
    const owner2 = await signedInStaff(db(), "owner");
    expect(await domainRefusal(owner2.caller.merchantStaff.invite({ ...XIAOLI, inviteKey: KEY }))).toBe("USERNAME_TAKEN");

    expect(await signIn(db(), new Date(), { username: "xiaoli", password: first.initialPassword })).toEqual({ ok: false, reason: "invalid" });
    expect(await signIn(db(), new Date(), { username: "xiaoli", password: again.initialPassword })).toMatchObject({ ok: true, next: "password-change" });

    // Signed in: the initial password reached its owner, the key no longer reissues it.
    const signedIn = await db().staffAccount.findUniqueOrThrow({ where: { id: first.staff.id } });
    expect(await refusal(owner.caller.merchantStaff.invite({ ...XIAOLI, inviteKey: KEY }))).toEqual({ code: "CONFLICT", message: "该员工已用初始密码登录过；如需新的初始密码，请使用“重置密码”" });
    expect(await domainRefusal(owner.caller.merchantStaff.invite({ ...XIAOLI, inviteKey: KEY }))).toBe("INVITE_ALREADY_SIGNED_IN");
    expect((await db().staffAccount.findUniqueOrThrow({ where: { id: first.staff.id } })).passwordHash).toBe(signedIn.passwordHash);
    expect(await db().auditLog.count({ where: { action: "staff.invite_reissued" } })).toBe(1);
  });

  it("clears the lock-out of an invitee locked out with the lost password, so the new one signs in; the audit says what it cleared", async () => {
    const owner = await signedInStaff(db(), "owner");
    const key = "00000000000000000000000000000002";
    const hire = { username: "xiaozheng", displayName: "小郑", role: "support" } as const;
    const first = await owner.caller.merchantStaff.invite({ ...hire, inviteKey: key });
    // The new hire, never given the first answer, guesses until locked out.
    for (let i = 0; i < MAX_FAILED_ATTEMPTS; i++) expect(await signIn(db(), new Date(), { username: "xiaozheng", password: `wrong-guess-${i}` })).toEqual({ ok: false, reason: "invalid" });
    const locked = await db().staffAccount.findUniqueOrThrow({ where: { id: first.staff.id } });
    expect(locked.failedAttempts).toBe(MAX_FAILED_ATTEMPTS);
    expect(locked.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + LOCKOUT_MS - 60_000);

    const again = await owner.caller.merchantStaff.invite({ ...hire, inviteKey: key });
    expect(again.staff).toMatchObject({ id: first.staff.id, failedAttempts: 0, lockedUntil: null });
    expect(await signIn(db(), new Date(), { username: "xiaozheng", password: again.initialPassword })).toMatchObject({ ok: true, next: "password-change" });

    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "staff.invite_reissued", target: `staff:${first.staff.id}` } });
    expect(entry).toMatchObject({
      actorId: owner.id,
      before: { failedAttempts: MAX_FAILED_ATTEMPTS, lockedUntil: locked.lockedUntil!.toISOString() },
      after: { username: "xiaozheng", role: "support", failedAttempts: 0, lockedUntil: null },
    });
  });

  it("a username typed in another case or with spaces is the same invitation", async () => {
    const owner = await signedInStaff(db(), "owner");
    const key = "00000000000000000000000000000001";
    const first = await owner.caller.merchantStaff.invite({ username: "Xiaowu", displayName: "小吴", role: "support", inviteKey: key });
    const again = await owner.caller.merchantStaff.invite({ username: " xiaowu ", displayName: " 小吴", role: "support", inviteKey: key });
    expect(again.staff.id).toBe(first.staff.id);
  });

  it("refuses a malformed key as a stale page", async () => {
    const owner = await signedInStaff(db(), "owner");
    expect(await refusal(owner.caller.merchantStaff.invite({ ...XIAOLI, username: "xiaozhao", inviteKey: "short" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await db().staffAccount.count({ where: { username: "xiaozhao" } })).toBe(0);
  });
});
