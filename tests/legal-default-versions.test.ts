// A 店铺资料 save that changes what a default 用户协议 / 隐私政策 says (the shop, the operator, a contact: PIPL 第十七条
// 第二款) gives that document a new version in the same transaction, by the staff member who saved, audited; the text
// each version had is kept, so sign-in asks again and every consent's text can be read later. A document with the
// merchant's own text is untouched; a save that changes nothing the texts say makes no version.
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { defaultLegalText } from "../server/legal/defaults";
import { CONSENT_OUTDATED_MESSAGE, hasCurrentConsent, recordConsent, requireCurrentConsent } from "../server/legal/consent";
import { saveShopProfile } from "../server/shop/profile";
import { BLANK_SHOP, XIAOMAN_SHOP } from "./helpers/shop";
import { freshDatabase, usingPostgres } from "./helpers/db";
import { callerFor, domainRefusal, refusal, signedInStaff } from "./helpers/caller";
import { behind } from "./helpers/races";
import { renderInProviders } from "./helpers/render";
import type { Locale } from "../lib/i18n/core";
import { LegalEditor } from "../app/merchant/legal/LegalEditor";

let database: Database;
let db: Db;
let owner: Awaited<ReturnType<typeof signedInStaff>>;
beforeAll(async () => {
  database = await freshDatabase();
  db = database.prisma;
  owner = await signedInStaff(db, "owner");
});
afterAll(() => database.close());

const BLANK = BLANK_SHOP;
const XIAOMAN = XIAOMAN_SHOP;

const versionRows = (kind: "terms" | "privacy") => db.legalDocumentVersion.findMany({ where: { kind }, orderBy: { version: "asc" } });
const regenerations = () => db.auditLog.findMany({ where: { action: "legal.default_regenerated" }, orderBy: { id: "asc" } });
const anyone = () => callerFor(db, null);

describe("a 店铺资料 save that changes nothing the default texts say", () => {
  it("makes no version: the same values again, or an English name the English texts already show", async () => {
    // While the name is the app's, English pages call the shop "Fission Mall": saying so changes no text.
    expect(await owner.caller.merchantShop.save({ ...BLANK, nameEn: "Fission Mall" })).toMatchObject({ changed: true, legal: [] });
    expect(await owner.caller.merchantShop.save({ ...BLANK, nameEn: "Fission Mall" })).toMatchObject({ changed: false, legal: [] });
    expect(await db.legalDocumentVersion.count()).toBe(0);
    expect(await regenerations()).toEqual([]);
    expect(await anyone().legal.versions()).toEqual({ terms: 1, privacy: 1 });
  });
});

describe("a new name, operator and contacts", () => {
  it("give both default documents version 2, by the owner, audited; version 1 kept as it read", async () => {
    const memberId = (await inTx(db, { config: parseConfig({}) }, (ctx) => registerMember(ctx, { username: "agreed-v1", nickname: "老会员" }))).id;
    await recordConsent(db, memberId, { terms: 1, privacy: 1 }, "sms", new Date());
    expect(await hasCurrentConsent(db, memberId)).toBe(true);

    expect(await owner.caller.merchantShop.save(XIAOMAN)).toMatchObject({ legal: [{ kind: "terms", version: 2 }, { kind: "privacy", version: 2 }] });
    const savedAt = (await db.shopProfile.findUniqueOrThrow({ where: { id: "default" } })).updatedAt;
    for (const kind of ["terms", "privacy"] as const) {
      expect(await versionRows(kind), kind).toMatchObject([
        // What shoppers agreed to as version 1: the app's name, no operator or contacts (the English name is the app's).
        { version: 1, generated: true, body: defaultLegalText(kind, "zh-CN", "裂变商城"), bodyEn: defaultLegalText(kind, "en", "Fission Mall"), authorStaffId: null, createdAt: null },
        { version: 2, generated: true, body: defaultLegalText(kind, "zh-CN", "小满优选", XIAOMAN), bodyEn: defaultLegalText(kind, "en", "Xiaoman Select", XIAOMAN), authorStaffId: owner.id, createdAt: savedAt },
      ]);
    }
    expect(await regenerations()).toMatchObject(
      ["terms", "privacy"].map((kind) => ({ actorType: "staff", actorId: owner.id, target: `legal:${kind}`, before: { version: 1 }, after: { version: 2 }, requestId: "test-request", createdAt: savedAt })),
    );

    // Shoppers read version 2, the default text naming the new operator, dated.
    const terms = await anyone().legal.document({ kind: "terms", locale: "zh-CN" });
    expect(terms).toMatchObject({ version: 2, custom: false, savedAt });
    expect(terms.body).toContain("个人信息处理者和本商城的运营者：杭州小满网络科技有限公司。");
    expect((await anyone().legal.document({ kind: "privacy", locale: "en" })).body).toBe(defaultLegalText("privacy", "en", "Xiaoman Select", XIAOMAN));

    // A tick for version 1 is refused as outdated; WeChat sign-in asks the member again.
    expect(await anyone().legal.versions()).toEqual({ terms: 2, privacy: 2 });
    await expect(requireCurrentConsent(db, { terms: 1, privacy: 1 })).rejects.toThrow(CONSENT_OUTDATED_MESSAGE);
    const stale = await refusal(anyone().auth.sendCode({ phone: "13900006666", consent: { terms: 1, privacy: 1 } }));
    expect(stale).toMatchObject({ code: "BAD_REQUEST", message: CONSENT_OUTDATED_MESSAGE });
    expect(await hasCurrentConsent(db, memberId)).toBe(false);
    expect(await requireCurrentConsent(db, { terms: 2, privacy: 2 })).toEqual({ terms: 2, privacy: 2 });
  });

  it("a new operator alone: version 3 of both; nothing else rewritten", async () => {
    const before = await db.legalDocumentVersion.findMany({ orderBy: { id: "asc" } });
    const r = await owner.caller.merchantShop.save({ ...XIAOMAN, operatorName: "杭州满仓贸易有限公司" });
    expect(r.legal).toEqual([{ kind: "terms", version: 3 }, { kind: "privacy", version: 3 }]);
    expect(await db.legalDocumentVersion.findMany({ where: { version: { lt: 3 } }, orderBy: { id: "asc" } })).toEqual(before);
    expect((await anyone().legal.document({ kind: "privacy", locale: "zh-CN" })).body).toContain("个人信息处理者和本商城的运营者：杭州满仓贸易有限公司。");
    expect((await regenerations()).at(-1)).toMatchObject({ target: "legal:privacy", before: { version: 2 }, after: { version: 3 } });
  });

  it("spaces inside a value, which the texts show as one: no version, though the 店铺资料 changed", async () => {
    const r = await owner.caller.merchantShop.save({ ...XIAOMAN, operatorName: "杭州满仓贸易有限公司", address: "浙江省杭州市西湖区文三路  1 号" });
    expect(r).toMatchObject({ changed: true, legal: [] });
    expect(await anyone().legal.versions()).toEqual({ terms: 3, privacy: 3 });
  });
});

