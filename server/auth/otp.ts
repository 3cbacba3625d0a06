// One-time SMS codes for phone sign-in, for confirming 注销账号 (server/members/deletion.ts), and for binding or
// changing the Alipay login withdrawals are paid to (server/wallet/payee.ts).
// 6 digits, stored hashed, valid 5 minutes, single use. Each code has a purpose:
// its message says what it is for, and it is accepted only for that (the purpose is part of the stored hash).
// Sending is rate-limited per phone (1 per 60 s) and per IP (20 per hour; an IPv6 client
// counts by its /64, the block one subscriber is usually given, see ipRateKey). When the client IP is
// unknown (no TRUST_PROXY, see request.ts) the per-IP limit does not switch off: all such sends share
// one global hourly budget (OTP_UNKNOWN_IP_PER_HOUR) so nobody can spray SMS unmetered.
//
// The daily limit per phone is per requester (the IP's rate key), so nobody can lock a stranger's phone out of
// sign-in: a requester gets 3 codes per phone per 24 h, and a phone gets codes for at most 5 requesters per
// 24 h, a requester already among them keeping its own budget (the owner, once they asked, is never shut out by
// others; one attacker costs the merchant at most 3 SMS per phone a day, and 15 is the most a phone receives).
// Sends with an unknown IP cannot be told apart: together they are one requester, with the phone's former budget
// (10 per 24 h). A new code replaces only the same requester's unused ones, and the phone's 2 newest codes stay
// verifiable, so a stranger's send does not cancel the owner's code in flight. A verification is one attempt
// charged to every live code of the phone, each dead after 5: however many are live, no code is tried more than
// 5 times, as with one code.
import { randomInt } from "node:crypto";
import { Prisma, type PrismaClient } from "@/server/db";
import { getSmsProvider, type SmsTemplateKind } from "@/server/sms";
import { lookupHash, maskPhone, normalisePhone, otpHash, safeEqualHex } from "./crypto";
import { ipRateKey } from "./request";

export const OTP_TTL_MS = 5 * 60_000;
export const OTP_MAX_ATTEMPTS = 5;
export const SEND_INTERVAL_MS = 60_000;
/** Codes one requester (IP rate key) may get for one phone per 24 h. */
export const SEND_PER_PHONE_PER_REQUESTER_PER_DAY = 3;
/** Distinct requesters a phone gets codes for per 24 h. */
export const SEND_REQUESTERS_PER_PHONE_PER_DAY = 5;
/** Codes all sends with an unknown IP, one requester as they cannot be told apart, may get for one phone per 24 h. */
export const SEND_PER_PHONE_PER_DAY = 10;
/** A phone's newest unused codes that stay verifiable: a stranger's send leaves the owner's code in flight. */
export const LIVE_CODES_PER_PHONE = 2;
export const SEND_PER_IP_PER_HOUR = 20;
/** Hourly budget shared by every send whose client IP is unknown (default 200; OTP_UNKNOWN_IP_PER_HOUR). */
export function unknownIpBudgetPerHour(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number.parseInt(env.OTP_UNKNOWN_IP_PER_HOUR ?? "", 10);
  return Number.isSafeInteger(n) && n > 0 ? n : 200;
}

/** What a code is for: `sign_in` (also signs up), `deletion` (confirms 注销账号), `payee` (binds or changes the Alipay login payouts go to). */
export type OtpPurpose = "sign_in" | "deletion" | "payee";

const OTP_MINUTES = OTP_TTL_MS / 60_000;
/**
 * Each purpose's message without its signature (the outbox shows it after the shop's name; real vendors send the
 * purpose's template with [code, minutes] under the registered signature of their settings).
 */
const OTP_MESSAGE: Record<OtpPurpose, (code: string) => string> = {
  sign_in: (code) => `您的登录验证码是 ${code}，${OTP_MINUTES} 分钟内有效。请勿将验证码告诉他人。`,
  deletion: (code) => `您正在注销账号，验证码是 ${code}，${OTP_MINUTES} 分钟内有效。如非本人操作请忽略，请勿将验证码告诉他人。`,
  payee: (code) => `您正在绑定或更换提现收款的支付宝账户，验证码是 ${code}，${OTP_MINUTES} 分钟内有效。如非本人操作，请勿将验证码告诉任何人，并在「我的」中退出所有设备。`,
};

