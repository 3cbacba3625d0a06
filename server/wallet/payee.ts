// Where a member's withdrawals are paid (SPEC §6): the payout provider pays the member's account at its
// platform — WeChat 零钱 to the openid WeChat sign-in linked, Alipay to the login the member binds here. A
// login (phone or e-mail) is personal data, kept as the phone is: encrypted, a lookup hash, a masked copy.
import type { Db, Tx } from "../db";
import type { Ctx } from "../context";
import { inTx, refuse, audit } from "../context";
import { sendOtpCode, verifyOtpCode } from "../auth/otp";
import { otpRefusal } from "../auth/otp-refusal";
import { Prisma } from "../db/generated/client";
import { decryptField, encryptField, lookupHash, maskPhone } from "../auth/crypto";
import { getProvider, payoutProviderName, providerAvailable } from "../payments/registry";
import { ALIPAY_ACCOUNT_INVALID, normaliseAlipayLogon } from "./schemas";

export type PayeePlatform = { platform: string; appId: string };

/** The platform whose account the payout provider pays; null when it needs none (the sandbox) or is not set up here. */
export function payeePlatformOf(providerName = payoutProviderName()): PayeePlatform | null {
  return providerAvailable(providerName) ? (getProvider(providerName).payeePlatform ?? null) : null;
}

/** The account a payout goes to: a login the member typed (decrypted), else the platform's own id; null when unbound. */
export async function payeeAccountOf(tx: Tx | Db, memberId: number, payee: PayeePlatform): Promise<string | null> {
  const a = await tx.externalAccount.findUnique({ where: { memberId_platform_appId: { memberId, ...payee } }, select: { subject: true, subjectEnc: true } });
  if (!a) return null;
  return a.subjectEnc ? decryptField(a.subjectEnc) : a.subject;
}

/** 138****5678, or the e-mail's first character and its domain (z***@example.com). */
export function maskAlipayLogon(logon: string): string {
  const at = logon.indexOf("@");
  return at < 0 ? maskPhone(logon) : `${logon.slice(0, 1)}***${logon.slice(at)}`;
}

/** Why a withdrawal is refused when the member has no account where the provider pays. */
export function payeeMissingMessage(payee: PayeePlatform): string {
  return payee.platform === "alipay" ? "提现打款到支付宝账户，请先在钱包中绑定支付宝账户" : "提现打款到微信零钱，请先在微信中打开本店、用微信登录绑定微信后再提现";
}

/** No phone, no code: the refusal of a member who cannot receive the payee code (an `error.<code>` key too). */
export const PAYEE_NO_PHONE = "账号未绑定手机号，收不到验证码：请先联系客服绑定手机号，再绑定支付宝账户";

const PAYOUT_IN_PROGRESS = "有提现正在打款，到账后再更换支付宝账户";
const WALLET_BUSY = "钱包正在处理中，请稍后重试";

/**
 * What a bind or its code is refused for before any code is sent or spent, all about the member alone: Alipay not
 * paying withdrawals here, no member, no 实名认证, no phone to send the code to. Returns the platform and the phone.
 */
async function payeePreconditions(db: Db, memberId: number, providerName: string): Promise<{ payee: PayeePlatform; phone: string }> {
  const payee = payeePlatformOf(providerName);
  if (payee?.platform !== "alipay") refuse("ALIPAY_NOT_USED", "提现不打款到支付宝，无需绑定支付宝账户");
  const member = await db.member.findUnique({ where: { id: memberId }, select: { verifiedAt: true, phoneEnc: true, deletedAt: true } });
  if (!member || member.deletedAt) refuse("NO_SUCH_MEMBER", "member not found");
  // Alipay pays a login only together with the payee's real name, which 实名认证 records.
  if (!member.verifiedAt) refuse("NOT_VERIFIED", "请先完成实名认证：支付宝按实名向登录账号转账");
  if (!member.phoneEnc) refuse("PAYEE_NO_PHONE", PAYEE_NO_PHONE);
  return { payee, phone: decryptField(member.phoneEnc) };
}

