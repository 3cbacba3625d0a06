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
// sign-in: a requester gets 3 codes per phone per 24 h, and a phone gets codes for at most 5 stranger requesters
// per 24 h, a requester already among them keeping its own budget. A network that signed this phone in within 90
// days (the owner's home or office, likely) is no stranger: it keeps its own 3 however many strangers asked. One
// attacker costs the merchant at most 3 SMS per phone a day, strangers together 15.
// Sends with an unknown IP cannot be told apart: together they are one requester, with the phone's former budget
// (10 per 24 h). A new code replaces only the same requester's unused ones and never cancels another's: a phone
// has at most 3 live codes, any of them accepted, and while 3 of other requesters are live a new requester waits
// (TOO_SOON) for one to end. A wrong guess is charged to every live code of the phone (at most 3) still open to the
// guessing network. Wrong guesses on a code count per network: 5 from the network that requested it end it; another
// network may make 5 and all others together 15, after which the code is closed to them but not to its requester, so
// a stranger cannot end the code its owner is typing and no code is tried more than 20 times. Wrong codes are also
// counted per network (30 an hour across all phones); at that limit the network's checks are refused before any code is tried.
// A code the SMS vendor refused is ended at once, so it signs nobody in, but the attempt counts toward every send limit
// like any other: a script retrying against a refusing vendor is held to the same minute, day and hour as a shopper.
import { randomInt } from "node:crypto";
import type { PrismaClient } from "@/server/db";
import { getSmsProvider, type SmsTemplateKind } from "@/server/sms";
import { SmsSendError } from "@/server/sms/errors";
import { describeError } from "@/server/api/internal-errors";
import { lookupHash, maskPhone, normalisePhone, otpHash, safeEqualHex } from "./crypto";
import { ipRateKey } from "./request";

export const OTP_TTL_MS = 5 * 60_000;
/** Wrong guesses one network may make on one code; the 5th from the network that requested it ends the code. */
export const OTP_MAX_ATTEMPTS = 5;
/** Wrong guesses all networks but the requester's may make on one code together: then it is closed to them only. */
export const OTP_MAX_STRANGER_ATTEMPTS = 15;
/** A code's `attempts` (its wrong guesses from every network) at which it is spent: set so when its requester's 5th is wrong. */
export const OTP_SPENT_ATTEMPTS = OTP_MAX_ATTEMPTS + OTP_MAX_STRANGER_ATTEMPTS;
export const SEND_INTERVAL_MS = 60_000;
/** Codes one requester (IP rate key) may get for one phone per 24 h. */
export const SEND_PER_PHONE_PER_REQUESTER_PER_DAY = 3;
/** Distinct stranger requesters (not a known network, below) a phone gets codes for per 24 h. */
export const SEND_REQUESTERS_PER_PHONE_PER_DAY = 5;
/** A network that signed a phone in within this time keeps its own budget for it (IP addresses get reassigned: not for ever). */
export const KNOWN_NETWORK_MS = 90 * 86_400_000;
/** Codes all sends with an unknown IP, one requester as they cannot be told apart, may get for one phone per 24 h. */
export const SEND_PER_PHONE_PER_DAY = 10;
/** A phone's live codes, each from another requester; all are verifiable, none is cancelled by another's send. */
export const LIVE_CODES_PER_PHONE = 3;
/** Wrong codes one network (IP rate key) may enter per hour, across all phones. */
export const VERIFY_FAILURES_PER_NETWORK_PER_HOUR = 30;
/** Old failure rows removed per failure: enough to keep up with any rate of failures, never a long delete. */
const PRUNE_BATCH = 100;
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
      | "TOO_MANY_ATTEMPTS"
      | "VERIFY_NETWORK_LIMIT"
      | "SMS_UNAVAILABLE"
      | "SMS_PHONE_REFUSED",
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

  const issued = await db.$transaction(async (tx) => {
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
      throw new OtpError("PHONE_REQUESTER_LIMIT", "当前网络 24 小时内为该手机号获取验证码的次数已达上限，请稍后再试");
    }
    // A network that signed this phone in is likely the owner's (only who received a code can): strangers never use up its budget.
    const known = await tx.otpCode.findMany({
      where: { phoneHash, verifiedNetwork: { not: null }, usedAt: { gt: new Date(now.getTime() - KNOWN_NETWORK_MS) } },
      distinct: ["verifiedNetwork"],
      select: { verifiedNetwork: true },
    });
    const knownNetworks = new Set(known.map((k) => k.verifiedNetwork));
    const strangers = requesters.filter((r) => r.ip === null || !knownNetworks.has(r.ip)).length;
    const isKnown = ip !== null && knownNetworks.has(ip);
    if ((ip === null && mine >= SEND_PER_PHONE_PER_DAY) || (mine === 0 && !isKnown && strangers >= SEND_REQUESTERS_PER_PHONE_PER_DAY)) {
      throw new OtpError("PHONE_DAILY_LIMIT", "该手机号 24 小时内获取验证码的次数已达上限，请稍后再试");
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
    // Other requesters' live codes are never cancelled (one may be the owner's in flight): at the bound, wait for one to end.
    const live = await tx.otpCode.findMany({
      where: { phoneHash, usedAt: null, expiresAt: { gt: now }, attempts: { lt: OTP_SPENT_ATTEMPTS } },
      orderBy: { expiresAt: "asc" },
      select: { ip: true, expiresAt: true },
    });
    const others = live.filter((r) => r.ip !== ip);
    if (others.length >= LIVE_CODES_PER_PHONE) {
      const wait = Math.ceil((others[0]!.expiresAt.getTime() - now.getTime()) / 1000);
      throw new OtpError("TOO_SOON", `发送太频繁，请 ${wait} 秒后再试`, wait);
    }
    // Counted from here on, so concurrent sends wait for this one; it replaces the requester's earlier codes once sent.
    return tx.otpCode.create({
      data: { phoneHash, codeHash: purposeHash(phoneHash, code, purpose), ip, expiresAt: new Date(now.getTime() + OTP_TTL_MS), createdAt: now },
      select: { id: true },
    });
  });

  try {
    await getSmsProvider(db).send({
      phone,
      phoneHash,
      phoneMasked: maskPhone(phone),
      body: OTP_MESSAGE[purpose](code),
      template: { kind: TEMPLATE_KIND[purpose], params: [code, String(OTP_MINUTES)] },
    });
  } catch (err) {
    // Any failure but the vendor's refusal may have delivered the code: kept, it still verifies.
    const mayHaveSent = !(err instanceof SmsSendError && !err.mayHaveSent);
    // Refused by the vendor: never sent, so the code is ended; its row stays, so the attempt counts toward every send limit.
    if (!mayHaveSent) await db.otpCode.update({ where: { id: issued.id }, data: { usedAt: now } });
    // The masked phone only; a provider's error names the vendor's code, never the number (server/sms/errors.ts).
    console.error(`[sms] code to ${maskPhone(phone)} ${mayHaveSent ? "may have been sent" : "not sent"}: ${describeError(err)}`);
    if (err instanceof SmsSendError && err.refusal === "phone") {
      throw new OtpError("SMS_PHONE_REFUSED", "该手机号暂时无法接收验证码短信，请稍后再试或更换手机号");
    }
    throw new OtpError("SMS_UNAVAILABLE", "短信发送失败，请稍后再试");
  }
  // A new code replaces the requester's own earlier unused ones (kept while it was not sent: one of them may be on its way).
  await db.otpCode.updateMany({ where: { phoneHash, usedAt: null, ip, id: { lt: issued.id } }, data: { usedAt: now } });
  return { phoneMasked: maskPhone(phone), retryAfterSec: Math.ceil(SEND_INTERVAL_MS / 1000) };
}

