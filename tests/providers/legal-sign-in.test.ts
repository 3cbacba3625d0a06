// Consent at sign-in, on the server (PIPL 第十四条): the SMS sign-in and the WeChat sign-in go through only with the
// shopper's consent to the 用户协议 and 隐私政策 in force (the login page's box, unticked by default), and each records
// on the member which versions were accepted and when. The two pages show the merchant's text once saved.
import { createElement } from "react";
import { renderToReadableStream } from "react-dom/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { linkWechatAccount } from "../../server/wechat/oauth";
import { createT } from "../../lib/i18n/core";
import { MESSAGES } from "../../lib/i18n/messages";
import { I18nProvider } from "../../lib/i18n/client";
import { freshDatabase } from "../helpers/db";
import { signedInStaff } from "../helpers/caller";

const holder = vi.hoisted(() => ({ db: null as unknown, jar: new Map<string, string>() }));
vi.mock("server-only", () => ({}));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (holder.jar.has(name) ? { name, value: holder.jar.get(name)! } : undefined),
    set: (name: string, value: string) => void holder.jar.set(name, value),
    delete: (name: string) => void holder.jar.delete(name),
  }),
  headers: async () => new Headers({ host: "shop.example.com" }),
}));
vi.mock("@/lib/i18n/server", () => ({ getT: async () => createT("zh-CN", MESSAGES["zh-CN"]), getLocale: async () => "zh-CN" }));

const { authOptions } = await import("../../server/auth/options");
const { wechatProvider } = await import("../../server/auth/wechat-provider");
const { sendSignInCode } = await import("../../server/auth/otp");
const { default: TermsPage } = await import("../../app/legal/terms/page");
const { default: PrivacyPage } = await import("../../app/legal/privacy/page");

const config = parseConfig({});
let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
  holder.db = database.prisma;
});
afterAll(() => database.close());
beforeEach(() => holder.jar.clear());

