// Where a member's withdrawals are paid (SPEC §6): the payout provider pays the member's account at its
// platform — WeChat 零钱 to the openid WeChat sign-in linked, Alipay to the login the member binds here. A
// login (phone or e-mail) is personal data, kept as the phone is: encrypted, a lookup hash, a masked copy.
import type { Db, Tx } from "../db";
import type { Ctx } from "../context";
import { refuse, audit } from "../context";
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

/**
 * 绑定支付宝: the Alipay login withdrawals are paid to (identity_type ALIPAY_LOGON_ID with the real name), bound or
 * changed. One account, one member (the lookup hash is unique per app). Not changed while a payout is in flight:
 * Alipay is asked again with the same payout number, which must keep its payee.
 */
export async function bindAlipayAccount(ctx: Ctx, memberId: number, input: string, providerName = payoutProviderName()) {
  const payee = payeePlatformOf(providerName);
  if (payee?.platform !== "alipay") refuse("ALIPAY_NOT_USED", "提现不打款到支付宝，无需绑定支付宝账户");
  const logon = normaliseAlipayLogon(input);
  if (!logon) refuse("INVALID_ALIPAY_ACCOUNT", ALIPAY_ACCOUNT_INVALID);
  const member = await ctx.tx.member.findUnique({ where: { id: memberId }, select: { verifiedAt: true } });
  if (!member) refuse("NO_SUCH_MEMBER", "member not found");
  // Alipay pays a login only together with the payee's real name, which 实名认证 records.
  if (!member.verifiedAt) refuse("NOT_VERIFIED", "请先完成实名认证：支付宝按实名向登录账号转账");
  // Serialised with the member's withdrawal requests (their wallet's lock) and approvals (the rows themselves), so a
  // payout keeps the payee its first attempt was sent to.
  await ctx.tx.$queryRaw`SELECT "memberId" FROM "Wallet" WHERE "memberId" = ${memberId} FOR UPDATE`;
  const open = await ctx.tx.$queryRaw<{ status: string }[]>`
    SELECT status::text AS status FROM "Withdrawal" WHERE "memberId" = ${memberId} AND status IN ('PENDING_REVIEW', 'APPROVED', 'PAYING') FOR UPDATE`;
  if (open.some((w) => w.status !== "PENDING_REVIEW")) refuse("PAYOUT_IN_PROGRESS", "有提现正在打款，到账后再更换支付宝账户");
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
