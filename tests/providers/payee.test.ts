// Where withdrawals go (SPEC §6, PAYOUT_PROVIDER): a withdrawal the provider could not pay (no WeChat openid,
// no Alipay account) is refused when asked, holding nothing, instead of failing after staff approved it; the
// shopper binds an Alipay login in the wallet (encrypted, hashed, masked like the phone) and the wallet says
// where the money goes. Binding or changing that login takes a one-time SMS code sent to the member's own phone
// (step-up: a stolen session alone cannot redirect the payouts). PGlite, or PostgreSQL with FM_TEST_DB=postgres.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { registerProvider } from "../../server/payments";
import { AlipayProvider } from "../../server/payments/providers/alipay";
import { WechatPayProvider } from "../../server/payments/providers/wechatpay";
import { decryptField, lookupHash, phoneFields } from "../../server/auth/crypto";
import { sendSignInCode, verifySignInCode } from "../../server/auth/otp";
import { linkWechatAccount } from "../../server/wechat/oauth";
import { fromMerchant, walletOf } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { approveWithdrawalNow, requestWithdrawal } from "../../server/wallet/withdrawals";
import { bindAlipayAccount, payeeAccountOf, sendPayeeCode } from "../../server/wallet/payee";
import { alipayAccountSchema } from "../../server/wallet/schemas";
import { payoutDestination, withdrawalView } from "../../server/wallet/view";
import { enqueueProviderCall } from "../../server/payments/outbox";
import { performDueProviderCalls, performProviderCall } from "../../server/payments/calls";
import { deleteAsShown } from "../helpers/deletion";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { callerFor, domainRefusal, refusal } from "../helpers/caller";
import { AlipayTestServer } from "../helpers/alipay-server";
import { WechatPayTestServer } from "../helpers/wechatpay-server";
import { nextTestIdNumber } from "../helpers/id-numbers";

const config = parseConfig({});
let database: Database;
let ali: AlipayTestServer;
let wx: WechatPayTestServer;
let staffId: number;
let seq = 0;
const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config }, fn);

beforeAll(async () => {
  ali = await new AlipayTestServer().start();
  wx = await new WechatPayTestServer().start();
  registerProvider(new AlipayProvider(ali.config()));
  registerProvider(new WechatPayProvider(wx.config()));
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  staffId = (await database.prisma.staffAccount.create({ data: { username: "fin", displayName: "财务", role: "finance", passwordHash: "-", createdAt: new Date() } })).id;
});
afterEach(() => {
  vi.unstubAllEnvs();
});
afterAll(async () => {
  await ali.stop();
  await wx.stop();
  await database.close();
});

/** Each member's phone, where the payee codes go. */
const phoneOf = new Map<number, string>();

/** A member with 5 000 元 available, verified as 张三丰 unless told otherwise, signed up with `phone` (a fresh one unless told; null: none). */
async function member(opts: { verified?: boolean; phone?: string | null } = {}) {
  const n = ++seq;
  const phone = opts.phone === undefined ? `1360000${String(n).padStart(4, "0")}` : opts.phone;
  const m = await run((ctx) => registerMember(ctx, { username: `payee${n}`, ...(phone ? { phone: phoneFields(phone) } : {}) }));
  if (phone) phoneOf.set(m.id, phone);
  await run((ctx) => fromMerchant(ctx, `fund-payee-${n}`, "test", "merchant:commission", m.id, "available", 500_000));
  if (opts.verified ?? true) await run((ctx) => verifyIdentity(ctx, m.id, { realName: "张三丰", idNumber: nextTestIdNumber() }));
  return m.id;
}

/** The newest SMS to `phone` in the development outbox, and the code in it. */
async function lastSms(phone: string) {
  const { body } = await database.prisma.smsMessage.findFirstOrThrow({ where: { phoneHash: lookupHash(phone) }, orderBy: { id: "desc" } });
  return { body, code: /(\d{6})/.exec(body)![1]! };
}

/** The member's earlier codes moved a day back, out of the send limits (one a minute, ten a day), as time would. */
async function outOfLimits(memberId: number) {
  await database.prisma.otpCode.updateMany({ where: { phoneHash: lookupHash(phoneOf.get(memberId)!) }, data: { createdAt: new Date(Date.now() - 25 * 3600_000) } });
}

