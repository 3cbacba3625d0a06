// Staff accounts (issue 9) through the real sign-in and the tRPC staff procedures: password + TOTP,
// lock-out, revoked and disabled sessions refused, TOTP enrolment enforced for owner and finance,
// roles refused outside their areas, invitations with a one-time password, and the audit log's
// entries (append-only in the database).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "otplib";
import type { Database } from "../server/db";
import { DomainError, inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { signIn, validateStaffSession, MAX_FAILED_ATTEMPTS, LOCKOUT_MS } from "../server/staff/sessions";
import { createOwnerAccount } from "../server/staff/accounts";
import { hashPassword, verifyPassword } from "../server/staff/password";
import { csvStream, yuanCell } from "../server/exports/csv";
import { freshPglite } from "./helpers/db";
import { callerFor, refusal, signedInStaff, staffCaller, TEST_STAFF_PASSWORD } from "./helpers/caller";

const config = parseConfig({});
let database: Database;
const db = () => database.prisma;

beforeAll(async () => {
  database = await freshPglite();
});
afterAll(() => database.close());

async function plainAccount(username: string, role: "owner" | "operator" | "finance" | "risk" | "support", password = TEST_STAFF_PASSWORD) {
  return db().staffAccount.create({ data: { username, displayName: username, role, passwordHash: await hashPassword(password), createdAt: new Date() } });
}

describe("sign-in", () => {
  it("asks for the TOTP code after the right password, accepts a valid code once, refuses a replayed one", async () => {
    const s = await signedInStaff(db(), "finance", { username: "fin-totp" });
    const now = new Date();
    expect(await signIn(db(), now, { username: "FIN-TOTP", password: TEST_STAFF_PASSWORD })).toEqual({ ok: false, reason: "totp-required" });
    expect(await signIn(db(), now, { username: "fin-totp", password: TEST_STAFF_PASSWORD, totp: "000000" })).toMatchObject({ ok: false, reason: "totp-invalid" });
    // The helper already used the current code: the same code is refused (replay), a later step's code works.
    const sameCode = await generate({ secret: s.secret });
    expect(await signIn(db(), now, { username: "fin-totp", password: TEST_STAFF_PASSWORD, totp: sameCode })).toMatchObject({ ok: false, reason: "totp-invalid" });
    const later = new Date(now.getTime() + 60_000);
    const nextCode = await generate({ secret: s.secret, epoch: Math.floor(later.getTime() / 1000) });
    const ok = await signIn(db(), later, { username: "fin-totp", password: TEST_STAFF_PASSWORD, totp: nextCode });
    expect(ok).toMatchObject({ ok: true, next: null });
    const who = await validateStaffSession(db(), ok.ok ? ok.token : null, later);
    expect(who).toMatchObject({ username: "fin-totp", role: "finance", ready: true });
    // Nothing about passwords or secrets reaches the audit log.
    const entries = await db().auditLog.findMany({ where: { target: `staff:${s.id}` } });
    expect(JSON.stringify(entries)).not.toContain(TEST_STAFF_PASSWORD);
    expect(JSON.stringify(entries)).not.toContain(s.secret);
  });

  it("locks the account after 5 failures (even the right password is refused, and told why) and unlocks after 15 minutes", async () => {
    await plainAccount("lockme", "operator");
    const t0 = new Date();
    // The fifth locks it but answers like the others: a guesser must not learn the username exists.
    for (let i = 1; i <= MAX_FAILED_ATTEMPTS; i++) {
      expect(await signIn(db(), t0, { username: "lockme", password: `wrong-${i}` })).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await signIn(db(), new Date(t0.getTime() + LOCKOUT_MS - 1000), { username: "lockme", password: TEST_STAFF_PASSWORD })).toEqual({ ok: false, reason: "locked", lockedUntil: new Date(t0.getTime() + LOCKOUT_MS) });
    expect(await db().auditLog.count({ where: { action: "staff.locked_out" } })).toBe(1);
    const after = await signIn(db(), new Date(t0.getTime() + LOCKOUT_MS + 1000), { username: "lockme", password: TEST_STAFF_PASSWORD });
    expect(after).toMatchObject({ ok: true });
    expect((await db().staffAccount.findUniqueOrThrow({ where: { username: "lockme" } })).failedAttempts).toBe(0);
  });

  it("counts parallel wrong guesses one by one", async () => {
    await plainAccount("parallel", "support");
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => signIn(db(), new Date(), { username: "parallel", password: `nope-${i}` })));
    expect(results).toEqual(Array.from({ length: 8 }, () => ({ ok: false, reason: "invalid" })));
    // Five lock the account; the three met by the lock count on.
    const row = await db().staffAccount.findUniqueOrThrow({ where: { username: "parallel" } });
    expect(row.failedAttempts).toBe(8);
    expect(row.lockedUntil).not.toBeNull();
  });

  it("an unknown user and a disabled account get the same answer as a wrong password", async () => {
    expect(await signIn(db(), new Date(), { username: "nobody", password: "whatever-123" })).toEqual({ ok: false, reason: "invalid" });
    const a = await plainAccount("gone", "support");
    await db().staffAccount.update({ where: { id: a.id }, data: { disabledAt: new Date() } });
    expect(await signIn(db(), new Date(), { username: "gone", password: TEST_STAFF_PASSWORD })).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("sessions and procedures", () => {
  it("a revoked session is refused at the next call; the owner revokes, the audit log says who", async () => {
    const owner = await signedInStaff(db(), "owner");
    const op = await signedInStaff(db(), "operator");
    expect(await op.caller.merchantOrder.search({})).toMatchObject({ items: [] });
    const sessions = await owner.caller.merchantStaff.sessions({ id: op.id });
    expect(sessions.map((s) => [s.id, s.active])).toEqual([[op.sessionId, true]]);
    await owner.caller.merchantStaff.revokeSession({ sessionId: op.sessionId });
    expect(await refusal(op.caller.merchantOrder.search({}))).toMatchObject({ code: "UNAUTHORIZED" });
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "staff.session_revoked", target: `staff:${op.id}` } });
    expect(entry).toMatchObject({ actorType: "staff", actorId: owner.id });
  });

  it("disabling an account ends its sessions at once", async () => {
    const owner = await signedInStaff(db(), "owner");
    const risk = await signedInStaff(db(), "risk");
    expect(await risk.caller.merchantRisk.queue()).toEqual({ items: [], total: 0 });
    await owner.caller.merchantStaff.setDisabled({ id: risk.id, disabled: true });
    expect(await refusal(risk.caller.merchantRisk.queue())).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("each role reaches its own areas only; a shopper session reaches none", async () => {
    const op = await signedInStaff(db(), "operator");
    const support = await signedInStaff(db(), "support");
    const finance = await signedInStaff(db(), "finance");
    expect(await refusal(op.caller.merchantWithdrawal.list({}))).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal(op.caller.merchantAudit.list({}))).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal(op.caller.merchantStaff.list())).toMatchObject({ code: "FORBIDDEN" });
    expect(await support.caller.merchantOrder.search({})).toBeTruthy();
    expect(await refusal(support.caller.merchantOrder.shipWithTracking({ id: 1, carrier: "SF", trackingNo: "SF1000000001" }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await finance.caller.merchantWithdrawal.list({})).toEqual({ items: [], total: 0 });
    expect(await refusal(finance.caller.merchantOrder.search({}))).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal(callerFor(db(), 1).merchantHome.figures())).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await refusal(staffCaller(db(), null).staffAccount.me())).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("a finance account without TOTP must enrol before anything else; enrolment makes the session ready", async () => {
    const acct = await plainAccount("newfin", "finance");
    const r = await signIn(db(), new Date(), { username: "newfin", password: TEST_STAFF_PASSWORD });
    expect(r).toMatchObject({ ok: true, next: "totp-enrol" });
    const api = staffCaller(db(), r.ok ? r.token : null);
    expect(await refusal(api.merchantWithdrawal.list({}))).toMatchObject({ code: "FORBIDDEN", message: "请先完成两步验证" });
    expect(await api.staffAccount.me()).toMatchObject({ ready: false, pending: "totp-enrol" });
    const { secret, uri } = await api.staffAccount.beginTotp();
    expect(uri).toContain("otpauth://totp/");
    expect(await refusal(api.staffAccount.confirmTotp({ code: "123456" }))).toMatchObject({ code: "BAD_REQUEST" });
    await api.staffAccount.confirmTotp({ code: await generate({ secret }) });
    expect(await api.staffAccount.me()).toMatchObject({ ready: true, pending: null });
    expect(await api.merchantWithdrawal.list({})).toEqual({ items: [], total: 0 });
    const stored = await db().staffAccount.findUniqueOrThrow({ where: { id: acct.id } });
    expect(stored.totpSecretEnc).not.toContain(secret);
    expect(await db().auditLog.count({ where: { action: "staff.totp_enrolled", target: `staff:${acct.id}` } })).toBe(1);
  });
});

describe("staff administration", () => {
  it("owner invites with a one-time password; the invitee must change it; role changes are audited before/after", async () => {
    const owner = await signedInStaff(db(), "owner");
    expect(await refusal(owner.caller.merchantStaff.invite({ username: "Bad Name", displayName: "x", role: "support" }))).toMatchObject({ code: "BAD_REQUEST" });
    const { staff, initialPassword } = await owner.caller.merchantStaff.invite({ username: "Xiaomei", displayName: "小美", role: "support" });
    expect(staff).toMatchObject({ username: "xiaomei", role: "support", mustChangePassword: true });
    expect(JSON.stringify(staff)).not.toContain("passwordHash");
    const r = await signIn(db(), new Date(), { username: "xiaomei", password: initialPassword });
    expect(r).toMatchObject({ ok: true, next: "password-change" });
    const api = staffCaller(db(), r.ok ? r.token : null);
    expect(await refusal(api.merchantOrder.search({}))).toMatchObject({ code: "FORBIDDEN", message: "请先修改初始密码" });
    expect(await refusal(api.staffAccount.changePassword({ current: initialPassword, next: "short" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await refusal(api.staffAccount.changePassword({ current: initialPassword, next: initialPassword }))).toMatchObject({ message: "新密码不能与当前密码相同" });
    await api.staffAccount.changePassword({ current: initialPassword, next: "a-much-better-pass-42" });
    expect(await api.merchantOrder.search({})).toBeTruthy();

    await owner.caller.merchantStaff.setRole({ id: staff.id, role: "operator" });
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "staff.role_changed", target: `staff:${staff.id}` } });
    expect(entry).toMatchObject({ actorType: "staff", actorId: owner.id, before: { role: "support" }, after: { role: "operator" }, requestId: "test-request" });
    const invited = await db().auditLog.findFirstOrThrow({ where: { action: "staff.invited", target: `staff:${staff.id}` } });
    expect(JSON.stringify(invited)).not.toContain(initialPassword);
  });

  it("stores passwords as argon2id with the OWASP parameters, salted per hash", async () => {
    const [a, b] = [await hashPassword("same-password-1"), await hashPassword("same-password-1")];
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, "same-password-1")).toBe(true);
    expect(await verifyPassword(a, "same-password-2")).toBe(false);
  });

  it("keeps one enabled owner", async () => {
    await db().staffAccount.updateMany({ where: { role: "owner" }, data: { disabledAt: new Date() } });
    const owner = await signedInStaff(db(), "owner");
    expect(await refusal(owner.caller.merchantStaff.setDisabled({ id: owner.id, disabled: true }))).toMatchObject({ code: "BAD_REQUEST" });
    const other = await plainAccount("owner2", "owner");
    await owner.caller.merchantStaff.setRole({ id: other.id, role: "operator" });
    await db().staffAccount.update({ where: { id: other.id }, data: { role: "owner" } });
    await owner.caller.merchantStaff.setDisabled({ id: other.id, disabled: true });
  });

  it("npm run staff:create refuses a second owner unless forced", async () => {
    const run = (allowAnother: boolean, username: string) =>
      inTx(db(), { config }, (ctx) => createOwnerAccount(ctx, { username, displayName: "老板", password: "strong-enough-99" }, { allowAnother }));
    await expect(run(false, "boss")).rejects.toThrow(DomainError);
    expect((await run(true, "boss")).role).toBe("owner");
  });
});

