// 用户协议 and 隐私政策 (PIPL): the default texts name what the app really collects and whom it shares it with, and
// promise no earnings; the owner alone saves the shop's own text, each save a new version with who and when,
// audited; shoppers then read it, and the code is sent only with consent to the versions in force.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { DomainError } from "../server/context";
import { DEFAULT_FORBIDDEN_CLAIMS, forbiddenClaimsIn } from "../server/rules/compliance";
import { defaultLegalText } from "../server/legal/defaults";
import { LEGAL_KINDS } from "../server/legal/documents";
import { STAFF_ROLES } from "../server/staff/roles";
import { freshDatabase } from "./helpers/db";
import { callerFor, signedInStaff } from "./helpers/caller";

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

/** The refusal's tRPC code and domain code (fails the test when the call succeeds). */
async function refused(p: Promise<unknown>): Promise<{ code: string; domain: string | null; message: string }> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return { code: e.code, domain: e.cause instanceof DomainError ? e.cause.code : null, message: e.message };
  }
  throw new Error("the call was not refused");
}

describe("the default texts", () => {
  const zh = (kind: (typeof LEGAL_KINDS)[number]) => defaultLegalText(kind, "zh-CN", "裂变商城");
  const en = (kind: (typeof LEGAL_KINDS)[number]) => defaultLegalText(kind, "en", "Fission Mall");

  it("the privacy policy names what the app collects, why, how long, who gets it, the rights and a contact", () => {
    const text = zh("privacy");
    for (const phrase of [
      "裂变商城",
      "手机号码",
      "短信验证码",
      "openid",
      "unionid",
      "收货地址",
      "订单和支付信息",
      "邀请人",
      "佣金",
      "提现",
      "真实姓名和身份证号码",
      "IP 地址",
      "设备指纹",
      "Cookie",
      "不少于三年",
      "微信支付",
      "支付宝",
      "短信服务商",
      "物流公司",
      "查阅",
      "更正",
      "删除",
      "撤回同意",
      "15 个工作日",
      "联系",
    ]) {
      expect(text, phrase).toContain(phrase);
    }
    const english = en("privacy");
    for (const phrase of ["Fission Mall", "Mobile number", "openid", "unionid", "Delivery addresses", "who invited you", "IP address", "device fingerprint", "Cookies", "three years", "WeChat Pay", "Alipay", "SMS provider", "Logistics", "withdraw your consent", "15 working days", "contact"]) {
      expect(english, phrase).toContain(phrase);
    }
  });

  it("the terms describe 推三返一 and the at most three commission levels, and that taking part costs nothing", () => {
    expect(zh("terms")).toContain("推三返一");
    expect(zh("terms")).toContain("佣金最多计算三级");
    expect(zh("terms")).toContain("参与不需要缴纳任何费用");
    expect(en("terms")).toContain("at most three levels");
  });

  it("name the shop as the personal information handler and how to reach it, in both documents and languages", () => {
    // The contact section: from its heading to the next one.
    const section = (text: string, heading: string) => text.slice(text.indexOf(heading)).split(/\n## /)[0];
    for (const kind of LEGAL_KINDS) {
      const zhContact = section(defaultLegalText(kind, "zh-CN", "小满优选"), kind === "terms" ? "## 九、联系我们" : "## 六、联系我们");
      for (const phrase of ["个人信息处理者和本商城的运营者：小满优选", "“我的订单”", "“申请退款”", "“售后服务”", "注销账户", "小满优选客服"]) {
        expect(zhContact, `${kind} ${phrase}`).toContain(phrase);
      }
      const enContact = section(defaultLegalText(kind, "en", "Xiaoman Select"), kind === "terms" ? "## 9. Contact" : "## 6. Contact");
      for (const phrase of ["The personal information handler and operator of the shop: Xiaoman Select", '"My orders"', '"Request refund"', '"After-sales"', "closing your account", "Xiaoman Select's customer service"]) {
        expect(enContact, `${kind} ${phrase}`).toContain(phrase);
      }
    }
  });

  it("make no earnings claim the compliance guard refuses, in either language", () => {
    for (const kind of LEGAL_KINDS) {
      expect(forbiddenClaimsIn(zh(kind), DEFAULT_FORBIDDEN_CLAIMS), `zh ${kind}`).toEqual([]);
      expect(forbiddenClaimsIn(en(kind), DEFAULT_FORBIDDEN_CLAIMS), `en ${kind}`).toEqual([]);
    }
  });
});

describe("the shop's own text", () => {
  it("an owner's save is version 2, with who and when, audited; shoppers then read it in every language", async () => {
    const db = database.prisma;
    const owner = await signedInStaff(db, "owner");
    const anyone = callerFor(db, null);
    expect(await anyone.legal.versions()).toEqual({ terms: 1, privacy: 1 });
    expect(await anyone.legal.document({ kind: "privacy", locale: "zh-CN" })).toMatchObject({ version: 1, custom: false, body: defaultLegalText("privacy", "zh-CN", "裂变商城") });

    const body = "# 本店隐私政策\n\n联系电话：400-800-1234";
    expect(await owner.caller.merchantLegal.save({ kind: "privacy", body, baseVersion: 1 })).toEqual({ kind: "privacy", version: 2 });

    const row = await db.legalDocumentVersion.findUniqueOrThrow({ where: { kind_version: { kind: "privacy", version: 2 } } });
    expect(row).toMatchObject({ body, authorStaffId: owner.id });
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "legal.version_created" } });
    expect(entry).toMatchObject({ actorType: "staff", actorId: owner.id, target: "legal:privacy", before: { version: 1 }, after: { version: 2 } });
    expect(entry.createdAt).toEqual(row.createdAt);

    expect(await anyone.legal.versions()).toEqual({ terms: 1, privacy: 2 });
    for (const locale of ["zh-CN", "en"] as const) {
      expect(await anyone.legal.document({ kind: "privacy", locale })).toMatchObject({ version: 2, custom: true, body });
    }
    // The terms keep the default.
    expect(await anyone.legal.document({ kind: "terms", locale: "en" })).toMatchObject({ version: 1, custom: false });
    const overview = await owner.caller.merchantLegal.overview();
    expect(overview.find((d) => d.kind === "privacy")!.history.map((h) => [h.version, h.author])).toEqual([
      [2, `测试owner (${owner.username})`],
      [1, null],
    ]);
  });

  it("a save over a newer version, an earnings claim, or no change is refused; nothing is written", async () => {
    const db = database.prisma;
    const owner = await signedInStaff(db, "owner");
    const current = (await db.legalDocumentVersion.findFirstOrThrow({ where: { kind: "privacy" }, orderBy: { version: "desc" } })).version;
    const before = await db.legalDocumentVersion.count();
    expect(await refused(owner.caller.merchantLegal.save({ kind: "privacy", body: "新文本", baseVersion: current - 1 }))).toMatchObject({ code: "CONFLICT", domain: "LEGAL_STALE" });
    expect(await refused(owner.caller.merchantLegal.save({ kind: "terms", body: "推荐好友，躺 赚 佣金", baseVersion: 1 }))).toMatchObject({ code: "BAD_REQUEST", domain: "LEGAL_FORBIDDEN_CLAIM" });
    const text = (await db.legalDocumentVersion.findFirstOrThrow({ where: { kind: "privacy", version: current } })).body;
    expect(await refused(owner.caller.merchantLegal.save({ kind: "privacy", body: `  ${text}\n`, baseVersion: current }))).toMatchObject({ domain: "LEGAL_UNCHANGED" });
    expect(await db.legalDocumentVersion.count()).toBe(before);
  });

  it("a disclaimer denying earnings is not a claim: the owner saves it", async () => {
    const db = database.prisma;
    const owner = await signedInStaff(db, "owner");
    const current = (await db.legalDocumentVersion.findFirstOrThrow({ where: { kind: "privacy" }, orderBy: { version: "desc" } })).version;
    const body = "# 本店隐私政策\n\n奖励可能为零：本商城不保证收益，推广并非零风险。";
    expect(await owner.caller.merchantLegal.save({ kind: "privacy", body, baseVersion: current })).toEqual({ kind: "privacy", version: current + 1 });
  });

  it("only the owner opens and saves it: every other role is refused, and so are shoppers", async () => {
    const db = database.prisma;
    for (const role of STAFF_ROLES.filter((r) => r !== "owner")) {
      const staff = await signedInStaff(db, role);
      expect((await refused(staff.caller.merchantLegal.save({ kind: "terms", body: "改协议", baseVersion: 1 }))).code, role).toBe("FORBIDDEN");
      expect((await refused(staff.caller.merchantLegal.overview())).code, role).toBe("FORBIDDEN");
    }
    expect((await refused(callerFor(db, 1).merchantLegal.save({ kind: "terms", body: "改协议", baseVersion: 1 }))).code).toBe("UNAUTHORIZED");
    expect(await db.legalDocumentVersion.count({ where: { kind: "terms" } })).toBe(0);
  });
});

describe("sending a sign-in code", () => {
  it("is refused (400 CONSENT_REQUIRED) without consent, or with consent to versions no longer in force; sent with the current ones", async () => {
    const db = database.prisma;
    const api = callerFor(db, null);
    const current = await api.legal.versions();
    expect(current.privacy).toBeGreaterThan(1); // the privacy policy saved above
    const before = await db.otpCode.count();

    const missing = await refused(api.auth.sendCode({ phone: "13900005555" }));
    expect(missing).toMatchObject({ code: "BAD_REQUEST", domain: "CONSENT_REQUIRED", message: "请先阅读并勾选同意《用户协议》和《隐私政策》" });
    const stale = await refused(api.auth.sendCode({ phone: "13900005555", consent: { terms: current.terms, privacy: current.privacy - 1 } }));
    expect(stale).toMatchObject({ code: "BAD_REQUEST", domain: "CONSENT_REQUIRED" });
    expect(stale.message).toContain("已更新");
    expect(await db.otpCode.count()).toBe(before);

    expect(await api.auth.sendCode({ phone: "13900005555", consent: current })).toMatchObject({ phoneMasked: "139****5555" });
    expect(await db.otpCode.count()).toBe(before + 1);
  });
});