describe("a document with the merchant's own text", () => {
  it("is untouched by a 店铺资料 change; the default one still gets its version, for a change of its English text alone", async () => {
    const own = "# 小满优选隐私政策\n\n客服电话：0571-88886666";
    expect(await owner.caller.merchantLegal.save({ kind: "privacy", body: own, baseVersion: 3 })).toEqual({ kind: "privacy", version: 4 });
    const privacyBefore = await versionRows("privacy");
    const audited = (await regenerations()).length;

    const r = await owner.caller.merchantShop.save({ ...XIAOMAN, operatorName: "杭州满仓贸易有限公司", nameEn: "Xiaoman Mall" });
    expect(r.legal).toEqual([{ kind: "terms", version: 4 }]);
    expect(await versionRows("privacy")).toEqual(privacyBefore);
    expect(await anyone().legal.document({ kind: "privacy", locale: "en" })).toMatchObject({ version: 4, custom: true, body: own });
    // Only English pages name the shop by its English name: the Chinese text of version 4 is version 3's.
    const [v3, v4] = (await versionRows("terms")).slice(2);
    expect(v4!.body).toBe(v3!.body);
    expect(v4!.bodyEn!.startsWith("# Xiaoman Mall Terms of Service")).toBe(true);
    expect((await anyone().legal.document({ kind: "terms", locale: "en" })).body).toBe(v4!.bodyEn);
    expect((await regenerations()).slice(audited)).toMatchObject([{ target: "legal:terms", before: { version: 3 }, after: { version: 4 } }]);
  });

  it("the owner edits a regenerated default as the version in force, and an editor opened before it is stale", async () => {
    const terms = await anyone().legal.document({ kind: "terms", locale: "zh-CN" });
    expect(await domainRefusal(owner.caller.merchantLegal.save({ kind: "terms", body: "# 协议", baseVersion: 3 }))).toBe("LEGAL_STALE");
    expect(await domainRefusal(owner.caller.merchantLegal.save({ kind: "terms", body: terms.body, baseVersion: 4 }))).toBe("LEGAL_UNCHANGED");
  });
});