/**
 * 获取验证码 for 绑定支付宝: a `payee` code to the phone on the account (never a number the caller names), under the
 * sign-in code's limits per phone and IP (server/auth/otp.ts). Returns the phone masked and the seconds to wait.
 */
export async function sendPayeeCode(db: Db, memberId: number, clientIp: string | null, providerName = payoutProviderName()) {
  const { phone } = await payeePreconditions(db, memberId, providerName);
  return sendOtpCode(db, "payee", phone, clientIp).catch(otpRefusal);
}

/**
 * 绑定支付宝: the Alipay login withdrawals are paid to (identity_type ALIPAY_LOGON_ID with the real name), bound or
 * changed — only with the `payee` code just sent to the account's own phone, so a stolen session cannot redirect the
 * payouts. The refusals about the member alone first (they spend no code), then the code, checked and consumed in
 * its own write, before anything looks at who holds the login: a refusal after it (ALIPAY_ACCOUNT_TAKEN) keeps
 * the code used up, so asking who owns a login costs a fresh code each time. Rebinding the login already bound
 * changes nothing but still takes a code. `clientIp`: the caller's, so its wrong codes count toward its network's limits.
 */
export async function bindAlipayAccount(
  db: Db,
  memberId: number,
  input: { account: string; code: string },
  now: Date,
  providerName = payoutProviderName(),
  clientIp: string | null = null,
) {
  const logon = normaliseAlipayLogon(input.account);
  const { payee, phone } = await payeePreconditions(db, memberId, providerName);
  if (!logon) refuse("INVALID_ALIPAY_ACCOUNT", ALIPAY_ACCOUNT_INVALID);
  // Checked again under the locks below; here so that a change refused for a payout in flight spends no code.
  if (await payoutInFlight(db, memberId)) refuse("PAYOUT_IN_PROGRESS", PAYOUT_IN_PROGRESS);
  // On the real clock, as the code was sent (`now` may be a test clock moved ahead).
  const { phoneHash } = await verifyOtpCode(db, "payee", phone, input.code, new Date(), clientIp).catch(otpRefusal);
  return inTx(db, { now }, (ctx) => bindVerifiedAlipayLogon(ctx, memberId, phoneHash, payee, logon));
}

/** PostgreSQL's lock_not_available (55P03): a FOR UPDATE NOWAIT found the row locked. */
function isLockNotAvailable(e: unknown): boolean {
  const { meta } = e as { meta?: { code?: unknown } };
  return e instanceof Error && (meta?.code === "55P03" || /\b55P03\b|could not obtain lock/.test(e.message));
}

/** Whether one of the member's withdrawals is approved or being paid: its payout keeps the payee it was sent to. */
async function payoutInFlight(db: Db, memberId: number): Promise<boolean> {
  return (await db.withdrawal.count({ where: { memberId, status: { in: ["APPROVED", "PAYING"] } } })) > 0;
}

/**
 * The bind itself, once the code sent to the phone whose lookup hash is `phoneHash` is checked. One account, one
 * member (the lookup hash is unique per app). Not changed while a payout is in flight: Alipay is asked again with the
 * same payout number, which must keep its payee.
 */