/**
 * Checks a sign-in code from `clientIp` (its wrong codes counted per network, see verifyOtpCode); on success it is
 * consumed. Returns the normalised phone.
 */
export function verifySignInCode(db: PrismaClient, phoneInput: string, codeInput: string, now = new Date(), clientIp: string | null = null) {
  return verifyOtpCode(db, "sign_in", phoneInput, codeInput, now, clientIp);
}

/** The OtpVerifyFailure key of one network's wrong guesses on one code (never an IP rate key: those have no "otp-code:"). */
function codeGuessKey(codeId: number, network: string | null): string {
  return `otp-code:${codeId}:${network ?? "unknown"}`;
}

/** The OtpVerifyFailure key of the wrong guesses on one code from every network but its requester's. */
function codeStrangersKey(codeId: number): string {
  return `otp-code:${codeId}:strangers`;
}

/**
 * Checks a code sent for `purpose` (one sent for another purpose is a wrong code); on success it is consumed.
 * With `clientIp`, a wrong code counts against its network's hourly limit and a success makes it a known network of the
 * phone. An unknown IP (no TRUST_PROXY) is one network, "unknown": its wrong guesses on a code count together, as any
 * network's do (OTP_MAX_ATTEMPTS, and the code's requester's end it), which bounds the guesses.
 */