type Authorize = (c: Record<string, string>) => Promise<{ id: string } | null>;
const smsAuthorize = () => (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;

async function codeFor(phone: string): Promise<string> {
  await database.prisma.otpCode.deleteMany({});
  await sendSignInCode(database.prisma, phone, "198.51.100.9");
  const sms = await database.prisma.smsMessage.findFirstOrThrow({ orderBy: { id: "desc" } });
  return /(\d{6})/.exec(sms.body)![1]!;
}

/** The owner saves a new privacy policy: the versions in force become 1 (terms) and the next privacy version. */
async function newPrivacyVersion(text: string) {
  const owner = await signedInStaff(database.prisma, "owner");
  const base = (await database.prisma.legalDocumentVersion.findFirst({ where: { kind: "privacy" }, orderBy: { version: "desc" } }))?.version ?? 1;
  return owner.caller.merchantLegal.save({ kind: "privacy", body: text, baseVersion: base });
}

describe("SMS sign-in", () => {
  it("is refused without the consent box, and with consent to a version no longer in force; the code stays usable", async () => {
    const code = await codeFor("13700001111");
    await expect(smsAuthorize()({ phone: "13700001111", code })).rejects.toThrow("请先阅读并勾选同意《用户协议》和《隐私政策》");
    await expect(smsAuthorize()({ phone: "13700001111", code, consent: "1.0" })).rejects.toThrow("请先阅读并勾选同意");
    expect(await database.prisma.member.count({ where: { phoneMasked: "137****1111" } })).toBe(0);
    // The consent is checked before the code: a refused attempt did not count against it.
    expect(await database.prisma.otpCode.findFirstOrThrow()).toMatchObject({ attempts: 0 });
  });

  it("with consent to the versions in force signs in, and records them on the member with the time", async () => {
    await newPrivacyVersion("# 本店隐私政策（第二版）");
    const code = await codeFor("13700002222");
    await expect(smsAuthorize()({ phone: "13700002222", code, consent: "1.1" })).rejects.toThrow("已更新");
    const before = Date.now();
    const user = await smsAuthorize()({ phone: "13700002222", code, consent: "1.2" });
    const consents = await database.prisma.legalConsent.findMany({ where: { memberId: Number(user!.id) } });
    expect(consents).toMatchObject([{ termsVersion: 1, privacyVersion: 2, channel: "sms" }]);
    expect(consents[0]!.acceptedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });
});

describe("WeChat sign-in of a member", () => {
  const cfg = { appId: "wxconsent0000001", appSecret: "secret", oauthBase: "http://127.0.0.1:9", apiBase: "http://127.0.0.1:9" };
  const profile = (openid: string) => wechatProvider(cfg, "https://shop.example.com").profile!({ openid } as never, {} as never);

  it("without consent on record goes through only after the box was ticked for the versions in force; then silently", async () => {
    const m = await inTx(database.prisma, { config }, (ctx) => registerMember(ctx, { username: "wx-member", nickname: "老会员" }));
    await inTx(database.prisma, { config }, (ctx) => linkWechatAccount(ctx, m.id, cfg.appId, { openid: "oConsent0000000000000000001" }));
    const { version: privacy } = await newPrivacyVersion("# 本店隐私政策（微信）");

    // Nothing ticked: refused, and the login page asks for the box.
    const refused = await profile("oConsent0000000000000000001");
    expect(refused.wechatRefusal).toBe("consent");
    const signIn = authOptions.callbacks!.signIn!;
    expect(await signIn({ user: refused, account: { provider: "wechat", type: "oauth", providerAccountId: "x" } } as never)).toBe("/login?error=WechatConsent");
    // Ticked for an older version: refused too.
    holder.jar.set("fm_consent", `1.${privacy - 1}`);
    expect((await profile("oConsent0000000000000000001")).wechatRefusal).toBe("consent");
    expect(await database.prisma.legalConsent.count({ where: { memberId: m.id } })).toBe(0);

    holder.jar.set("fm_consent", `1.${privacy}`);
    expect(await profile("oConsent0000000000000000001")).toMatchObject({ id: String(m.id), referralCode: m.referralCode });
    expect(await database.prisma.legalConsent.findMany({ where: { memberId: m.id } })).toMatchObject([{ termsVersion: 1, privacyVersion: privacy, channel: "wechat" }]);

    // On record: the next visit signs in without a form.
    holder.jar.clear();
    expect((await profile("oConsent0000000000000000001")).wechatRefusal).toBeUndefined();
    // A new version of the policy: asked again.
    await newPrivacyVersion("# 本店隐私政策（再次更新）");
    expect((await profile("oConsent0000000000000000001")).wechatRefusal).toBe("consent");
  });
});

describe("the 用户协议 and 隐私政策 pages", () => {
  const render = async (page: React.ReactNode) => {
    const stream = await renderToReadableStream(createElement(I18nProvider, { locale: "zh-CN", messages: MESSAGES["zh-CN"], children: page }));
    await stream.allReady;
    return (await new Response(stream).text()).replaceAll("<!-- -->", "");
  };

  it("show the merchant's text once saved, the default text until then", async () => {
    const terms = await render(await TermsPage());
    expect(terms).toContain("<h1");
    expect(terms).toContain("用户协议");
    expect(terms).toContain("第 1 版");
    expect(terms).toContain("裂变商城用户协议");

    await newPrivacyVersion("# 小店隐私政策\n\n客服电话：**400-800-5678**");
    const privacy = await render(await PrivacyPage());
    const saved = await database.prisma.legalDocumentVersion.findFirstOrThrow({ where: { kind: "privacy" }, orderBy: { version: "desc" } });
    expect(privacy).toContain(`第 ${saved.version} 版`);
    expect(privacy).toContain("小店隐私政策");
    expect(privacy).toContain("<strong>400-800-5678</strong>");
    expect(privacy).not.toContain("裂变商城隐私政策");
  });
});
