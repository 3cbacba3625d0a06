// Staff accounts (issue 9): the owner invites staff with a one-time initial password and sets roles;
// everyone changes their own password and enrols TOTP. Each change writes its audit entry in the
// same transaction. Never log or audit a password or a TOTP secret.
import type { Db, Tx } from "../db";
import type { Ctx } from "../context";
import type { StaffAccountModel as StaffAccount } from "../db/generated/models";
import { DomainError, inTx, isUniqueViolation, refuse } from "../context";
import { audit, staffActor, type StaffActor } from "../audit";
import { generateInitialPassword, hashPassword, passwordProblem, verifyPassword } from "./password";
import { checkTotp, decryptTotpSecret, newTotpSecret, totpUri } from "./totp";
import { countWrongPassword, normaliseUsername, revokeAllSessions } from "./sessions";
import type { StaffRole } from "./roles";
import { totpRequirement } from "./policy";

export const USERNAME_RE = /^[a-z][a-z0-9_.-]{2,31}$/;

/** What the back office shows of an account (never the hashes or the secret). */
const PUBLIC_FIELDS = {
  id: true,
  username: true,
  displayName: true,
  role: true,
  mustChangePassword: true,
  totpEnabledAt: true,
  failedAttempts: true,
  lockedUntil: true,
  totpLockedUntil: true,
  disabledAt: true,
  createdAt: true,
  lastSignInAt: true,
} as const;

/** A new or removed TOTP secret: no accepted step, and guesses against the old secret no longer count. */
const NO_TOTP = { totpLastStep: null, totpFailedAttempts: 0, totpLockedUntil: null } as const;

async function lockAccount(tx: Tx, id: number) {
  await tx.$queryRaw`SELECT id FROM "StaffAccount" WHERE id = ${id} FOR UPDATE`;
  const staff = await tx.staffAccount.findUnique({ where: { id } });
  if (!staff) refuse("NOT_FOUND", "员工账号不存在");
  return staff;
}

/**
 * Locks the account and every enabled owner in one statement, in id order: two owners changing each other at once
 * queue here instead of each counting the other in its own snapshot (and the one order cannot deadlock).
 */
async function lockAccountAndOwners(tx: Tx, id: number) {
  await tx.$queryRaw`SELECT id FROM "StaffAccount" WHERE id = ${id} OR (role = 'owner' AND "disabledAt" IS NULL) ORDER BY id FOR UPDATE`;
  const staff = await tx.staffAccount.findUnique({ where: { id } });
  if (!staff) refuse("NOT_FOUND", "员工账号不存在");
  return staff;
}

/** The shop must keep one enabled owner: refuses a change that would leave none (owners locked by lockAccountAndOwners). */
async function keepAnOwner(tx: Tx, changedId: number) {
  const others = await tx.staffAccount.count({ where: { role: "owner", disabledAt: null, id: { not: changedId } } });
  if (others === 0) refuse("LAST_OWNER", "至少需要保留一位启用中的店主账号");
}

function validUsername(input: string): string {
  const username = normaliseUsername(input);
  if (!USERNAME_RE.test(username)) refuse("INVALID_USERNAME", "用户名需 3–32 位，以字母开头，只含字母、数字、下划线、点或横线");
  return username;
}

/** Creates an account; used by the owner's invitation and by `npm run staff:create`. */
async function createAccount(ctx: Ctx, input: { username: string; displayName: string; role: StaffRole; password: string; mustChangePassword: boolean; invitedById: number | null; inviteKey?: string | null }) {
  const username = validUsername(input.username);
  const displayName = input.displayName.trim();
  if (!displayName || displayName.length > 40) refuse("INVALID_NAME", "请填写 1–40 字的姓名");
  const exists = await ctx.tx.staffAccount.findUnique({ where: { username }, select: { id: true } });
  if (exists) refuse("USERNAME_TAKEN", "该用户名已被使用");
  const data = {
    username,
    displayName,
    role: input.role,
    passwordHash: await hashPassword(input.password),
    mustChangePassword: input.mustChangePassword,
    invitedById: input.invitedById,
    inviteKey: input.inviteKey ?? null,
    createdAt: ctx.now,
  };
  // The same name invited twice at once: the unique index refuses the second, which is told so (not a 500).
  return ctx.tx.staffAccount.create({ data, select: PUBLIC_FIELDS }).catch((e: unknown) => {
    if (isUniqueViolation(e)) refuse("USERNAME_TAKEN", "该用户名已被使用");
    throw e;
  });
}