export async function verifyOtpCode(db: PrismaClient, purpose: OtpPurpose, phoneInput: string, codeInput: string, now = new Date(), clientIp: string | null = null) {
  const phone = parsePhoneOrThrow(phoneInput);
  const code = codeInput.trim();
  if (!/^\d{6}$/.test(code)) throw new OtpError("INVALID_CODE", "请输入 6 位数字验证码");
  const phoneHash = lookupHash(phone);
  const network = clientIp === null ? null : ipRateKey(clientIp);
  const hourAgo = new Date(now.getTime() - 3_600_000);
  // Counted before the code is tried and removed unless it proves wrong, so parallel guesses cannot pass the limit together
  // (checks in flight count until decided: a burst near the limit may be refused more than needed, never less).
  const pending = network === null ? null : await db.otpVerifyFailure.create({ data: { network, at: now }, select: { id: true } });
  let wrong = false;
  try {
    if (network !== null) {
      const failures = await db.otpVerifyFailure.count({ where: { network, at: { gt: hourAgo } } });
      if (failures > VERIFY_FAILURES_PER_NETWORK_PER_HOUR) {
        throw new OtpError("VERIFY_NETWORK_LIMIT", "当前网络验证码错误次数过多，请 1 小时后再试");
      }
    }
    // Spent codes are not live (as for sending): else strangers' spent codes could push the owner's out of the newest three.
    // Only when every unexpired code is spent are those read, so the guess is told "too many attempts", not "expired".
    const select = { id: true, ip: true, codeHash: true, attempts: true } as const;
    const newest = { orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }], take: LIVE_CODES_PER_PHONE, select };
    const unspent = await db.otpCode.findMany({ where: { phoneHash, usedAt: null, expiresAt: { gt: now }, attempts: { lt: OTP_SPENT_ATTEMPTS } }, ...newest });
    const live = unspent.length ? unspent : await db.otpCode.findMany({ where: { phoneHash, usedAt: null, expiresAt: { gt: now } }, ...newest });
    if (!live.length) throw new OtpError("CODE_EXPIRED", "验证码已失效，请重新获取");
    // This guess, counted on each code (its network's key, and the strangers' key unless it is the requester's) before it
    // is compared, as the network's failure above: parallel guesses cannot pass a code's limits together.
    const codeOfKey = new Map(live.flatMap((c) => [codeGuessKey(c.id, network), ...(c.ip === network ? [] : [codeStrangersKey(c.id)])].map((key) => [key, c.id])));
    const guessed = await db.otpVerifyFailure.createManyAndReturn({ data: [...codeOfKey.keys()].map((key) => ({ network: key, at: now })), select: { id: true, network: true } });
    let compared: number[] = [];
    try {
      const tally = await db.otpVerifyFailure.groupBy({ by: ["network"], where: { network: { in: guessed.map((g) => g.network) } }, _count: { _all: true } });
      const count = (key: string) => tally.find((t) => t.network === key)?._count._all ?? 0;
      // Each code open to this network, with the wrong guesses it has left here after this one.
      const open = live.flatMap((c) => {
        const own = c.ip === network;
        const mine = OTP_MAX_ATTEMPTS - count(codeGuessKey(c.id, network));
        const left = own ? mine : Math.min(mine, OTP_MAX_STRANGER_ATTEMPTS - count(codeStrangersKey(c.id)));
        return c.attempts < OTP_SPENT_ATTEMPTS && left >= 0 ? [{ ...c, own, left }] : [];
      });
      if (!open.length) throw new OtpError("TOO_MANY_ATTEMPTS", "验证码错误次数过多，请重新获取");
      const wanted = purposeHash(phoneHash, code, purpose);
      const row = open.find((c) => safeEqualHex(c.codeHash, wanted));
      if (row) {
        const consumed = await db.otpCode.updateMany({ where: { id: row.id, usedAt: null, attempts: { lt: OTP_SPENT_ATTEMPTS } }, data: { usedAt: now, verifiedNetwork: network } });
        if (consumed.count === 0) throw new OtpError("CODE_EXPIRED", "验证码已使用，请重新获取");
        return { phone, phoneHash };
      }
      wrong = true;
      compared = open.map((c) => c.id);
      await db.otpCode.updateMany({ where: { id: { in: open.map((c) => c.id) } }, data: { attempts: { increment: 1 } } });
      // The requester's 5th wrong guess ends the code for every network.
      const ended = open.filter((c) => c.own && c.left === 0).map((c) => c.id);
      if (ended.length) await db.otpCode.updateMany({ where: { id: { in: ended } }, data: { attempts: OTP_SPENT_ATTEMPTS } });
      const left = Math.min(...open.map((c) => c.left));
      throw left > 0 ? new OtpError("INVALID_CODE", `验证码错误，还可尝试 ${left} 次`) : new OtpError("TOO_MANY_ATTEMPTS", "验证码错误次数过多，请重新获取");
    } finally {
      // A wrong guess stays counted on the codes it was compared with; anything else is no failure.
      const drop = guessed.filter((g) => !compared.includes(codeOfKey.get(g.network)!)).map((g) => g.id);
      if (drop.length) await db.otpVerifyFailure.deleteMany({ where: { id: { in: drop } } });
    }
  } finally {
    if (pending && !wrong) await db.otpVerifyFailure.delete({ where: { id: pending.id } });
    // SKIP LOCKED: a failure of another network pruning the same rows is never waited for.
    if (wrong) {
      await db.$executeRaw`DELETE FROM "OtpVerifyFailure" WHERE id IN (SELECT id FROM "OtpVerifyFailure" WHERE at <= ${hourAgo} ORDER BY at LIMIT ${PRUNE_BATCH} FOR UPDATE SKIP LOCKED)`;
    }
  }
}