/** 获取验证码: a payee code sent to the member's phone, read from the outbox. */
async function payeeCode(memberId: number): Promise<string> {
  await outOfLimits(memberId);
  await sendPayeeCode(database.prisma, memberId, null, "alipay");
  return (await lastSms(phoneOf.get(memberId)!)).code;
}

/** A code that is not `code`. */
const otherThan = (code: string) => (code === "000000" ? "111111" : "000000");

/** 绑定支付宝 as the wallet does it: a fresh code to the member's phone, then the login with it. */
async function bind(memberId: number, account: string, provider = "alipay") {
  const code = await payeeCode(memberId);
  return bindAlipayAccount(database.prisma, memberId, { account, code }, new Date(), provider);
}

/** What the sign-in's link and the wallet's form each bind, per payout provider. */
const BIND: Record<"alipay" | "wechatpay", (memberId: number) => Promise<unknown>> = {
  alipay: (memberId) => bind(memberId, `139${String(memberId).padStart(8, "0")}`),
  wechatpay: (memberId) => run((ctx) => linkWechatAccount(ctx, memberId, wx.appid, { openid: `oPayee${String(memberId).padStart(20, "0")}` })),
};

describe("a withdrawal needs an account where the payout provider pays (PAYEE_MISSING)", () => {
  it.each([
    ["alipay", "提现打款到支付宝账户，请先在钱包中绑定支付宝账户"],
    ["wechatpay", "提现打款到微信零钱，请先在微信中打开本店、用微信登录绑定微信后再提现"],
  ] as const)("%s: refused while nothing is bound, holding nothing; asked again once bound, it is taken", async (provider, message) => {
    const m = await member();
    const entries = await database.prisma.ledgerEntry.count({ where: { memberId: m } });
    await expect(run((ctx) => requestWithdrawal(ctx, m, 100_000, { providerName: provider }))).rejects.toMatchObject({ code: "PAYEE_MISSING", message });
    expect(await run((ctx) => walletOf(ctx, m))).toMatchObject({ available: 500_000, withdrawing: 0 });
    expect(await database.prisma.withdrawal.count({ where: { memberId: m } })).toBe(0);
    expect(await database.prisma.ledgerEntry.count({ where: { memberId: m } })).toBe(entries);

    await BIND[provider](m);
    const w = await run((ctx) => requestWithdrawal(ctx, m, 100_000, { providerName: provider }));
    // 1 000 元 is within the automatic approval (2 000 元).
    expect(w.status).toBe("APPROVED");
    expect(await run((ctx) => walletOf(ctx, m))).toMatchObject({ available: 400_000, withdrawing: 100_000 });
  });

  it("the sandbox pays no account: nothing to bind", async () => {
    const m = await member();
    expect((await run((ctx) => requestWithdrawal(ctx, m, 100_000, { providerName: "sandbox" }))).status).toBe("APPROVED");
  });

  it("the member's other refusals come first: an unverified member is told to verify", async () => {
    const m = await member({ verified: false });
    await expect(run((ctx) => requestWithdrawal(ctx, m, 100_000, { providerName: "alipay" }))).rejects.toMatchObject({ code: "NOT_VERIFIED" });
  });

  it.each([
    ["alipay", "未绑定支付宝账户，无法转账"],
    ["wechatpay", "未绑定微信，无法转账到零钱"],
  ] as const)("%s: a request made before (awaiting review) still fails cleanly when approved: unpaid, the money back", async (provider, reason) => {
    const m = await member();
    // Asked while withdrawals were paid by the sandbox; 3 000 元 needs one approver.
    const w = await run((ctx) => requestWithdrawal(ctx, m, 300_000, { providerName: "sandbox" }));
    expect(w.status).toBe("PENDING_REVIEW");
    const transfers = ali.transfers.size;
    const done = await approveWithdrawalNow(database.prisma, w.id, { staffId }, new Date(), provider);
    expect(done).toMatchObject({ status: "FAILED", failReason: reason });
    expect(withdrawalView(done).failure).toBe("unbound");
    expect(await run((ctx) => walletOf(ctx, m))).toMatchObject({ available: 500_000, withdrawing: 0, withdrawn: 0 });
    expect(ali.transfers.size).toBe(transfers);
  });
});