/**
 * The vendor template of each purpose (server/sms/tencent.ts, aliyun.ts: the deletion and payee templates are optional
 * settings, *_SMS_TEMPLATE_DELETION and *_SMS_TEMPLATE_PAYEE; a purpose without its own goes out as the sign-in one).
 */
const TEMPLATE_KIND: Record<OtpPurpose, SmsTemplateKind> = { sign_in: "otp", deletion: "deletion", payee: "payee" };

/**
 * The stored hash of a code for a purpose: a code sent for one purpose never matches when checked for another.
 * A sign-in code hashes as it always did, so codes already sent stay valid; a digit-only code cannot collide.
 */
function purposeHash(phoneHash: string, code: string, purpose: OtpPurpose): string {
  return otpHash(phoneHash, purpose === "sign_in" ? code : `${purpose}:${code}`);
}

export class OtpError extends Error {
  constructor(
    public readonly code:
      | "INVALID_PHONE"
      | "TOO_SOON"
      | "PHONE_DAILY_LIMIT"
      | "PHONE_REQUESTER_LIMIT"
      | "IP_LIMIT"
      | "GLOBAL_LIMIT"
      | "INVALID_CODE"
      | "CODE_EXPIRED"
      | "TOO_MANY_ATTEMPTS",
    message: string,
    public readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = "OtpError";
  }
}

export { ipRateKey };

export function parsePhoneOrThrow(input: string): string {
  const phone = normalisePhone(input);
  if (!phone) throw new OtpError("INVALID_PHONE", "请输入正确的 11 位手机号");
  return phone;
}

/** Issues a sign-in code and hands it to the SMS provider. Returns seconds until the next send is allowed. */
export function sendSignInCode(db: PrismaClient, phoneInput: string, clientIp: string | null, now = new Date()) {
  return sendOtpCode(db, "sign_in", phoneInput, clientIp, now);
}

/**
 * Issues a code for `purpose` and hands it to the SMS provider. Every purpose shares one set of limits per phone
 * and IP, and a new code replaces the same requester's earlier unused ones of any purpose. Returns seconds until the next send.
 */
export async function sendOtpCode(db: PrismaClient, purpose: OtpPurpose, phoneInput: string, clientIp: string | null, now = new Date()) {
  const phone = parsePhoneOrThrow(phoneInput);
  // Stored as the key, so the hourly count is one indexed equality however many addresses a /64 uses.
  const ip = clientIp === null ? null : ipRateKey(clientIp);
  const phoneHash = lookupHash(phone);
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");

  await db.$transaction(async (tx) => {
    // Serialise sends for one phone (and one IP) so concurrent requests cannot slip past the limits.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`otp:${phoneHash}`}))`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${ip ? `otp-ip:${ip}` : "otp-ip:unknown"}))`;

    const last = await tx.otpCode.findFirst({ where: { phoneHash }, orderBy: { createdAt: "desc" } });
    if (last && now.getTime() - last.createdAt.getTime() < SEND_INTERVAL_MS) {
      const wait = Math.ceil((SEND_INTERVAL_MS - (now.getTime() - last.createdAt.getTime())) / 1000);
      throw new OtpError("TOO_SOON", `发送太频繁，请 ${wait} 秒后再试`, wait);
    }
    const requesters = await tx.otpCode.groupBy({
      by: ["ip"],
      where: { phoneHash, createdAt: { gt: new Date(now.getTime() - 86_400_000) } },
      _count: { _all: true },
    });
    const mine = requesters.find((r) => r.ip === ip)?._count._all ?? 0;
    if (ip !== null && mine >= SEND_PER_PHONE_PER_REQUESTER_PER_DAY) {
      throw new OtpError("PHONE_REQUESTER_LIMIT", "当前网络今日为该手机号获取验证码的次数已达上限，请明天再试");
    }
    if ((ip === null && mine >= SEND_PER_PHONE_PER_DAY) || (mine === 0 && requesters.length >= SEND_REQUESTERS_PER_PHONE_PER_DAY)) {
      throw new OtpError("PHONE_DAILY_LIMIT", "该手机号今日获取验证码次数已达上限，请明天再试");
    }
    const hourAgo = new Date(now.getTime() - 3_600_000);
    if (ip) {
      const hour = await tx.otpCode.count({ where: { ip, createdAt: { gt: hourAgo } } });
      if (hour >= SEND_PER_IP_PER_HOUR) {
        throw new OtpError("IP_LIMIT", "当前网络获取验证码过于频繁，请 1 小时后再试");
      }
    } else {
      const hour = await tx.otpCode.count({ where: { ip: null, createdAt: { gt: hourAgo } } });
      if (hour >= unknownIpBudgetPerHour()) {
        throw new OtpError("GLOBAL_LIMIT", "当前获取验证码的人数过多，请稍后再试");
      }
    }
    // A new code replaces the requester's earlier unused ones, and of the others only the newest stay live.
    await tx.otpCode.updateMany({ where: { phoneHash, usedAt: null, ip }, data: { usedAt: now } });
    const older = await tx.otpCode.findMany({ where: { phoneHash, usedAt: null }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: LIVE_CODES_PER_PHONE - 1, select: { id: true } });
    if (older.length) await tx.otpCode.updateMany({ where: { id: { in: older.map((o) => o.id) } }, data: { usedAt: now } });
    await tx.otpCode.create({
      data: { phoneHash, codeHash: purposeHash(phoneHash, code, purpose), ip, expiresAt: new Date(now.getTime() + OTP_TTL_MS), createdAt: now },
    });
  });

  await getSmsProvider(db).send({
    phone,
    phoneHash,
    phoneMasked: maskPhone(phone),
    body: OTP_MESSAGE[purpose](code),
    template: { kind: TEMPLATE_KIND[purpose], params: [code, String(OTP_MINUTES)] },
  });
  return { phoneMasked: maskPhone(phone), retryAfterSec: Math.ceil(SEND_INTERVAL_MS / 1000) };
}

