// A 店铺资料 save that changes what a default 用户协议 / 隐私政策 says (the shop, the operator, a contact: PIPL 第十七条
// 第二款) gives that document a new version in the same transaction, by the staff member who saved, audited; the text
// each version had is kept, so sign-in asks again and every consent's text can be read later. A document with the
// merchant's own text is untouched; a save that changes nothing the texts say makes no version. A release of the app
// that rewords a default text does the same at server start (syncDefaultLegalTexts, instrumentation.ts), by the system,
// unless it is older than the release that kept the text in force (DEFAULT_LEGAL_REVISION).
import { createElement } from "react";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { DEFAULT_LEGAL_FINGERPRINTS, DEFAULT_LEGAL_REVISION, LEGAL_DEFAULTS, defaultLegalText, type LegalContact, type LegalDefaults } from "../server/legal/defaults";
import { CONSENT_OUTDATED_MESSAGE, hasCurrentConsent, recordConsent, requireCurrentConsent } from "../server/legal/consent";
import { saveShopProfile } from "../server/shop/profile";
import { currentLegalVersions, legalDocument, syncDefaultLegalTexts } from "../server/legal/documents";
import { BLANK_SHOP, XIAOMAN_SHOP, saveShopForm } from "./helpers/shop";
import { freshDatabase, usingPostgres } from "./helpers/db";
import { callerFor, domainRefusal, refusal, signedInStaff } from "./helpers/caller";
import { behind, sleep } from "./helpers/races";
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
    expect(await saveShopForm(owner.caller, { ...BLANK, nameEn: "Fission Mall" })).toMatchObject({ changed: true, legal: [] });
    expect(await saveShopForm(owner.caller, { ...BLANK, nameEn: "Fission Mall" })).toMatchObject({ changed: false, legal: [] });
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

    expect(await saveShopForm(owner.caller, XIAOMAN)).toMatchObject({ legal: [{ kind: "terms", version: 2 }, { kind: "privacy", version: 2 }] });
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
    const r = await saveShopForm(owner.caller, { ...XIAOMAN, operatorName: "杭州满仓贸易有限公司" });
    expect(r.legal).toEqual([{ kind: "terms", version: 3 }, { kind: "privacy", version: 3 }]);
    expect(await db.legalDocumentVersion.findMany({ where: { version: { lt: 3 } }, orderBy: { id: "asc" } })).toEqual(before);
    expect((await anyone().legal.document({ kind: "privacy", locale: "zh-CN" })).body).toContain("个人信息处理者和本商城的运营者：杭州满仓贸易有限公司。");
    expect((await regenerations()).at(-1)).toMatchObject({ target: "legal:privacy", before: { version: 2 }, after: { version: 3 } });
  });

  it("spaces inside a value, which the texts show as one: no version, though the 店铺资料 changed", async () => {
    const r = await saveShopForm(owner.caller, { ...XIAOMAN, operatorName: "杭州满仓贸易有限公司", address: "浙江省杭州市西湖区文三路  1 号" });
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

    const r = await saveShopForm(owner.caller, { ...XIAOMAN, operatorName: "杭州满仓贸易有限公司", nameEn: "Xiaoman Mall" });
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

  it("the owner edits a regenerated default as the version in force, and an editor of its changed language opened before it is stale", async () => {
    const terms = await anyone().legal.document({ kind: "terms", locale: "zh-CN" });
    // Version 4 changed the English text alone (the shop's English name).
    expect(await domainRefusal(owner.caller.merchantLegal.save({ kind: "terms", locale: "en", body: "# Terms", baseVersion: 3 }))).toBe("LEGAL_STALE");
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
      ["terms", 4, { "zh-CN": false, en: false }],
      ["privacy", 4, { "zh-CN": true, en: false }],
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
    expect((await saveShopForm(owner.caller, profile)).legal).toEqual([{ kind: "terms", version: 6 }]);
    expect(await anyone().legal.document({ kind: "terms", locale: "zh-CN" })).toMatchObject({ version: 6, body: defaultLegalText("terms", "zh-CN", "小满优选", profile) });
  });
});