export interface StaffInvitation {
  username: string;
  displayName: string;
  role: StaffRole;
  /** The owner's dialog key for this one submission (app/merchant/staff). */
  inviteKey?: string;
}

/**
 * The account an earlier submission with this key invited, given a new initial password (the lost one stops working),
 * or null when the key invited nobody yet. Other facts than that submission's are refused, and so is an account that
 * has signed in since (its initial password was received; a new one is the owner's 重置密码).
 */
async function reissuedInvitation(ctx: Ctx, actor: StaffActor, input: StaffInvitation & { inviteKey: string }) {
  // Taken before the account is read: a second submission with the key waits for the first to commit and then finds its account.
  await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('StaffInviteKey'), hashtext(${`${actor.staffId}:${input.inviteKey}`}))`;
  const made = await ctx.tx.staffAccount.findUnique({ where: { invitedById_inviteKey: { invitedById: actor.staffId, inviteKey: input.inviteKey } }, select: { id: true } });
  if (!made) return null;
  // Locked as sign-in locks it: a sign-in with the old password either came first (refused below) or finds it replaced.
  const account = await lockAccount(ctx.tx, made.id);
  const same = account.username === normaliseUsername(input.username) && account.displayName === input.displayName.trim() && account.role === input.role;
  if (!same) refuse("INVITE_KEY_REUSED", "这次邀请此前已按其他内容提交，请在员工列表中核对后再邀请");
  if (account.lastSignInAt) refuse("INVITE_ALREADY_SIGNED_IN", "该员工已用初始密码登录过；如需新的初始密码，请使用“重置密码”");
  const initialPassword = generateInitialPassword();
  // The new hire locked out by guessing at the lost password must be able to use the new one, as after 重置密码.
  const staff = await ctx.tx.staffAccount.update({ where: { id: account.id }, data: { passwordHash: await hashPassword(initialPassword), mustChangePassword: true, failedAttempts: 0, lockedUntil: null }, select: PUBLIC_FIELDS });
  await audit(ctx.tx, {
    actor: staffActor(actor),
    action: "staff.invite_reissued",
    target: `staff:${staff.id}`,
    before: { failedAttempts: account.failedAttempts, lockedUntil: account.lockedUntil?.toISOString() ?? null },
    after: { username: staff.username, displayName: staff.displayName, role: staff.role, failedAttempts: 0, lockedUntil: null },
    requestId: actor.requestId,
    now: ctx.now,
  });
  return { staff, initialPassword };
}

/**
 * Owner: invites a member of staff. Returns the initial password, shown once and never stored in clear. The same
 * `inviteKey` again (a resent submission whose answer was lost) returns that account with a new initial password.
 */
export async function inviteStaff(ctx: Ctx, actor: StaffActor, input: StaffInvitation) {
  const { inviteKey, ...facts } = input;
  if (inviteKey !== undefined) {
    const reissued = await reissuedInvitation(ctx, actor, { ...facts, inviteKey });
    if (reissued) return reissued;
  }
  const initialPassword = generateInitialPassword();
  const staff = await createAccount(ctx, { ...facts, password: initialPassword, mustChangePassword: true, invitedById: actor.staffId, inviteKey });
  await audit(ctx.tx, { actor: staffActor(actor), action: "staff.invited", target: `staff:${staff.id}`, after: { username: staff.username, displayName: staff.displayName, role: staff.role }, requestId: actor.requestId, now: ctx.now });
  return { staff, initialPassword };
}

/** `npm run staff:create`: an owner account with a chosen password (the first one, or --force-another). */
export async function createOwnerAccount(ctx: Ctx, input: { username: string; displayName: string; password: string }, opts: { allowAnother: boolean }) {
  const owners = await ctx.tx.staffAccount.count({ where: { role: "owner" } });
  if (owners > 0 && !opts.allowAnother) refuse("OWNER_EXISTS", "an owner account already exists (use --force-another to add one more)");
  const problem = passwordProblem(input.password, input.username);
  if (problem) refuse("WEAK_PASSWORD", problem);
  const staff = await createAccount(ctx, { ...input, role: "owner", mustChangePassword: false, invitedById: null });
  await audit(ctx.tx, { actor: { type: "system" }, action: "staff.owner_created", target: `staff:${staff.id}`, after: { username: staff.username, displayName: staff.displayName, role: "owner" }, now: ctx.now });
  return staff;
}

export async function setStaffRole(ctx: Ctx, actor: StaffActor, staffId: number, role: StaffRole) {
  const before = await lockAccountAndOwners(ctx.tx, staffId);
  if (before.role === role) return ctx.tx.staffAccount.findUniqueOrThrow({ where: { id: staffId }, select: PUBLIC_FIELDS });
  if (before.role === "owner") await keepAnOwner(ctx.tx, staffId);
  const after = await ctx.tx.staffAccount.update({ where: { id: staffId }, data: { role }, select: PUBLIC_FIELDS });
  // A role that now needs TOTP gets it at the next request (validateStaffSession asks for enrolment).
  await audit(ctx.tx, { actor: staffActor(actor), action: "staff.role_changed", target: `staff:${staffId}`, before: { role: before.role }, after: { role }, requestId: actor.requestId, now: ctx.now });
  return after;
}

/** Disabling ends every session of the account at once; enabling also clears a lock-out. */
export async function setStaffDisabled(ctx: Ctx, actor: StaffActor, staffId: number, disabled: boolean) {
  const before = await lockAccountAndOwners(ctx.tx, staffId);
  if (Boolean(before.disabledAt) === disabled) return ctx.tx.staffAccount.findUniqueOrThrow({ where: { id: staffId }, select: PUBLIC_FIELDS });
  if (disabled && staffId === actor.staffId) refuse("SELF_DISABLE", "不能停用自己的账号");
  if (disabled && before.role === "owner") await keepAnOwner(ctx.tx, staffId);
  const after = await ctx.tx.staffAccount.update({
    where: { id: staffId },
    data: disabled ? { disabledAt: ctx.now } : { disabledAt: null, failedAttempts: 0, lockedUntil: null, totpFailedAttempts: 0, totpLockedUntil: null },
    select: PUBLIC_FIELDS,
  });
  const ended = disabled ? await revokeAllSessions(ctx.tx, ctx.now, staffId, actor.staffId) : 0;
  await audit(ctx.tx, { actor: staffActor(actor), action: disabled ? "staff.disabled" : "staff.enabled", target: `staff:${staffId}`, before: { disabled: Boolean(before.disabledAt) }, after: { disabled }, data: { sessionsEnded: ended }, requestId: actor.requestId, now: ctx.now });
  return after;
}

/** Owner: a new one-time password (the account must change it), every session ended, lock-out cleared. */
export async function resetStaffPassword(ctx: Ctx, actor: StaffActor, staffId: number) {
  await lockAccount(ctx.tx, staffId);
  if (staffId === actor.staffId) refuse("SELF_RESET", "请在“账号安全”中修改自己的密码");
  const initialPassword = generateInitialPassword();
  await ctx.tx.staffAccount.update({ where: { id: staffId }, data: { passwordHash: await hashPassword(initialPassword), mustChangePassword: true, failedAttempts: 0, lockedUntil: null, totpFailedAttempts: 0, totpLockedUntil: null } });
  const ended = await revokeAllSessions(ctx.tx, ctx.now, staffId, actor.staffId);
  await audit(ctx.tx, { actor: staffActor(actor), action: "staff.password_reset", target: `staff:${staffId}`, data: { sessionsEnded: ended }, requestId: actor.requestId, now: ctx.now });
  return { initialPassword };
}

/** Owner: removes another account's TOTP (a lost phone); the account enrols again at its next sign-in. */
export async function resetStaffTotp(ctx: Ctx, actor: StaffActor, staffId: number) {
  const before = await lockAccount(ctx.tx, staffId);
  if (staffId === actor.staffId) refuse("SELF_RESET", "不能重置自己的两步验证");
  await ctx.tx.staffAccount.update({ where: { id: staffId }, data: { ...NO_TOTP, totpSecretEnc: null, totpEnabledAt: null } });
  const ended = await revokeAllSessions(ctx.tx, ctx.now, staffId, actor.staffId);
  await audit(ctx.tx, { actor: staffActor(actor), action: "staff.totp_reset", target: `staff:${staffId}`, before: { totp: Boolean(before.totpEnabledAt) }, after: { totp: false }, data: { sessionsEnded: ended }, requestId: actor.requestId, now: ctx.now });
}

/**
 * A signed-in member of staff proves their password (to change it, or to turn TOTP off), then `act` runs in the
 * same transaction. A wrong one counts toward the sign-in lockout (the same counter and limit), committed before the refusal:
 * someone holding a stolen session cannot guess it without limit. At the limit the account is locked and every
 * session of it ends.
 */
async function withOwnPassword(db: Db, now: Date, actor: { staffId: number; sessionId: number }, password: string, act: (ctx: Ctx, staff: StaffAccount) => Promise<void>): Promise<void> {
  const staffId = actor.staffId;
  const outcome = await inTx(db, { now }, async (ctx) => {
    const staff = await lockAccount(ctx.tx, staffId);
    if (staff.lockedUntil && staff.lockedUntil > now) return "locked" as const;
    // A session signed in before TOTP was enrolled never passed it: the password alone must not change the credentials.
    const session = await ctx.tx.staffSession.findUnique({ where: { id: actor.sessionId }, select: { mfaPassed: true } });
    if (staff.totpEnabledAt && !session?.mfaPassed) return "mfa" as const;
    if (await verifyPassword(staff.passwordHash, password)) {
      if (staff.failedAttempts > 0 || staff.lockedUntil) await ctx.tx.staffAccount.update({ where: { id: staffId }, data: { failedAttempts: 0, lockedUntil: null } });
      // `act` refuses before it writes: its refusal (a weak new password) keeps the proven password's reset.
      try {
        await act(ctx, staff);
      } catch (e) {
        if (e instanceof DomainError) return e;
        throw e;
      }
      return "ok" as const;
    }
    const { failed, lockedUntil } = await countWrongPassword(ctx.tx, now, staff);
    if (!lockedUntil) return "wrong" as const;
    const ended = await revokeAllSessions(ctx.tx, now, staffId, staffId);
    await audit(ctx.tx, { actor: { type: "system" }, action: "staff.locked_out", target: `staff:${staffId}`, data: { failedAttempts: failed, sessionsEnded: ended }, now });
    return "locked" as const;
  });
  if (outcome instanceof DomainError) throw outcome;
  if (outcome === "mfa") refuse("MFA_REQUIRED", "请退出后用两步验证重新登录，再修改密码或两步验证");
  if (outcome === "locked") refuse("LOCKED", "密码错误次数过多，账号已锁定 15 分钟，请稍后重新登录");
  if (outcome === "wrong") refuse("WRONG_PASSWORD", "当前密码不正确");
}

/** Anyone, for themselves: the current password proves it is them; other sessions are ended. */
export async function changeOwnPassword(db: Db, now: Date, actor: StaffActor & { sessionId: number }, input: { current: string; next: string }) {
  await withOwnPassword(db, now, actor, input.current, async (ctx, staff) => {
    const problem = passwordProblem(input.next, staff.username);
    if (problem) refuse("WEAK_PASSWORD", problem);
    if (input.next === input.current) refuse("SAME_PASSWORD", "新密码不能与当前密码相同");
    await ctx.tx.staffAccount.update({ where: { id: staff.id }, data: { passwordHash: await hashPassword(input.next), mustChangePassword: false, passwordChangedAt: ctx.now } });
    const ended = await revokeAllSessions(ctx.tx, ctx.now, staff.id, staff.id, actor.sessionId);
    await audit(ctx.tx, { actor: staffActor(actor), action: "staff.password_changed", target: `staff:${staff.id}`, data: { otherSessionsEnded: ended }, requestId: actor.requestId, now: ctx.now });
  });
}

/** Starts (or restarts) TOTP enrolment: a new pending secret, returned once for the QR code. */
export async function beginTotpEnrolment(ctx: Ctx, actor: StaffActor) {
  const staff = await lockAccount(ctx.tx, actor.staffId);
  if (staff.totpEnabledAt) refuse("TOTP_ENABLED", "已绑定两步验证");
  const { secret, secretEnc } = newTotpSecret();
  await ctx.tx.staffAccount.update({ where: { id: staff.id }, data: { ...NO_TOTP, totpSecretEnc: secretEnc } });
  return { secret, uri: totpUri(secret, staff.username) };
}

/**
 * Confirms enrolment with a first code; the current session counts as having passed the second factor and every
 * other one ends (it never passed it: a stolen password's session must not outlive the enrolment meant to stop it).
 */
export async function confirmTotpEnrolment(ctx: Ctx, actor: StaffActor & { sessionId: number }, code: string) {
  const staff = await lockAccount(ctx.tx, actor.staffId);
  if (staff.totpEnabledAt) refuse("TOTP_ENABLED", "已绑定两步验证");
  if (!staff.totpSecretEnc) refuse("TOTP_NOT_STARTED", "请先生成绑定二维码");
  const step = await checkTotp(decryptTotpSecret(staff.totpSecretEnc), code.trim(), ctx.now, null);
  if (step === null) refuse("TOTP_INVALID", "验证码不正确，请检查手机时间后重试");
  await ctx.tx.staffAccount.update({ where: { id: staff.id }, data: { totpEnabledAt: ctx.now, totpLastStep: step } });
  await ctx.tx.staffSession.update({ where: { id: actor.sessionId }, data: { mfaPassed: true } });
  const ended = await revokeAllSessions(ctx.tx, ctx.now, staff.id, staff.id, actor.sessionId);
  await audit(ctx.tx, { actor: staffActor(actor), action: "staff.totp_enrolled", target: `staff:${staff.id}`, before: { totp: false }, after: { totp: true }, data: { otherSessionsEnded: ended }, requestId: actor.requestId, now: ctx.now });
}

/**
 * Turns off one's own TOTP — only for roles that do not require it, and never while the shop requires it of all staff
 * (server/staff/policy.ts). Every other session ends, as when it is enrolled:
 * a session that passed the second factor elsewhere must not outlive its removal; the session turning it off stays.
 */
export async function disableOwnTotp(db: Db, now: Date, actor: StaffActor & { sessionId: number }, password: string) {
  await withOwnPassword(db, now, actor, password, async (ctx, staff) => {
    const required = await totpRequirement(ctx.tx, staff.role);
    if (required === "role") refuse("TOTP_REQUIRED", "该角色必须启用两步验证");
    if (required === "shop") refuse("TOTP_REQUIRED_BY_SHOP", "本店要求全体员工启用两步验证，不能关闭");
    await ctx.tx.staffAccount.update({ where: { id: staff.id }, data: { ...NO_TOTP, totpSecretEnc: null, totpEnabledAt: null } });
    const ended = await revokeAllSessions(ctx.tx, ctx.now, staff.id, staff.id, actor.sessionId);
    await audit(ctx.tx, { actor: staffActor(actor), action: "staff.totp_disabled", target: `staff:${staff.id}`, before: { totp: true }, after: { totp: false }, data: { otherSessionsEnded: ended }, requestId: actor.requestId, now: ctx.now });
  });
}

export async function listStaff(db: Db | Tx) {
  return db.staffAccount.findMany({ orderBy: [{ disabledAt: { sort: "asc", nulls: "first" } }, { id: "asc" }], select: PUBLIC_FIELDS });
}

export async function staffAccount(db: Db | Tx, id: number) {
  return db.staffAccount.findUnique({ where: { id }, select: PUBLIC_FIELDS });
}