describe("binding an Alipay login in the wallet", () => {
  it("a mobile number (typed with spaces, dashes or +86) is kept as the phone is: encrypted, a lookup hash, masked; never in the audit log", async () => {
    const m = await member();
    expect(await bind(m, "+86 138-0013-8000")).toEqual({ account: "138****8000" });
    const row = await database.prisma.externalAccount.findUniqueOrThrow({ where: { memberId_platform_appId: { memberId: m, platform: "alipay", appId: ali.appId } } });
    expect(row.subject).toMatch(/^[0-9a-f]{64}$/);
    expect(row.subjectMasked).toBe("138****8000");
    expect(decryptField(row.subjectEnc!)).toBe("13800138000");
    expect(JSON.stringify(row)).not.toContain("00138000");
    // What a payout is sent (server/payments/calls.ts looks the payee up this way).
    expect(await payeeAccountOf(database.prisma, m, { platform: "alipay", appId: ali.appId })).toBe("13800138000");
    const audits = await database.prisma.auditLog.findMany({ where: { target: `member:${m}`, action: { startsWith: "payee." } } });
    expect(audits.map((a) => [a.action, a.data])).toEqual([["payee.alipay_bound", { login: "phone" }]]);
  });

  it("an e-mail is masked to its first character and domain; changing the account replaces it and is audited as a change", async () => {
    const m = await member();
    await bind(m, "13700137000");
    expect(await bind(m, " Zhang.San@Example.com ")).toEqual({ account: "Z***@Example.com" });
    expect(await database.prisma.externalAccount.count({ where: { memberId: m, platform: "alipay" } })).toBe(1);
    expect(await payeeAccountOf(database.prisma, m, { platform: "alipay", appId: ali.appId })).toBe("Zhang.San@Example.com");
    // The same account again changes nothing.
    expect(await bind(m, "zhang.san@example.com")).toEqual({ account: "Z***@Example.com" });
    const audits = await database.prisma.auditLog.findMany({ where: { target: `member:${m}`, action: { startsWith: "payee." } }, orderBy: { id: "asc" } });
    expect(audits.map((a) => [a.action, a.data])).toEqual([
      ["payee.alipay_bound", { login: "phone" }],
      ["payee.alipay_changed", { login: "email" }],
    ]);
  });

  it("refuses what Alipay could not pay, an account another member holds, another provider, and a change while a payout is in flight", async () => {
    const m = await member();
    for (const bad of ["12345", "1380013800", "23800138000", "zhang@", "zhang@example", "支付宝"]) {
      await expect(bind(m, bad), bad).rejects.toMatchObject({ code: "INVALID_ALIPAY_ACCOUNT", message: "请填写支付宝登录账号：11 位手机号或邮箱地址" });
    }
    const unverified = await member({ verified: false });
    await expect(bindAlipayAccount(database.prisma, unverified, { account: "13600136000", code: "123456" }, new Date(), "alipay")).rejects.toMatchObject({ code: "NOT_VERIFIED" });
    await expect(sendPayeeCode(database.prisma, unverified, null, "alipay")).rejects.toMatchObject({ code: "NOT_VERIFIED" });
    for (const provider of ["sandbox", "wechatpay"]) {
      await expect(bind(m, "13600136000", provider)).rejects.toMatchObject({ code: "ALIPAY_NOT_USED" });
    }

    await bind(m, "Li.Si@example.com");
    const other = await member();
    await expect(bind(other, "li.si@EXAMPLE.com")).rejects.toMatchObject({ code: "ALIPAY_ACCOUNT_TAKEN" });

    // A request still in review may change its payee (it is read when the payout is sent); approved or paying, not.
    const w = await run((ctx) => requestWithdrawal(ctx, m, 100_000, { providerName: "alipay" }));
    await database.prisma.withdrawal.update({ where: { id: w.id }, data: { status: "PENDING_REVIEW" } });
    await bind(m, "13400134000");
    for (const status of ["APPROVED", "PAYING"] as const) {
      await database.prisma.withdrawal.update({ where: { id: w.id }, data: { status } });
      await expect(bind(m, "13500135000"), status).rejects.toMatchObject({ code: "PAYOUT_IN_PROGRESS" });
    }
    expect(await payeeAccountOf(database.prisma, m, { platform: "alipay", appId: ali.appId })).toBe("13400134000");
  });

  it("the form's schema words each mistake", () => {
    const message = (account: string, code = "123456") => alipayAccountSchema.safeParse({ account, code }).error?.issues[0]?.message ?? null;
    expect(message("  ")).toBe("请填写支付宝账号");
    expect(message("abc")).toBe("请填写支付宝登录账号：11 位手机号或邮箱地址");
    expect(message("138 0013 8000")).toBeNull();
    expect(message("a@b.cn")).toBeNull();
    expect(message("a@b.cn", "12345")).toBe("请输入 6 位数字验证码");
    expect(message("a@b.cn", "12345a")).toBe("请输入 6 位数字验证码");
    expect(message("a@b.cn", "012345")).toBeNull();
  });
});

