// 要求全体员工启用两步验证: the owner's shop setting. While it is on, every role must have TOTP (server/staff/policy.ts):
// a member of staff without it is sent to enrol before any other back-office procedure or page (the session check
// itself, so a session already open is caught at its next request), and nobody can turn their own TOTP off.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "otplib";
import type { Database } from "../server/db";
import { signIn, validateStaffSession } from "../server/staff/sessions";
import { domainRefusal, refusal, signedInStaff, TEST_STAFF_PASSWORD } from "./helpers/caller";
import { freshDatabase } from "./helpers/db";

let database: Database;
const db = () => database.prisma;
let owner: Awaited<ReturnType<typeof signedInStaff>>;
beforeAll(async () => {
  database = await freshDatabase();
  owner = await signedInStaff(db(), "owner");
});
afterAll(() => database.close());

const setPolicy = (requireTotp: boolean) => owner.caller.merchantStaff.setTotpPolicy({ requireTotp });
const policyAudits = () => db().auditLog.findMany({ where: { action: "settings.staff_totp_changed" }, orderBy: { id: "asc" } });

describe("the staff TOTP requirement", () => {
  it("is off until the owner turns it on: an operator without TOTP uses the back office and may turn TOTP off", async () => {
    expect(await owner.caller.merchantStaff.totpPolicy()).toEqual({ requireTotp: false, updatedAt: null, updatedById: null });
    const op = await signedInStaff(db(), "operator", { totp: false });
    expect(await op.caller.staffAccount.me()).toMatchObject({ ready: true, pending: null, totpRequiredBy: null });
    await expect(op.caller.merchantShop.profile()).resolves.toBeTruthy();
    // Turning it "off" again changes nothing and writes no audit entry.
    expect(await setPolicy(false)).toMatchObject({ requireTotp: false });
    expect(await policyAudits()).toEqual([]);
  });

  it("turned on by the owner: audited with before/after, and the owner doing it stays in (owners already have TOTP)", async () => {
    await signedInStaff(db(), "support", { totp: false });
    const disabled = await signedInStaff(db(), "risk", { totp: false });
    await db().staffAccount.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    const withoutTotp = await db().staffAccount.count({ where: { disabledAt: null, totpEnabledAt: null } });
    // The operator of the test before and the support account above; the disabled account is nobody to ask.
    expect(withoutTotp).toBe(2);

    const on = await setPolicy(true);
    expect(on).toMatchObject({ requireTotp: true, updatedById: owner.id });
    const [entry] = await policyAudits();
    expect(entry).toMatchObject({ actorType: "staff", actorId: owner.id, target: "shop:staff-security", before: { requireStaffTotp: false }, after: { requireStaffTotp: true }, data: { staffWithoutTotp: 2 } });
    expect(await owner.caller.staffAccount.me()).toMatchObject({ ready: true, pending: null, totpRequiredBy: "role" });
    await expect(owner.caller.merchantStaff.list()).resolves.toBeTruthy();
  });

  it("stops a session already open without TOTP at its next request: only its own account page is open, to enrol", async () => {
    const op = await signedInStaff(db(), "operator", { totp: false });
    // (created after the policy: the same as one signed in before it, the session row is what is checked)
    expect(await validateStaffSession(db(), op.token, new Date())).toMatchObject({ ready: false, pending: "totp-enrol" });
    expect(await refusal(op.caller.merchantShop.profile())).toMatchObject({ code: "FORBIDDEN", message: "请先完成两步验证" });
    expect(await refusal(op.caller.merchantOrder.stuckRefundCount())).toMatchObject({ code: "FORBIDDEN" });
    expect(await op.caller.staffAccount.me()).toMatchObject({ ready: false, pending: "totp-enrol", totpRequiredBy: "shop" });

    // Enrolling opens the back office.
    const { secret } = await op.caller.staffAccount.beginTotp();
    await op.caller.staffAccount.confirmTotp({ code: await generate({ secret }) });
    expect(await op.caller.staffAccount.me()).toMatchObject({ ready: true, pending: null });
    await expect(op.caller.merchantShop.profile()).resolves.toBeTruthy();
  });

  it("sends a member of staff without TOTP to enrol at sign-in", async () => {
    const support = await db().staffAccount.findFirstOrThrow({ where: { role: "support", disabledAt: null, totpEnabledAt: null } });
    const r = await signIn(db(), new Date(), { username: support.username, password: TEST_STAFF_PASSWORD });
    expect(r).toMatchObject({ ok: true, next: "totp-enrol" });
  });

  it("lets nobody turn their own TOTP off, even with the right password", async () => {
    const risk = await signedInStaff(db(), "risk");
    expect(await risk.caller.staffAccount.me()).toMatchObject({ ready: true, totpRequiredBy: "shop" });
    expect(await domainRefusal(risk.caller.staffAccount.disableTotp({ password: TEST_STAFF_PASSWORD }))).toBe("TOTP_REQUIRED_BY_SHOP");
    expect((await db().staffAccount.findUniqueOrThrow({ where: { id: risk.id } })).totpEnabledAt).not.toBeNull();
    // Owners and finance are refused by their role, as before.
    expect(await domainRefusal(owner.caller.staffAccount.disableTotp({ password: TEST_STAFF_PASSWORD }))).toBe("TOTP_REQUIRED");
  });

  it("turned off again: TOTP may be turned off, and staff without it are let in", async () => {
    await setPolicy(false);
    const entries = await policyAudits();
    expect(entries.at(-1)).toMatchObject({ before: { requireStaffTotp: true }, after: { requireStaffTotp: false } });
    const risk = await signedInStaff(db(), "risk");
    await risk.caller.staffAccount.disableTotp({ password: TEST_STAFF_PASSWORD });
    expect(await risk.caller.staffAccount.me()).toMatchObject({ ready: true, totpEnabledAt: null, totpRequiredBy: null });
    const support = await db().staffAccount.findFirstOrThrow({ where: { role: "support", disabledAt: null, totpEnabledAt: null } });
    expect(await signIn(db(), new Date(), { username: support.username, password: TEST_STAFF_PASSWORD })).toMatchObject({ ok: true, next: null });
  });
});