async function bindVerifiedAlipayLogon(ctx: Ctx, memberId: number, phoneHash: string, payee: PayeePlatform, logon: string) {
  // The member again, now under a lock: 注销账号 may have committed since the code was checked, and must not leave an
  // Alipay login on an erased account. Key share (as the login's foreign key takes it anyway) waits for a deletion in
  // progress (it holds the member FOR UPDATE) and then sees it; a deletion starting later waits for this bind and
  // unlinks what it bound. The member before the wallet, the order deletion takes them in: the two cannot deadlock.
  const [member] = await ctx.tx.$queryRaw<{ deletedAt: Date | null; phoneHash: string | null }[]>`
    SELECT "deletedAt", "phoneHash" FROM "Member" WHERE id = ${memberId} FOR KEY SHARE`;
  if (!member || member.deletedAt) refuse("NO_SUCH_MEMBER", "member not found");
  // The code went to a phone no longer on the account (changed meanwhile): it proves nothing now.
  if (member.phoneHash !== phoneHash) refuse("CODE_EXPIRED", "验证码已失效，请重新获取");
  // Serialised with the member's withdrawal approvals (the rows themselves) and requests (their wallet's lock), so a
  // payout keeps the payee its first attempt was sent to.
  const openWithdrawals = (lock: Prisma.Sql) => ctx.tx.$queryRaw<{ status: string }[]>`
    SELECT status::text AS status FROM "Withdrawal" WHERE "memberId" = ${memberId} AND status IN ('PENDING_REVIEW', 'APPROVED', 'PAYING') ${lock}`;
  const inFlight = (open: { status: string }[]) => open.some((w) => w.status !== "PENDING_REVIEW");
  // The withdrawals before the wallet, the order rejections and payout results take them in: the two cannot deadlock.
  const locked = await openWithdrawals(Prisma.sql`FOR UPDATE`);
  if (inFlight(locked)) refuse("PAYOUT_IN_PROGRESS", PAYOUT_IN_PROGRESS);
  await ctx.tx.$queryRaw`SELECT "memberId" FROM "Wallet" WHERE "memberId" = ${memberId} FOR UPDATE`;
  // Read again: a request (or 重新打款) may have committed while this waited for the wallet; unlocked first, so that a
  // payout already under way on it is refused rather than waited for (its result locks the wallet after the row).
  const open = await openWithdrawals(Prisma.empty);
  if (inFlight(open)) refuse("PAYOUT_IN_PROGRESS", PAYOUT_IN_PROGRESS);
  // Its new row awaits review: locked too, so no approval pays it before this commits. NOWAIT: a rejection holding the row
  // waits for the wallet this holds (row → wallet), so waiting here would deadlock; the member is told to try again.
  if (open.length > locked.length) {
    const relocked = await openWithdrawals(Prisma.sql`FOR UPDATE NOWAIT`).catch((e: unknown) => (isLockNotAvailable(e) ? null : Promise.reject(e)));
    // Held by someone else (e.g. a rejection under way): nothing is known to be paying, only that the wallet is busy.
    if (!relocked) refuse("WALLET_BUSY", WALLET_BUSY);
    if (inFlight(relocked)) refuse("PAYOUT_IN_PROGRESS", PAYOUT_IN_PROGRESS);
  }
  // E-mail logins are matched case-insensitively; the hash names the account, never the phone's own lookup hash.
  const subject = lookupHash(`alipay-logon:${logon.toLowerCase()}`);
  const masked = maskAlipayLogon(logon);
  const holder = await ctx.tx.externalAccount.findUnique({ where: { platform_appId_subject: { ...payee, subject } } });
  if (holder && holder.memberId !== memberId) refuse("ALIPAY_ACCOUNT_TAKEN", "该支付宝账户已被其他会员绑定，请换一个账户");
  if (holder) return { account: holder.subjectMasked ?? masked };
  const data = { subject, subjectEnc: encryptField(logon), subjectMasked: masked, unionId: null };
  const before = await ctx.tx.externalAccount.findUnique({ where: { memberId_platform_appId: { memberId, ...payee } }, select: { id: true } });
  try {
    if (before) await ctx.tx.externalAccount.update({ where: { id: before.id }, data });
    else await ctx.tx.externalAccount.create({ data: { memberId, ...payee, ...data, createdAt: ctx.now } });
  } catch (e) {
    // Another member bound the same account in the same instant (the unique lookup hash).
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") refuse("ALIPAY_ACCOUNT_TAKEN", "该支付宝账户已被其他会员绑定，请换一个账户");
    throw e;
  }
  // The kind of login only: the audit log outlives an account's erasure.
  await audit(ctx, memberId, before ? "payee.alipay_changed" : "payee.alipay_bound", `member:${memberId}`, { login: logon.includes("@") ? "email" : "phone" });
  return { account: masked };
}