/** Checks a sign-in code; on success it is consumed. Returns the normalised phone. */
export function verifySignInCode(db: PrismaClient, phoneInput: string, codeInput: string, now = new Date()) {
  return verifyOtpCode(db, "sign_in", phoneInput, codeInput, now);
}

/** Checks a code sent for `purpose` (one sent for another purpose is a wrong code); on success it is consumed. */
export async function verifyOtpCode(db: PrismaClient, purpose: OtpPurpose, phoneInput: string, codeInput: string, now = new Date()) {
  const phone = parsePhoneOrThrow(phoneInput);
  const code = codeInput.trim();
  if (!/^\d{6}$/.test(code)) throw new OtpError("INVALID_CODE", "请输入 6 位数字验证码");
  const phoneHash = lookupHash(phone);

  const live = await db.otpCode.findMany({
    where: { phoneHash, usedAt: null, expiresAt: { gt: now } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: LIVE_CODES_PER_PHONE,
    select: { id: true },
  });
  if (!live.length) throw new OtpError("CODE_EXPIRED", "验证码已失效，请重新获取");
  // One attempt, charged to every live code first (conditionally, so parallel guesses cannot exceed the limit):
  // the guess is compared only with the codes it was counted on, so no code is tried more than OTP_MAX_ATTEMPTS times.
  const counted = await db.$queryRaw<{ id: number; codeHash: string; attempts: number }[]>`
    UPDATE "OtpCode" SET attempts = attempts + 1
    WHERE id IN (${Prisma.join(live.map((r) => r.id))}) AND "usedAt" IS NULL AND attempts < ${OTP_MAX_ATTEMPTS}
    RETURNING id, "codeHash", attempts`;
  if (counted.length === 0) throw new OtpError("TOO_MANY_ATTEMPTS", "验证码错误次数过多，请重新获取");
  const wanted = purposeHash(phoneHash, code, purpose);
  const row = counted.find((r) => safeEqualHex(r.codeHash, wanted));
  if (!row) {
    const left = OTP_MAX_ATTEMPTS - Math.min(...counted.map((r) => r.attempts));
    throw new OtpError(
      left > 0 ? "INVALID_CODE" : "TOO_MANY_ATTEMPTS",
      left > 0 ? `验证码错误，还可尝试 ${left} 次` : "验证码错误次数过多，请重新获取",
    );
  }
  const consumed = await db.otpCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
  if (consumed.count === 0) throw new OtpError("CODE_EXPIRED", "验证码已使用，请重新获取");
  return { phone, phoneHash };
}