describe("the back office's version list", () => {
  it("shows each regenerated version by whom and when, marked as the default text regenerated after a 店铺资料 change", async () => {
    const overview = await owner.caller.merchantLegal.overview();
    const history = (kind: "terms" | "privacy") => overview.find((d) => d.kind === kind)!.history.map((h) => [h.version, h.author, h.source, h.createdAt === null]);
    const by = `测试owner (${owner.username})`;
    expect(history("terms")).toEqual([
      [4, by, "regenerated", false],
      [3, by, "regenerated", false],
      [2, by, "regenerated", false],
      [1, null, "default", true],
    ]);
    expect(history("privacy")).toEqual([
      [4, by, "custom", false],
      [3, by, "regenerated", false],
      [2, by, "regenerated", false],
      [1, null, "default", true],
    ]);
    expect(overview.map((d) => [d.kind, d.version, d.custom])).toEqual([
      ["terms", 4, false],
      ["privacy", 4, true],
    ]);
    const terms4 = await db.legalDocumentVersion.findUniqueOrThrow({ where: { kind_version: { kind: "terms", version: 4 } } });
    expect(overview[0]!.history[0]!.createdAt).toEqual(terms4.createdAt);

    // The page: each regenerated version's line says who, when, and that it is the regenerated default.
    const page = (locale: Locale) =>
      renderInProviders(createElement(LegalEditor), locale, (trpc, qc) => qc.setQueryData(trpc.merchantLegal.overview.queryKey(), overview)).html.replaceAll("<!-- -->", "");
    const zh = page("zh-CN");
    const lines = [...zh.matchAll(/<li[^>]*><span>第 (\d) 版<\/span><span[^>]*>([^<]*)<\/span><\/li>/g)].map((m) => [m[1], m[2]!.includes(by), m[2]!.endsWith(" · 店铺资料变更后重新生成的默认文本")]);
    expect(lines).toEqual([
      ["4", true, true],
      ["3", true, true],
      ["2", true, true],
      ["1", false, false],
      ["4", true, false],
      ["3", true, true],
      ["2", true, true],
      ["1", false, false],
    ]);
    expect(zh.match(/>应用默认文本</g)).toHaveLength(2);
    expect(page("en").match(/ · Default text regenerated after a Shop profile change</g)).toHaveLength(5);
  });
});

describe("a regenerated default kept in an older wording", () => {
  it("is compared as shoppers read it: a save that changes nothing else brings the app's current wording as a new version", async () => {
    // As an older release of the app would have kept version 5.
    await db.legalDocumentVersion.create({ data: { kind: "terms", version: 5, body: "# 旧版措辞", bodyEn: "# Older wording", generated: true, authorStaffId: owner.id, createdAt: new Date() } });
    const profile = { ...XIAOMAN, operatorName: "杭州满仓贸易有限公司", nameEn: "Xiaoman Mall", address: "浙江省杭州市西湖区文三路  1 号" };
    expect((await owner.caller.merchantShop.save(profile)).legal).toEqual([{ kind: "terms", version: 6 }]);
    expect(await anyone().legal.document({ kind: "terms", locale: "zh-CN" })).toMatchObject({ version: 6, body: defaultLegalText("terms", "zh-CN", "小满优选", profile) });
  });
});

describe("the table", () => {
  it("keeps a generated version's English text, a merchant's none; only version 1's kept text has no author", async () => {
    const row = { kind: "terms", version: 90, body: "正文", authorStaffId: owner.id, createdAt: new Date() };
    await expect(db.legalDocumentVersion.create({ data: { ...row, generated: true } })).rejects.toThrow(/LegalDocumentVersion_generated_text/);
    await expect(db.legalDocumentVersion.create({ data: { ...row, bodyEn: "text" } })).rejects.toThrow(/LegalDocumentVersion_generated_text/);
    await expect(db.legalDocumentVersion.create({ data: { ...row, generated: true, bodyEn: "text", authorStaffId: null, createdAt: null } })).rejects.toThrow(/LegalDocumentVersion_author/);
    await expect(db.legalDocumentVersion.create({ data: { ...row, authorStaffId: null } })).rejects.toThrow(/LegalDocumentVersion_author/);
  });
});

describe.runIf(usingPostgres())("at the same time (PostgreSQL)", () => {
  // Holds the 用户协议's version lock, so the two saves queue behind it in a known order.
  const TERMS_LOCK = `SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext('LegalDocumentVersion:terms'))) l WHERE $1::int > 0`;
  const config = parseConfig({});
  const profileSave = (serviceWechat: string) => () => inTx(db, { config }, (ctx) => saveShopProfile(ctx, { ...XIAOMAN, serviceWechat }, { staffId: owner.id }));
  const ownText = (body: string, baseVersion: number) => () => owner.caller.merchantLegal.save({ kind: "terms", body, baseVersion }).catch((e: unknown) => e as Error);

  it("a 店铺资料 save first: the default's next version; the owner's editor, opened on the one before, is stale", async () => {
    const terms = (await anyone().legal.versions()).terms;
    const [saved, own] = await behind(db, TERMS_LOCK, 1, profileSave("manc_kf"), ownText("# 本店用户协议", terms));
    expect(saved.legal).toEqual([{ kind: "terms", version: terms + 1 }]);
    expect(own).toBeInstanceOf(Error);
    expect((own as Error).message).toContain(`用户协议已更新为第 ${terms + 1} 版`);
    expect((await versionRows("terms")).map((r) => r.version)).toEqual(Array.from({ length: terms + 1 }, (_, i) => i + 1));
  });

  it("the owner's text first: the 店铺资料 save leaves it in force", async () => {
    const terms = (await anyone().legal.versions()).terms;
    const [own, saved] = await behind(db, TERMS_LOCK, 1, ownText("# 本店用户协议", terms), profileSave("xiaoman_kf"));
    expect(own).toEqual({ kind: "terms", version: terms + 1 });
    expect(saved).toMatchObject({ changed: true, legal: [] });
    expect(await anyone().legal.document({ kind: "terms", locale: "zh-CN" })).toMatchObject({ version: terms + 1, custom: true, body: "# 本店用户协议" });
  });
});
