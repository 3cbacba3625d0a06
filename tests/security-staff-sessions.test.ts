// Staff sessions after the account changes under them (security review): a session that signed in before
// TOTP was enrolled (on another device) never passed the second factor, so the password alone must not let
// it turn TOTP off or change the password; a role change and a password change take effect on the sessions
// already open, at their next call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "otplib";
import type { Database } from "../server/db";
import { signIn } from "../server/staff/sessions";
import { freshPglite } from "./helpers/db";
import { refusal, signedInStaff, staffCaller, TEST_STAFF_PASSWORD } from "./helpers/caller";

let database: Database;
const db = () => database.prisma;

beforeAll(async () => {
  database = await freshPglite();
});
afterAll(() => database.close());

/** A second session of the account, signed in with the password alone (no TOTP enrolled yet). */
async function secondSession(username: string) {
  const r = await signIn(db(), new Date(), { username, password: TEST_STAFF_PASSWORD });
  if (!r.ok) throw new Error(`second sign-in failed: ${r.reason}`);
  return staffCaller(db(), r.token);
}

describe("a session that never passed the account's TOTP", () => {
  it("cannot turn TOTP off or change the password with the password alone; the session that enrolled can", async () => {
    const op = await signedInStaff(db(), "operator", { totp: false });
    const other = await secondSession(op.username);
    // Enrolled on the first device: the session from before (password only) is ended, so it can neither turn TOTP
    // off nor change the password, and a password alone opens no new session.
    const { secret } = await op.caller.staffAccount.beginTotp();
    await op.caller.staffAccount.confirmTotp({ code: await generate({ secret }) });
    const signedOut = { code: "UNAUTHORIZED", message: "请先登录商家后台" };
    expect(await refusal(other.staffAccount.me())).toMatchObject(signedOut);
    expect(await refusal(other.staffAccount.disableTotp({ password: TEST_STAFF_PASSWORD }))).toMatchObject(signedOut);
    expect(await refusal(other.staffAccount.changePassword({ current: TEST_STAFF_PASSWORD, next: "attacker-chosen-pass-77" }))).toMatchObject(signedOut);
    expect(await signIn(db(), new Date(), { username: op.username, password: TEST_STAFF_PASSWORD })).toMatchObject({ ok: false, reason: "totp-required" });
    const account = await db().staffAccount.findUniqueOrThrow({ where: { id: op.id } });
    expect(account.totpEnabledAt).not.toBeNull();
    expect(account.failedAttempts).toBe(0);
    expect(await db().staffSession.count({ where: { id: op.sessionId, revokedAt: null } })).toBe(1);

    // The session that passed TOTP may turn it off (an operator need not have it).
    await op.caller.staffAccount.disableTotp({ password: TEST_STAFF_PASSWORD });
    expect((await db().staffAccount.findUniqueOrThrow({ where: { id: op.id } })).totpEnabledAt).toBeNull();
  });

  it("an account without TOTP changes its password from any of its sessions", async () => {
    const s = await signedInStaff(db(), "support", { totp: false });
    await s.caller.staffAccount.changePassword({ current: TEST_STAFF_PASSWORD, next: "a-much-better-pass-42" });
    expect((await signIn(db(), new Date(), { username: s.username, password: "a-much-better-pass-42" })).ok).toBe(true);
  });
});

describe("changes to an account reach its open sessions", () => {
  it("a role change applies at the next call of a session already open", async () => {
    const owner = await signedInStaff(db(), "owner");
    const op = await signedInStaff(db(), "operator");
    expect(await op.caller.merchantOrder.search({})).toMatchObject({ items: [] });
    await owner.caller.merchantStaff.setRole({ id: op.id, role: "risk" });
    expect(await refusal(op.caller.merchantOrder.search({}))).toMatchObject({ code: "FORBIDDEN" });
    expect(await op.caller.merchantRisk.queue()).toMatchObject({ total: 0 });
    // Moved to a role that must have TOTP while having none: nothing but the account page until enrolled.
    const sup = await signedInStaff(db(), "support", { totp: false });
    await owner.caller.merchantStaff.setRole({ id: sup.id, role: "finance" });
    expect(await refusal(sup.caller.merchantWithdrawal.list({}))).toMatchObject({ code: "FORBIDDEN", message: "请先完成两步验证" });
  });

  it("changing one's password ends the account's other sessions, not the one that changed it", async () => {
    const s = await signedInStaff(db(), "support", { totp: false });
    const other = await secondSession(s.username);
    expect(await other.merchantOrder.search({})).toMatchObject({ items: [] });
    await s.caller.staffAccount.changePassword({ current: TEST_STAFF_PASSWORD, next: "a-much-better-pass-42" });
    expect(await refusal(other.merchantOrder.search({}))).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await s.caller.merchantOrder.search({})).toMatchObject({ items: [] });
  });

  it("the owner's password reset ends every session of the account", async () => {
    const owner = await signedInStaff(db(), "owner");
    const op = await signedInStaff(db(), "operator");
    await owner.caller.merchantStaff.resetPassword({ id: op.id });
    expect(await refusal(op.caller.merchantOrder.search({}))).toMatchObject({ code: "UNAUTHORIZED" });
  });
});