describe("the table", () => {
  it("keeps a generated version's English text, a merchant's if saved; a merchant's version has an author, version 1's kept text none and no date", async () => {
    const row = { kind: "terms", version: 90, body: "正文", authorStaffId: owner.id, createdAt: new Date() };
    await expect(db.legalDocumentVersion.create({ data: { ...row, generated: true } })).rejects.toThrow(/LegalDocumentVersion_generated_text/);
    await expect(db.legalDocumentVersion.create({ data: { ...row, generated: true, bodyEn: "text", authorStaffId: null, createdAt: null } })).rejects.toThrow(/LegalDocumentVersion_author/);
    await expect(db.legalDocumentVersion.create({ data: { ...row, authorStaffId: null } })).rejects.toThrow(/LegalDocumentVersion_author/);
    // The default wording's revision: only beside a default Chinese text, counted from 1.
    await expect(db.legalDocumentVersion.create({ data: { ...row, customZh: true, defaultRevision: 1 } })).rejects.toThrow(/LegalDocumentVersion_default_revision/);
    await expect(db.legalDocumentVersion.create({ data: { ...row, generated: true, bodyEn: "text", defaultRevision: 0 } })).rejects.toThrow(/LegalDocumentVersion_default_revision/);
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

describe("a release of the app that rewords the default texts (checked at server start)", () => {
  // A database of its own: the shop as it stands when the new release starts.
  let up: Database;
  let udb: Db;
  let uowner: Awaited<ReturnType<typeof signedInStaff>>;
  let memberId: number;
  beforeAll(async () => {
    up = await freshDatabase();
    udb = up.prisma;
    uowner = await signedInStaff(udb, "owner");
    memberId = (await inTx(udb, { config: parseConfig({}) }, (ctx) => registerMember(ctx, { username: "agreed-old", nickname: "老会员" }))).id;
  });
  afterAll(() => up.close());

  const rows = (kind: "terms" | "privacy") => udb.legalDocumentVersion.findMany({ where: { kind }, orderBy: { version: "asc" } });
  const upgrades = () => udb.auditLog.findMany({ where: { action: "legal.default_upgraded" }, orderBy: { id: "asc" } });
  const shopper = () => callerFor(udb, null);
  /** As an older release kept the 用户协议 after a 店铺资料 save: generated, by the owner, in that release's wording. */
  const keptInOlderWording = async (at: Date) => {
    const version = (await shopper().legal.versions()).terms + 1;
    await udb.legalDocumentVersion.create({
      data: { kind: "terms", version, body: "# 小满优选用户协议\n\n旧版措辞：本协议由小满优选制定。", bodyEn: "# Xiaoman Select Terms\n\nOlder wording.", generated: true, authorStaffId: uowner.id, createdAt: at },
    });
    return version;
  };

  it("a default never kept is kept as version 1, as this release words it: nothing for shoppers to accept again", async () => {
    // A member, but no consent on record: nobody agreed to a version 1 whose text was never kept.
    expect(await udb.legalConsent.count()).toBe(0);
    expect(await syncDefaultLegalTexts(udb)).toEqual([]);
    for (const kind of ["terms", "privacy"] as const) {
      // The 店铺资料 has never been saved: the app's name, no operator or contacts.
      expect(await rows(kind), kind).toMatchObject([
        { version: 1, generated: true, defaultRevision: DEFAULT_LEGAL_REVISION, body: defaultLegalText(kind, "zh-CN", "裂变商城"), bodyEn: defaultLegalText(kind, "en", "Fission Mall"), authorStaffId: null, createdAt: null },
      ]);
    }
    expect(await shopper().legal.versions()).toEqual({ terms: 1, privacy: 1 });
    expect(await shopper().legal.document({ kind: "terms", locale: "zh-CN" })).toMatchObject({ version: 1, custom: false, savedAt: null, body: defaultLegalText("terms", "zh-CN", "裂变商城") });
    expect(await syncDefaultLegalTexts(udb)).toEqual([]);
    expect(await udb.legalDocumentVersion.count()).toBe(2);
    expect(await upgrades()).toEqual([]);
  });

  it("a default kept in an older wording: one new version in this release's wording, by the system, audited, however many starts; consent to the old one is outdated", async () => {
    // The owner names the shop (version 2 of both), then writes the shop's own 隐私政策 (version 3).
    expect((await saveShopForm(uowner.caller, XIAOMAN)).legal).toEqual([{ kind: "terms", version: 2 }, { kind: "privacy", version: 2 }]);
    expect(await uowner.caller.merchantLegal.save({ kind: "privacy", body: "# 小满优选隐私政策（本店文本）", baseVersion: 2 })).toEqual({ kind: "privacy", version: 3 });
    const terms = await keptInOlderWording(new Date("2026-11-01T02:00:00Z"));
    expect(terms).toBe(3);
    await recordConsent(udb, memberId, { terms: 3, privacy: 3 }, "sms", new Date());
    expect(await hasCurrentConsent(udb, memberId)).toBe(true);
    const privacyBefore = await rows("privacy");

    // Two instances start at once, then one restarts.
    const startedAt = new Date("2026-12-05T01:00:00Z");
    const started = await Promise.all([syncDefaultLegalTexts(udb, startedAt), syncDefaultLegalTexts(udb, startedAt)]);
    expect(started.flat()).toEqual([{ kind: "terms", version: 4 }]);
    expect(await syncDefaultLegalTexts(udb, new Date("2026-12-05T02:00:00Z"))).toEqual([]);

    const kept = await rows("terms");
    expect(kept.map((r) => r.version)).toEqual([1, 2, 3, 4]);
    expect(kept[3]).toMatchObject({
      generated: true,
      // Kept by an older release before revisions were recorded (0): this release's wording replaces it.
      defaultRevision: DEFAULT_LEGAL_REVISION,
      body: defaultLegalText("terms", "zh-CN", "小满优选", XIAOMAN),
      bodyEn: defaultLegalText("terms", "en", "Xiaoman Select", XIAOMAN),
      authorStaffId: null,
      createdAt: startedAt,
    });
    // The older wording stays as it read: the consent given to it can be read again.
    expect(kept[2]!.body).toContain("旧版措辞");
    // The merchant's own text is untouched.
    expect(await rows("privacy")).toEqual(privacyBefore);
    expect(await upgrades()).toMatchObject([
      { actorType: "system", actorId: null, target: "legal:terms", before: { version: 3, revision: 0 }, after: { version: 4, revision: DEFAULT_LEGAL_REVISION }, requestId: null, createdAt: startedAt },
    ]);

    // Shoppers read version 4; a tick for version 3 is refused as outdated, and WeChat sign-in asks the member again.
    expect(await shopper().legal.document({ kind: "terms", locale: "en" })).toMatchObject({ version: 4, custom: false, savedAt: startedAt, body: defaultLegalText("terms", "en", "Xiaoman Select", XIAOMAN) });
    expect(await shopper().legal.versions()).toEqual({ terms: 4, privacy: 3 });
    await expect(requireCurrentConsent(udb, { terms: 3, privacy: 3 })).rejects.toThrow(CONSENT_OUTDATED_MESSAGE);
    expect(await refusal(shopper().auth.sendCode({ phone: "13900007777", consent: { terms: 3, privacy: 3 } }))).toMatchObject({ code: "BAD_REQUEST", message: CONSENT_OUTDATED_MESSAGE });
    expect(await hasCurrentConsent(udb, memberId)).toBe(false);
    expect(await requireCurrentConsent(udb, { terms: 4, privacy: 3 })).toEqual({ terms: 4, privacy: 3 });
  });

  it("the back office lists that version as the system's, regenerated after an app update", async () => {
    const overview = await uowner.caller.merchantLegal.overview();
    const by = `测试owner (${uowner.username})`;
    expect(overview[0]!.history.map((h) => [h.version, h.author, h.source, h.createdAt === null])).toEqual([
      [4, null, "upgraded", false],
      [3, by, "regenerated", false],
      [2, by, "regenerated", false],
      [1, null, "default", true],
    ]);
    const zh = renderInProviders(createElement(LegalEditor), "zh-CN", (trpc, qc) => qc.setQueryData(trpc.merchantLegal.overview.queryKey(), overview)).html.replaceAll("<!-- -->", "");
    const line = [...zh.matchAll(/<li[^>]*><span>第 4 版<\/span><span[^>]*>([^<]*)<\/span><\/li>/g)][0]![1]!;
    expect(line.startsWith("系统 · ")).toBe(true);
    expect(line.endsWith(" · 应用更新了默认文本的措辞，重新生成")).toBe(true);
  });

  it("the table takes a dated generated version by nobody after version 1, never a merchant's", async () => {
    const row = { kind: "terms", version: 90, body: "正文", bodyEn: "text", generated: true, authorStaffId: null, createdAt: new Date() };
    const ok = await udb.legalDocumentVersion.create({ data: row });
    await udb.legalDocumentVersion.delete({ where: { id: ok.id } });
    await expect(udb.legalDocumentVersion.create({ data: { ...row, createdAt: null } })).rejects.toThrow(/LegalDocumentVersion_author/);
    await expect(udb.legalDocumentVersion.create({ data: { ...row, version: 1, kind: "other" } })).rejects.toThrow(/LegalDocumentVersion_author/);
    await expect(udb.legalDocumentVersion.create({ data: { ...row, generated: false, bodyEn: null } })).rejects.toThrow(/LegalDocumentVersion_author/);
  });

  describe.runIf(usingPostgres())("at the same time (PostgreSQL)", () => {
    const TERMS_LOCK = `SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext('LegalDocumentVersion:terms'))) l WHERE $1::int > 0`;

    it("two instances starting at once: the second reads only once the first has committed (the 店铺资料 lock), one new version, no error", async () => {
      const old = await keptInOlderWording(new Date());
      // Each start's read of a document waits (up to a moment) for the other start's read: without the locks both would
      // read the older version and write the same next one; with them the second read comes after the first commit.
      let reads = 0;
      let bothRead!: () => void;
      const met = new Promise<void>((r) => (bothRead = r));
      const racing = udb.$extends({
        query: {
          legalDocumentVersion: {
            async findFirst({ args, query }) {
              const found = await query(args);
              if (++reads === 2) bothRead();
              await Promise.race([met, sleep(1_500)]);
              return found;
            },
          },
        },
      }) as unknown as Db;
      const results = await Promise.all([syncDefaultLegalTexts(racing), syncDefaultLegalTexts(racing)]);
      expect(results.flat()).toEqual([{ kind: "terms", version: old + 1 }]);
      expect((await rows("terms")).filter((r) => r.version > old)).toHaveLength(1);
    });

    it("a 店铺资料 save committed while the check starts: its version stands, not undone by the check's older read", async () => {
      const old = await keptInOlderWording(new Date());
      const save = () => inTx(udb, { config: parseConfig({}) }, (ctx) => saveShopProfile(ctx, { ...XIAOMAN, serviceWechat: "manc_kf" }, { staffId: uowner.id }));
      const [saved, started] = await behind(udb, TERMS_LOCK, 1, save, () => syncDefaultLegalTexts(udb));
      expect(saved.legal).toEqual([{ kind: "terms", version: old + 1 }]);
      expect(started).toEqual([]);
      expect(await shopper().legal.document({ kind: "terms", locale: "zh-CN" })).toMatchObject({ version: old + 1, body: defaultLegalText("terms", "zh-CN", "小满优选", { ...XIAOMAN, serviceWechat: "manc_kf" }) });
    });
  });
});

describe("an install whose shoppers agreed to version 1 before its text was kept", () => {
  // Consents name version numbers only (server/legal/consent.ts): what version 1 said under the release the shopper
  // read it in is lost; the start-up keeps the best text there is and asks everyone to agree again to a kept one.
  let inst: Database;
  let idb: Db;
  beforeAll(async () => {
    inst = await freshDatabase();
    idb = inst.prisma;
  });
  afterAll(() => inst.close());

  it("keeps version 1 and makes version 2 of each, the same text, by the system, audited; the consent to version 1 is outdated", async () => {
    const memberId = (await inTx(idb, { config: parseConfig({}) }, (ctx) => registerMember(ctx, { username: "agreed-unkept", nickname: "老会员" }))).id;
    await recordConsent(idb, memberId, { terms: 1, privacy: 1 }, "sms", new Date("2026-10-01T08:00:00Z"));
    expect(await hasCurrentConsent(idb, memberId)).toBe(true);

    const startedAt = new Date("2026-12-06T01:00:00Z");
    expect(await syncDefaultLegalTexts(idb, startedAt)).toEqual([
      { kind: "terms", version: 2 },
      { kind: "privacy", version: 2 },
    ]);
    for (const kind of ["terms", "privacy"] as const) {
      const texts = { body: defaultLegalText(kind, "zh-CN", "裂变商城"), bodyEn: defaultLegalText(kind, "en", "Fission Mall"), generated: true, defaultRevision: DEFAULT_LEGAL_REVISION, authorStaffId: null };
      expect(await idb.legalDocumentVersion.findMany({ where: { kind }, orderBy: { version: "asc" } }), kind).toMatchObject([
        { version: 1, ...texts, createdAt: null },
        { version: 2, ...texts, createdAt: startedAt },
      ]);
    }
    expect(await idb.auditLog.findMany({ where: { action: "legal.default_upgraded" }, orderBy: { id: "asc" } })).toMatchObject(
      ["terms", "privacy"].map((kind) => ({ actorType: "system", actorId: null, target: `legal:${kind}`, before: { version: 1 }, after: { version: 2 }, createdAt: startedAt })),
    );

    // Asked again: the tick for version 1 is refused as outdated, WeChat sign-in asks the member again.
    const shopper = callerFor(idb, null);
    expect(await shopper.legal.versions()).toEqual({ terms: 2, privacy: 2 });
    expect(await hasCurrentConsent(idb, memberId)).toBe(false);
    await expect(requireCurrentConsent(idb, { terms: 1, privacy: 1 })).rejects.toThrow(CONSENT_OUTDATED_MESSAGE);
    expect(await shopper.legal.document({ kind: "privacy", locale: "zh-CN" })).toMatchObject({ version: 2, custom: false, savedAt: startedAt, body: defaultLegalText("privacy", "zh-CN", "裂变商城") });

    // The next start finds both kept and current.
    expect(await syncDefaultLegalTexts(idb, new Date("2026-12-06T02:00:00Z"))).toEqual([]);
    expect(await idb.legalDocumentVersion.count()).toBe(4);
  });
});

describe("releases started in turn (a rollback, a rolling deploy)", () => {
  // This release, and a newer one that rewords the 用户协议 only (as the next release that bumps the revision would).
  const OLD: LegalDefaults = LEGAL_DEFAULTS;
  const NEW: LegalDefaults = {
    revision: DEFAULT_LEGAL_REVISION + 1,
    text: (kind, locale, shop, contact) => `${defaultLegalText(kind, locale, shop, contact)}${kind === "terms" ? "\n\n新版措辞。" : ""}`,
  };
  let mixed: Database;
  let mdb: Db;
  let mowner: Awaited<ReturnType<typeof signedInStaff>>;
  beforeAll(async () => {
    mixed = await freshDatabase();
    mdb = mixed.prisma;
    mowner = await signedInStaff(mdb, "owner");
  });
  afterAll(() => mixed.close());

  const rows = (kind: "terms" | "privacy") => mdb.legalDocumentVersion.findMany({ where: { kind }, orderBy: { version: "asc" } });
  const start = (defaults: LegalDefaults) => syncDefaultLegalTexts(mdb, new Date(), defaults);

  it("older, newer, older, newer: one new version, in the newer wording; the older release serves it and writes nothing", async () => {
    expect(await start(OLD)).toEqual([]);
    expect(await start(NEW)).toEqual([{ kind: "terms", version: 2 }]);
    expect(await start(OLD)).toEqual([]);
    expect(await start(NEW)).toEqual([]);

    expect((await rows("terms")).map((r) => [r.version, r.defaultRevision, r.body.endsWith("新版措辞。")])).toEqual([
      [1, DEFAULT_LEGAL_REVISION, false],
      [2, DEFAULT_LEGAL_REVISION + 1, true],
    ]);
    // The 隐私政策 reads the same in both: kept once, by the first start.
    expect((await rows("privacy")).map((r) => [r.version, r.defaultRevision])).toEqual([[1, DEFAULT_LEGAL_REVISION]]);
    // The older release shows what the newer one kept.
    expect((await legalDocument(mdb, "terms", "zh-CN")).body.endsWith("新版措辞。")).toBe(true);
  });

  it("a 店铺资料 save on the older release makes no version in its wording (said loudly); the newer release's next start makes it, by the one who saved", async () => {
    const alerts = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const saved = await inTx(mdb, { config: parseConfig({}) }, (ctx) => saveShopProfile(ctx, XIAOMAN, { staffId: mowner.id }, OLD));
      // The 隐私政策, in the same wording under both, is regenerated; the 用户协议 kept by the newer release is left.
      expect(saved).toMatchObject({ changed: true, legal: [{ kind: "privacy", version: 2 }] });
      expect((await rows("terms")).map((r) => r.version)).toEqual([1, 2]);
      expect(alerts.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/^\[alert\] legal: a 店铺资料 save on an older release .* the default terms as it was/)]);
    } finally {
      alerts.mockRestore();
    }
    expect(await start(OLD)).toEqual([]);

    const startedAt = new Date("2026-12-06T03:00:00Z");
    expect(await syncDefaultLegalTexts(mdb, startedAt, NEW)).toEqual([{ kind: "terms", version: 3 }]);
    expect((await rows("terms"))[2]).toMatchObject({
      generated: true,
      defaultRevision: DEFAULT_LEGAL_REVISION + 1,
      body: NEW.text("terms", "zh-CN", "小满优选", XIAOMAN),
      bodyEn: NEW.text("terms", "en", "Xiaoman Select", XIAOMAN),
      authorStaffId: mowner.id,
      createdAt: startedAt,
    });
    expect(await mdb.auditLog.findMany({ where: { action: "legal.default_regenerated", actorType: "system" } })).toMatchObject([
      { target: "legal:terms", before: { version: 2, revision: DEFAULT_LEGAL_REVISION + 1 }, after: { version: 3, revision: DEFAULT_LEGAL_REVISION + 1 }, createdAt: startedAt },
    ]);
    // Nothing more, whichever starts next.
    expect(await start(OLD)).toEqual([]);
    expect(await start(NEW)).toEqual([]);
    expect(await currentLegalVersions(mdb)).toEqual({ terms: 3, privacy: 2 });
  });

  it("a 店铺资料 save on the newer release records its revision", async () => {
    const saved = await inTx(mdb, { config: parseConfig({}) }, (ctx) => saveShopProfile(ctx, { ...XIAOMAN, serviceWechat: "manc_kf" }, { staffId: mowner.id }, NEW));
    expect(saved.legal).toEqual([
      { kind: "terms", version: 4 },
      { kind: "privacy", version: 3 },
    ]);
    expect((await rows("terms")).at(-1)).toMatchObject({ defaultRevision: DEFAULT_LEGAL_REVISION + 1, authorStaffId: mowner.id, body: NEW.text("terms", "zh-CN", "小满优选", { ...XIAOMAN, serviceWechat: "manc_kf" }) });
    expect((await rows("privacy")).at(-1)).toMatchObject({ defaultRevision: DEFAULT_LEGAL_REVISION + 1 });
    expect(await start(OLD)).toEqual([]);
    expect(await start(NEW)).toEqual([]);
  });
});

describe("the default texts' wording", () => {
  // A fixed 店铺资料 of each shape the texts take: nothing set, everything set.
  const SHOPS: { zh: string; en: string; contact: LegalContact }[] = [
    { zh: "裂变商城", en: "Fission Mall", contact: {} },
    {
      zh: "示例优选",
      en: "Example Select",
      contact: { operatorName: "示例网络科技有限公司", servicePhone: "010-12345678", serviceWechat: "example_kf", email: "kf@example.com", serviceHours: "每天 9:00–21:00", address: "北京市海淀区示例路 1 号" },
    },
  ];
  const fingerprint = (text: LegalDefaults["text"]) => {
    const hash = createHash("sha256");
    for (const shop of SHOPS) for (const kind of ["terms", "privacy"] as const) for (const locale of ["zh-CN", "en"] as const) hash.update(`${text(kind, locale, locale === "en" ? shop.en : shop.zh, shop.contact)}\0`);
    return hash.digest("hex");
  };

  it("is the one DEFAULT_LEGAL_REVISION records: a rewording bumps the revision (else installs keep the older wording)", () => {
    const now = fingerprint(defaultLegalText);
    const next = DEFAULT_LEGAL_REVISION + 1;
    expect(
      DEFAULT_LEGAL_FINGERPRINTS[DEFAULT_LEGAL_REVISION],
      `The default 用户协议/隐私政策 (server/legal/defaults.ts) read differently from what DEFAULT_LEGAL_REVISION ${DEFAULT_LEGAL_REVISION} recorded. ` +
        `If you changed their wording, set DEFAULT_LEGAL_REVISION to ${next} and add \`${next}: "${now}",\` to DEFAULT_LEGAL_FINGERPRINTS ` +
        `(never edit an older line): without the bump, shops that kept the older wording never get yours.`,
    ).toBe(now);
    // Revisions 1, 2, … up to this release's, each a different wording.
    const recorded = Object.entries(DEFAULT_LEGAL_FINGERPRINTS);
    expect(recorded.map(([r]) => Number(r))).toEqual(Array.from({ length: DEFAULT_LEGAL_REVISION }, (_, i) => i + 1));
    expect(new Set(recorded.map(([, f]) => f)).size).toBe(recorded.length);
  });

  it("tells a rewording apart, in any one text", () => {
    const now = fingerprint(defaultLegalText);
    for (const kind of ["terms", "privacy"] as const) {
      for (const locale of ["zh-CN", "en"] as const) {
        const reworded: LegalDefaults["text"] = (k, l, shop, c) => `${defaultLegalText(k, l, shop, c)}${k === kind && l === locale ? "。" : ""}`;
        expect(fingerprint(reworded), `${kind} ${locale}`).not.toBe(now);
      }
    }
  });
});