describe("audit log", () => {
  it("is append-only in the database", async () => {
    const row = await db().auditLog.findFirstOrThrow();
    await expect(db().auditLog.update({ where: { id: row.id }, data: { action: "tampered" } })).rejects.toThrow();
    await expect(db().auditLog.delete({ where: { id: row.id } })).rejects.toThrow();
    await expect(db().$executeRawUnsafe(`DELETE FROM "AuditLog"`)).rejects.toThrow(/append-only/);
    expect((await db().auditLog.findUniqueOrThrow({ where: { id: row.id } })).action).toBe(row.action);
  });

  it("filters by actor, action prefix, target and day", async () => {
    const owner = await signedInStaff(db(), "owner");
    const all = await owner.caller.merchantAudit.list({ action: "staff.role_changed" });
    expect(all.total).toBeGreaterThan(0);
    expect(all.rows.every((r) => r.action === "staff.role_changed")).toBe(true);
    const first = all.rows[0]!;
    const byActor = await owner.caller.merchantAudit.list({ actor: `staff:${first.actorId}`, target: first.target });
    expect(byActor.rows.map((r) => r.id)).toContain(first.id);
    expect(byActor.rows[0]!.actorName).toContain("(");
    // The screen shows the name alone ("店主", not "店主 (owner)"); the CSV keeps the username.
    expect(byActor.rows[0]!.actorDisplayName).toBeTruthy();
    expect(byActor.rows[0]!.actorName).toMatch(new RegExp(`^${byActor.rows[0]!.actorDisplayName} \\(\\w+\\)$`));
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    expect((await owner.caller.merchantAudit.list({ fromDay: tomorrow })).total).toBe(0);
    expect(await refusal(owner.caller.merchantAudit.list({ actor: "root" }))).toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("CSV export", () => {
  it("starts with a BOM, quotes what needs quoting, and shows fen as 元 with two decimals", async () => {
    async function* rows() {
      yield { name: "李姐, 店长", fen: 250000 };
      yield { name: '说"好"', fen: -5 };
    }
    const stream = csvStream([{ header: "姓名", value: (r: { name: string }) => r.name }, { header: "金额(元)", value: (r: { fen: number }) => yuanCell(r.fen) }], rows());
    const text = await new Response(stream).text();
    const bytes = new Uint8Array(await new Response(csvStream([{ header: "a", value: () => 1 }], rows())).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.replace(/^\uFEFF/, "")).toBe('姓名,金额(元)\n"李姐, 店长",2500.00\n"说""好""",-0.05\n');
  });
});

describe("proving one's own password while signed in", () => {
  it("a wrong current password counts toward the lockout; at the limit the account locks and its sessions end", async () => {
    const s = await signedInStaff(db(), "support", { totp: false });
    const failed = async () => (await db().staffAccount.findUniqueOrThrow({ where: { id: s.id } })).failedAttempts;
    for (let i = 1; i < MAX_FAILED_ATTEMPTS; i++) {
      expect(await refusal(s.caller.staffAccount.changePassword({ current: `guess-${i}`, next: "a-much-better-pass-42" }))).toMatchObject({ message: "当前密码不正确" });
      // Counted and kept, although the call was refused.
      expect(await failed()).toBe(i);
    }
    expect(await refusal(s.caller.staffAccount.disableTotp({ password: "last-guess" }))).toMatchObject({ message: "密码错误次数过多，账号已锁定 15 分钟，请稍后重新登录" });
    expect((await db().staffAccount.findUniqueOrThrow({ where: { id: s.id } })).lockedUntil).not.toBeNull();
    expect(await db().staffSession.count({ where: { staffId: s.id, revokedAt: null } })).toBe(0);
    expect(await refusal(s.caller.staffAccount.me())).toMatchObject({ code: "UNAUTHORIZED" });
    // The right password does not get through the lock either.
    expect((await signIn(db(), new Date(), { username: s.username, password: TEST_STAFF_PASSWORD })).ok).toBe(false);
  });

  it("the right one resets the count", async () => {
    const s = await signedInStaff(db(), "support", { totp: false });
    await refusal(s.caller.staffAccount.changePassword({ current: "guess", next: "a-much-better-pass-42" }));
    await s.caller.staffAccount.changePassword({ current: TEST_STAFF_PASSWORD, next: "a-much-better-pass-42" });
    expect((await db().staffAccount.findUniqueOrThrow({ where: { id: s.id } })).failedAttempts).toBe(0);
  });

  it("the right one resets the count even when the new password is refused", async () => {
    const s = await signedInStaff(db(), "support", { totp: false });
    await refusal(s.caller.staffAccount.changePassword({ current: "guess", next: "a-much-better-pass-42" }));
    expect(await refusal(s.caller.staffAccount.changePassword({ current: TEST_STAFF_PASSWORD, next: TEST_STAFF_PASSWORD }))).toMatchObject({ message: "新密码不能与当前密码相同" });
    expect((await db().staffAccount.findUniqueOrThrow({ where: { id: s.id } })).failedAttempts).toBe(0);
  });
});
