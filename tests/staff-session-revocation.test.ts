// A staff account's credentials change (TOTP enrolled or turned off, password changed, TOTP reset by the owner): every
// other session of the account ends at once and the audit entry counts them, so a session opened before the change (a stolen
// password's) does not outlive it. The session that made the change stays signed in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "otplib";
import type { Database } from "../server/db";
import { signIn } from "../server/staff/sessions";
import { hashPassword } from "../server/staff/password";
import { freshPglite } from "./helpers/db";
import { refusal, signedInStaff, staffCaller, TEST_STAFF_PASSWORD } from "./helpers/caller";
import { merchantEn } from "../lib/i18n/messages/merchant.en";
import { merchantZhCN } from "../lib/i18n/messages/merchant.zh-CN";

let database: Database;
const db = () => database.prisma;

beforeAll(async () => {
  database = await freshPglite();
});
afterAll(() => database.close());

/** An account without TOTP, signed in on two devices by password alone. */
async function twoDevices(username: string, role: "operator" | "finance") {
  const account = await db().staffAccount.create({ data: { username, displayName: username, role, passwordHash: await hashPassword(TEST_STAFF_PASSWORD), createdAt: new Date() } });
  const devices = [];
  for (const userAgent of ["phone", "laptop"]) {
    const r = await signIn(db(), new Date(), { username, password: TEST_STAFF_PASSWORD, userAgent });
    if (!r.ok) throw new Error(`sign-in failed: ${r.reason}`);
    devices.push({ sessionId: r.sessionId, caller: staffCaller(db(), r.token) });
  }
  return { id: account.id, phone: devices[0]!, laptop: devices[1]! };
}

describe("enabling TOTP", () => {
  it("ends every other session of the account (signed in by password alone); the enrolling one stays and is ready", async () => {
    const s = await twoDevices("xiaozhou", "operator");
    const bystander = await signedInStaff(db(), "operator", { totp: false });
    const { secret } = await s.phone.caller.staffAccount.beginTotp();
    await s.phone.caller.staffAccount.confirmTotp({ code: await generate({ secret }) });

    expect(await refusal(s.laptop.caller.staffAccount.me())).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await refusal(s.laptop.caller.staffAccount.revokeSession({ sessionId: s.phone.sessionId }))).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await s.phone.caller.staffAccount.me()).toMatchObject({ ready: true, pending: null, sessionId: s.phone.sessionId });
    const rows = await db().staffSession.findMany({ where: { staffId: s.id }, orderBy: { id: "asc" }, select: { id: true, revokedById: true, mfaPassed: true } });
    expect(rows).toEqual([
      { id: s.phone.sessionId, revokedById: null, mfaPassed: true },
      { id: s.laptop.sessionId, revokedById: s.id, mfaPassed: false },
    ]);
    // Another account's session is not touched.
    expect(await bystander.caller.staffAccount.me()).toMatchObject({ ready: true });
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "staff.totp_enrolled", target: `staff:${s.id}` } });
    expect(entry).toMatchObject({ actorType: "staff", actorId: s.id, data: { otherSessionsEnded: 1 } });
  });
});

describe("turning one's own TOTP off", () => {
  it("ends every other session of the account, those that passed the code included; the one turning it off stays", async () => {
    const s = await signedInStaff(db(), "operator");
    // The same account on a laptop, signed in with password and code (a later time step: a code is accepted once).
    const later = new Date(Date.now() + 30_000);
    const laptop = await signIn(db(), later, { username: s.username, password: TEST_STAFF_PASSWORD, totp: await generate({ secret: s.secret, epoch: Math.floor(later.getTime() / 1000) }) });
    if (!laptop.ok) throw new Error(`laptop sign-in failed: ${laptop.reason}`);
    const laptopCaller = staffCaller(db(), laptop.token);
    expect(await laptopCaller.staffAccount.me()).toMatchObject({ ready: true, sessionId: laptop.sessionId });
    const bystander = await signedInStaff(db(), "operator");

    await s.caller.staffAccount.disableTotp({ password: TEST_STAFF_PASSWORD });

    expect(await refusal(laptopCaller.staffAccount.me())).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await refusal(laptopCaller.merchantOrder.search({}))).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await s.caller.staffAccount.me()).toMatchObject({ ready: true, totpEnabledAt: null, sessionId: s.sessionId });
    const rows = await db().staffSession.findMany({ where: { staffId: s.id }, orderBy: { id: "asc" }, select: { id: true, revokedById: true, mfaPassed: true } });
    expect(rows).toEqual([
      { id: s.sessionId, revokedById: null, mfaPassed: true },
      { id: laptop.sessionId, revokedById: s.id, mfaPassed: true },
    ]);
    expect(await bystander.caller.staffAccount.me()).toMatchObject({ ready: true });
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "staff.totp_disabled", target: `staff:${s.id}` } });
    expect(entry).toMatchObject({ actorType: "staff", actorId: s.id, before: { totp: true }, after: { totp: false }, data: { otherSessionsEnded: 1 } });
  });
});

describe("changing one's password (already so before this fix, kept)", () => {
  it("ends the other sessions, keeps the one that changed it, audited with the count", async () => {
    const s = await twoDevices("xiaoqian", "operator");
    await s.phone.caller.staffAccount.changePassword({ current: TEST_STAFF_PASSWORD, next: "a-much-better-pass-42" });
    expect(await refusal(s.laptop.caller.staffAccount.me())).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await s.phone.caller.staffAccount.me()).toMatchObject({ sessionId: s.phone.sessionId });
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "staff.password_changed", target: `staff:${s.id}` } });
    expect(entry).toMatchObject({ actorId: s.id, data: { otherSessionsEnded: 1 } });
  });
});

describe("the owner resetting someone's TOTP (already so before this fix, kept)", () => {
  it("ends every session of that account and none of the owner's, audited with the count", async () => {
    const owner = await signedInStaff(db(), "owner");
    const s = await twoDevices("xiaosun", "operator");
    const { secret } = await s.phone.caller.staffAccount.beginTotp();
    await s.phone.caller.staffAccount.confirmTotp({ code: await generate({ secret }) });
    await owner.caller.merchantStaff.resetTotp({ id: s.id });
    expect(await refusal(s.phone.caller.staffAccount.me())).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await db().staffSession.count({ where: { staffId: s.id, revokedAt: null } })).toBe(0);
    expect(await owner.caller.staffAccount.me()).toMatchObject({ ready: true });
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "staff.totp_reset", target: `staff:${s.id}` } });
    // The laptop's session already ended at the enrolment: only the phone's is left to end.
    expect(entry).toMatchObject({ actorId: owner.id, data: { sessionsEnded: 1 } });
  });
});

describe("the owner's 重置两步验证 confirmation", () => {
  it("says the member's sessions end, in the words of the 重置密码 confirmation, in both languages", () => {
    expect(merchantZhCN["m.staff.resetPasswordConfirm"]).toContain("其所有登录将立即失效");
    expect(merchantZhCN["m.staff.resetTotpConfirm"]).toContain("其所有登录将立即失效");
    expect(merchantEn["m.staff.resetPasswordConfirm"]).toContain("All their sessions end at once");
    expect(merchantEn["m.staff.resetTotpConfirm"]).toContain("All their sessions end at once");
  });
});