describe("binding takes a one-time SMS code sent to the member's own phone (step-up)", () => {
  /** The member's bound Alipay login, decrypted; null when none. */
  const bound = (m: number) => payeeAccountOf(database.prisma, m, { platform: "alipay", appId: ali.appId });
  const attempt = (m: number, account: string, code: string) => bindAlipayAccount(database.prisma, m, { account, code }, new Date(), "alipay");
  const payeeAudits = (m: number) => database.prisma.auditLog.count({ where: { target: `member:${m}`, action: { startsWith: "payee." } } });

  it("获取验证码 sends a code for binding Alipay to the phone on the account, masked in the answer, under the send limits", async () => {
    const m = await member({ phone: "13600009901" });
    expect(await sendPayeeCode(database.prisma, m, null, "alipay")).toEqual({ phoneMasked: "136****9901", retryAfterSec: 60 });
    const { body, code } = await lastSms("13600009901");
    expect(body).toBe(`【裂变商城】您正在绑定或更换提现收款的支付宝账户，验证码是 ${code}，5 分钟内有效。如非本人操作，请勿将验证码告诉任何人，并在「我的」中退出所有设备。`);
    // One a minute per phone, as for a sign-in code.
    await expect(sendPayeeCode(database.prisma, m, null, "alipay")).rejects.toMatchObject({ code: "TOO_SOON" });
    expect(await database.prisma.smsMessage.count({ where: { phoneHash: lookupHash("13600009901") } })).toBe(1);
  });

  it("a wrong code is refused and binds nothing; the right one then binds", async () => {
    const m = await member();
    const code = await payeeCode(m);
    await expect(attempt(m, "13800138100", otherThan(code))).rejects.toMatchObject({ code: "INVALID_CODE", message: "验证码错误，还可尝试 4 次" });
    expect(await bound(m)).toBeNull();
    expect(await payeeAudits(m)).toBe(0);
    expect(await attempt(m, "13800138100", code)).toEqual({ account: "138****8100" });
    expect(await bound(m)).toBe("13800138100");
  });

  it("a code binds once: used again it is refused and the account stays", async () => {
    const m = await member();
    const code = await payeeCode(m);
    await attempt(m, "13800138200", code);
    await expect(attempt(m, "13800138201", code)).rejects.toMatchObject({ code: "CODE_EXPIRED" });
    expect(await bound(m)).toBe("13800138200");
  });

  it("without a code sent, a login another member holds is not revealed as taken", async () => {
    const holder = await member();
    await bind(holder, "13800138300");
    const prober = await member();
    await expect(attempt(prober, "13800138300", "123456")).rejects.toMatchObject({ code: "CODE_EXPIRED" });
    // A wrong guess at a code just sent: the code's refusal, not the login's.
    const code = await payeeCode(prober);
    await expect(attempt(prober, "13800138300", otherThan(code))).rejects.toMatchObject({ code: "INVALID_CODE" });
  });

  it("a login another member holds, with a valid code: ALIPAY_ACCOUNT_TAKEN, and the code is used up (each probe costs a fresh code)", async () => {
    const holder = await member();
    await bind(holder, "Wu@example.com");
    const prober = await member();
    const code = await payeeCode(prober);
    await expect(attempt(prober, "wu@EXAMPLE.com", code)).rejects.toMatchObject({ code: "ALIPAY_ACCOUNT_TAKEN" });
    const rows = await database.prisma.otpCode.findMany({ where: { phoneHash: lookupHash(phoneOf.get(prober)!), usedAt: null } });
    expect(rows).toEqual([]);
    await expect(attempt(prober, "13800138400", code)).rejects.toMatchObject({ code: "CODE_EXPIRED" });
    expect(await bound(prober)).toBeNull();
    expect(await bound(holder)).toBe("Wu@example.com");
  });

  it("rebinding the login already bound still takes a code, and changes nothing", async () => {
    const m = await member();
    await bind(m, "13800138500");
    const code = await payeeCode(m);
    await expect(attempt(m, "13800138500", otherThan(code))).rejects.toMatchObject({ code: "INVALID_CODE" });
    expect(await attempt(m, "138 0013 8500", code)).toEqual({ account: "138****8500" });
    expect(await payeeAudits(m)).toBe(1);
  });

  it("a code sent for signing in does not bind, and a payee code does not sign in", async () => {
    const m = await member();
    const phone = phoneOf.get(m)!;
    await outOfLimits(m);
    await sendSignInCode(database.prisma, phone, null);
    const signIn = (await lastSms(phone)).code;
    await expect(attempt(m, "13800138600", signIn)).rejects.toMatchObject({ code: "INVALID_CODE" });
    expect(await bound(m)).toBeNull();
    const payee = await payeeCode(m);
    await expect(verifySignInCode(database.prisma, phone, payee)).rejects.toMatchObject({ code: "INVALID_CODE" });
  });

  it("a member without a phone is told to bind one first; no SMS goes out", async () => {
    const m = await member({ phone: null });
    const noPhone = { code: "PAYEE_NO_PHONE", message: "账号未绑定手机号，收不到验证码：请先联系客服绑定手机号，再绑定支付宝账户" };
    const sms = await database.prisma.smsMessage.count();
    await expect(sendPayeeCode(database.prisma, m, null, "alipay")).rejects.toMatchObject(noPhone);
    await expect(attempt(m, "13800138700", "123456")).rejects.toMatchObject(noPhone);
    expect(await database.prisma.smsMessage.count()).toBe(sms);
    expect(await bound(m)).toBeNull();
  });

  /** A member who can delete their account: verified, with a phone, nothing available (a balance blocks 注销账号). */
  async function deletableMember() {
    const n = ++seq;
    const phone = `1360000${String(n).padStart(4, "0")}`;
    const m = await run((ctx) => registerMember(ctx, { username: `payee${n}`, phone: phoneFields(phone) }));
    phoneOf.set(m.id, phone);
    await run((ctx) => verifyIdentity(ctx, m.id, { realName: "张三丰", idNumber: nextTestIdNumber() }));
    return m.id;
  }
  /**
   * The database as bindAlipayAccount reaches it, with `between` run once just before its transaction opens, that is
   * after the code was checked and spent (verifyOtpCode writes outside any transaction).
   */
  function dbWith(between: () => Promise<unknown>) {
    const real = database.prisma;
    let ran = false;
    return new Proxy(real, {
      get(target, prop) {
        if (prop === "$transaction") {
          return async (...args: unknown[]) => {
            if (!ran) {
              ran = true;
              await between();
            }
            return (target.$transaction as (...a: unknown[]) => unknown)(...args);
          };
        }
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
  }
  const codeSpent = async (m: number) => (await database.prisma.otpCode.count({ where: { phoneHash: lookupHash(phoneOf.get(m)!), usedAt: null } })) === 0;

  it("注销账号 committed after the code was checked and before the bind: refused (NO_SUCH_MEMBER), no Alipay login left on the erased account", async () => {
    const m = await deletableMember();
    const code = await payeeCode(m);
    const deleting = () => run((ctx) => deleteAsShown(ctx, m, false));
    await expect(bindAlipayAccount(dbWith(deleting), m, { account: "13800137701", code }, new Date(), "alipay")).rejects.toMatchObject({ code: "NO_SUCH_MEMBER" });
    expect(await database.prisma.member.findUniqueOrThrow({ where: { id: m }, select: { deletedAt: true } })).not.toMatchObject({ deletedAt: null });
    expect(await database.prisma.externalAccount.count({ where: { memberId: m } })).toBe(0);
    expect(await database.prisma.externalAccount.count({ where: { subject: lookupHash("alipay-logon:13800137701") } })).toBe(0);
    expect(await payeeAudits(m)).toBe(0);
  });

  it("a phone changed on the account after the code was checked: the code no longer proves the account's phone, nothing is bound", async () => {
    const m = await member();
    const code = await payeeCode(m);
    const newPhone = phoneFields("13700009999");
    const changing = () => database.prisma.member.update({ where: { id: m }, data: { phoneHash: newPhone.hash, phoneEnc: newPhone.enc, phoneMasked: newPhone.masked } });
    await expect(bindAlipayAccount(dbWith(changing), m, { account: "13800137702", code }, new Date(), "alipay")).rejects.toMatchObject({ code: "CODE_EXPIRED" });
    expect(await bound(m)).toBeNull();
    expect(await payeeAudits(m)).toBe(0);
  });

  it.runIf(usingPostgres())("a bind and 注销账号 at the same time (PostgreSQL): the bind waits for the deletion's lock on the member, then is refused; nothing bound", async () => {
    const m = await deletableMember();
    const code = await payeeCode(m);
    // The deletion has done its work and holds its locks (member, then wallet), not committed yet, when the bind's
    // transaction opens; it commits a moment later.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let deletion: Promise<unknown> | undefined;
    const deletingMeanwhile = async () => {
      let done!: () => void;
      const deleted = new Promise<void>((resolve) => (done = resolve));
      deletion = run(async (ctx) => {
        const r = await deleteAsShown(ctx, m, false);
        done();
        await released;
        return r;
      });
      await deleted;
      setTimeout(release, 300);
    };
    await expect(bindAlipayAccount(dbWith(deletingMeanwhile), m, { account: "13800137703", code }, new Date(), "alipay")).rejects.toMatchObject({ code: "NO_SUCH_MEMBER" });
    expect(await deletion).toEqual({ deleted: true });
    expect(await database.prisma.externalAccount.count({ where: { memberId: m } })).toBe(0);
    expect(await codeSpent(m)).toBe(true);
    expect(await payeeAudits(m)).toBe(0);
  });

  it("the member's own refusals come before the code and spend none: a login Alipay cannot pay, a payout in flight", async () => {
    const m = await member();
    const w = await run((ctx) => requestWithdrawal(ctx, m, 100_000, { providerName: "sandbox" }));
    await database.prisma.withdrawal.update({ where: { id: w.id }, data: { status: "PAYING" } });
    const code = await payeeCode(m);
    await expect(attempt(m, "12345", code)).rejects.toMatchObject({ code: "INVALID_ALIPAY_ACCOUNT" });
    await expect(attempt(m, "13800138800", code)).rejects.toMatchObject({ code: "PAYOUT_IN_PROGRESS" });
    await database.prisma.withdrawal.update({ where: { id: w.id }, data: { status: "PAID" } });
    expect(await attempt(m, "13800138800", code)).toEqual({ account: "138****8800" });
  });
});

describe("the wallet says where withdrawals go", () => {
  it("nothing for the sandbox; Alipay with the bound account masked", async () => {
    const m = await member();
    expect(await payoutDestination(database.prisma, m, "sandbox")).toBeNull();
    expect(await payoutDestination(database.prisma, m, "alipay")).toEqual({ kind: "alipay", label: "支付宝账户", account: null });
    await bind(m, "wang@example.org");
    expect(await payoutDestination(database.prisma, m, "alipay")).toEqual({ kind: "alipay", label: "支付宝账户", account: "w***@example.org" });
  });

  it("an Alipay user id set up outside the wallet is shown by its ends", async () => {
    const m = await member();
    await database.prisma.externalAccount.create({ data: { memberId: m, platform: "alipay", appId: ali.appId, subject: "2088102177846880", createdAt: new Date() } });
    expect(await payoutDestination(database.prisma, m, "alipay")).toMatchObject({ account: "2088****6880" });
  });

  it("WeChat 零钱: whether an openid is linked, whether WeChat sign-in can link one, and the phone to prove", async () => {
    const m = await member({ phone: "13912345678" });
    expect(await payoutDestination(database.prisma, m, "wechatpay")).toEqual({ kind: "wechat", label: "微信零钱", bound: false, signIn: false, phoneMasked: "139****5678" });
    vi.stubEnv("WECHAT_LOGIN", "1");
    vi.stubEnv("WECHAT_APPID", wx.appid);
    vi.stubEnv("WECHAT_APP_SECRET", "secret");
    expect(await payoutDestination(database.prisma, m, "wechatpay")).toMatchObject({ bound: false, signIn: true });
    await BIND.wechatpay(m);
    expect(await payoutDestination(database.prisma, m, "wechatpay")).toMatchObject({ bound: true });
  });
});

describe("through the wallet router", () => {
  const key = () => (++seq).toString(16).padStart(32, "0");

  it("PAYOUT_PROVIDER=alipay: the request is refused until the shopper binds an account; the summary shows it masked", async () => {
    vi.stubEnv("PAYOUT_PROVIDER", "alipay");
    const m = await member({ phone: "13600009902" });
    const shopper = callerFor(database.prisma, m);
    expect(await domainRefusal(shopper.wallet.requestWithdrawal({ amountFen: 300_000, requestKey: key() }))).toBe("PAYEE_MISSING");
    expect((await shopper.wallet.summary()).payee).toEqual({ kind: "alipay", label: "支付宝账户", account: null });
    expect(await shopper.wallet.sendPayeeCode()).toEqual({ phoneMasked: "136****9902", retryAfterSec: 60 });
    const { code } = await lastSms(phoneOf.get(m)!);
    expect(await refusal(shopper.wallet.bindAlipay({ account: "12345", code }))).toMatchObject({ code: "BAD_REQUEST" });
    // The code is part of the input: without it, or not 6 digits, the request is bad, never a bind.
    expect(await refusal(shopper.wallet.bindAlipay({ account: "13300133000" } as { account: string; code: string }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await refusal(shopper.wallet.bindAlipay({ account: "13300133000", code: "12345" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await domainRefusal(shopper.wallet.bindAlipay({ account: "13300133000", code: otherThan(code) }))).toBe("INVALID_CODE");
    expect((await shopper.wallet.summary()).payee).toMatchObject({ account: null });
    expect(await shopper.wallet.bindAlipay({ account: "13300133000", code })).toEqual({ account: "133****3000" });
    expect((await shopper.wallet.summary()).payee).toMatchObject({ account: "133****3000" });
    // 3 000 元 awaits review: no payout is attempted here.
    expect(await shopper.wallet.requestWithdrawal({ amountFen: 300_000, requestKey: key() })).toMatchObject({ status: "PENDING_REVIEW" });
  });

  it("PAYOUT_PROVIDER=wechatpay: refused without a WeChat link; binding Alipay is refused", async () => {
    vi.stubEnv("PAYOUT_PROVIDER", "wechatpay");
    const m = await member();
    const shopper = callerFor(database.prisma, m);
    expect(await domainRefusal(shopper.wallet.requestWithdrawal({ amountFen: 300_000, requestKey: key() }))).toBe("PAYEE_MISSING");
    expect(await domainRefusal(shopper.wallet.sendPayeeCode())).toBe("ALIPAY_NOT_USED");
    expect(await domainRefusal(shopper.wallet.bindAlipay({ account: "13300133001", code: "123456" }))).toBe("ALIPAY_NOT_USED");
    // No SMS is spent on a bind that cannot happen.
    expect(await database.prisma.smsMessage.count({ where: { phoneHash: lookupHash(phoneOf.get(m)!) } })).toBe(0);
    expect((await shopper.wallet.summary()).payee).toMatchObject({ kind: "wechat", bound: false });
  });
});

describe("the payout of a bound login (server/payments/calls.ts)", () => {
  it("a phone login bound in the wallet is paid as ALIPAY_LOGON_ID with the verified name", async () => {
    const db = database.prisma;
    // Verified as 张三丰, 5 000 元 available.
    const m = { id: await member() };
    await bind(m.id, "138 0013 9000");
    const w = await run((ctx) => requestWithdrawal(ctx, m.id, 100_000, { providerName: "alipay" }));
    const t0 = new Date();
    // What executePayout's claim does, then the queued call as the scheduler performs it.
    await db.withdrawal.update({ where: { id: w.id }, data: { status: "PAYING" } });
    const callId = await inTx(db, { config, now: t0 }, (ctx) => enqueueProviderCall(ctx, { kind: "PAYOUT", provider: "alipay", idempotencyNo: `WD${w.id}`, amountFen: 100_000, withdrawalId: w.id }));
    expect(await performProviderCall(db, callId, t0)).toBe("RETRY");
    // The login itself (stored encrypted, looked up by hash) reaches Alipay, with the name Alipay checks it against.
    expect(ali.transfers.get(`WD${w.id}`)).toMatchObject({ identity: "13800139000", identityType: "ALIPAY_LOGON_ID", name: "张三丰", amount: "1000.00" });
    ali.completeTransfer(`WD${w.id}`);
    expect(await performDueProviderCalls(db, new Date(t0.getTime() + 3 * 60_000))).toBe(1);
    expect(await walletOf({ tx: db }, m.id)).toMatchObject({ withdrawing: 0, withdrawn: 100_000 });
  });
});
