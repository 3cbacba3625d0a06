// Each language of the 用户协议 / 隐私政策 is the merchant's or the app's default on its own: a language the merchant never
// wrote keeps following the 店铺资料 (and app releases that reword it); the merchant's English is flagged as possibly
// out of date once the Chinese (binding) text changes after it, until the English is saved again; the 开店准备
// checklist counts the merchant's Chinese text, not an English one beside the default Chinese.
import { createElement } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { defaultLegalText, DEFAULT_LEGAL_REVISION, LEGAL_DEFAULTS, type LegalDefaults } from "../server/legal/defaults";
import { saveLegalDocument, syncDefaultLegalTexts } from "../server/legal/documents";
import { shopSetup } from "../server/setup/checklist";
import { LegalEditor } from "../app/merchant/legal/LegalEditor";
import { BLANK_SHOP, XIAOMAN_SHOP, saveShopForm } from "./helpers/shop";
import { freshDatabase } from "./helpers/db";
import { callerFor, signedInStaff } from "./helpers/caller";
import { renderInProviders } from "./helpers/render";

let database: Database;
let db: Db;
let owner: Awaited<ReturnType<typeof signedInStaff>>;
let actor: { staffId: number; requestId: string };
beforeEach(async () => {
  database = await freshDatabase();
  db = database.prisma;
  owner = await signedInStaff(db, "owner");
  actor = { staffId: owner.id, requestId: "legal-language-state" };
});
afterEach(() => database.close());

const EN_TERMS = "# Our Terms of Service\n\nOur own English translation.";
const ZH_TERMS = "# 本店用户协议\n\n本协议以中文版为准。";
const anyone = () => callerFor(db, null);
const terms = async () => (await owner.caller.merchantLegal.overview()).find((d) => d.kind === "terms")!;

describe("a language the merchant never wrote", () => {
  it("the default Chinese beside the merchant's English follows a 店铺资料 change: a new version, the English kept", async () => {
    expect(await saveLegalDocument(db, actor, { kind: "terms", locale: "en", body: EN_TERMS, baseVersion: 1 })).toEqual({ kind: "terms", version: 2 });
    expect(await terms()).toMatchObject({ version: 2, custom: { "zh-CN": false, en: true }, enOutdatedAt: null });

    // Both documents name the new shop: the privacy policy (all default) and the terms' Chinese.
    expect((await saveShopForm(owner.caller, XIAOMAN_SHOP)).legal).toEqual([
      { kind: "terms", version: 3 },
      { kind: "privacy", version: 2 },
    ]);
    const savedAt = (await db.shopProfile.findUniqueOrThrow({ where: { id: "default" } })).updatedAt;
    expect(await db.legalDocumentVersion.findUniqueOrThrow({ where: { kind_version: { kind: "terms", version: 3 } } })).toMatchObject({
      body: defaultLegalText("terms", "zh-CN", "小满优选", XIAOMAN_SHOP),
      bodyEn: EN_TERMS,
      generated: true,
      customZh: false,
      customEn: true,
      authorStaffId: owner.id,
      createdAt: savedAt,
      defaultRevision: DEFAULT_LEGAL_REVISION,
    });
    expect(await anyone().legal.document({ kind: "terms", locale: "zh-CN" })).toMatchObject({ version: 3, custom: false, body: defaultLegalText("terms", "zh-CN", "小满优选", XIAOMAN_SHOP) });
    // The English shoppers read is still the merchant's, now older than the Chinese it translates.
    expect(await anyone().legal.document({ kind: "terms", locale: "en" })).toMatchObject({ version: 3, custom: true, body: EN_TERMS, chineseUpdatedAt: savedAt });

    // A 店铺资料 change the Chinese text does not show (the English name only): nothing to regenerate.
    expect((await saveShopForm(owner.caller, { ...XIAOMAN_SHOP, nameEn: "Xiaoman Mall" })).legal).toEqual([{ kind: "privacy", version: 3 }]);
    // Once the merchant writes the Chinese too, it is theirs: a 店铺资料 change leaves it.
    await saveLegalDocument(db, actor, { kind: "terms", locale: "zh-CN", body: ZH_TERMS, baseVersion: 3 });
    expect((await saveShopForm(owner.caller, BLANK_SHOP)).legal).toEqual([{ kind: "privacy", version: 4 }]);
    expect(await anyone().legal.document({ kind: "terms", locale: "zh-CN" })).toMatchObject({ version: 4, custom: true, body: ZH_TERMS });
  });

  it("the default Chinese beside the merchant's English follows an app release that rewords it, at server start", async () => {
    await saveLegalDocument(db, actor, { kind: "terms", locale: "en", body: EN_TERMS, baseVersion: 1 });
    const reworded: LegalDefaults = { revision: DEFAULT_LEGAL_REVISION + 1, text: (kind, locale, shop, contact) => `${LEGAL_DEFAULTS.text(kind, locale, shop, contact)}\n\n新增条款。` };
    const startedAt = new Date("2026-12-20T02:00:00Z");
    expect(await syncDefaultLegalTexts(db, startedAt, reworded)).toContainEqual({ kind: "terms", version: 3 });
    expect(await db.legalDocumentVersion.findUniqueOrThrow({ where: { kind_version: { kind: "terms", version: 3 } } })).toMatchObject({
      body: `${defaultLegalText("terms", "zh-CN", "裂变商城")}\n\n新增条款。`,
      bodyEn: EN_TERMS,
      customZh: false,
      customEn: true,
      enOutdatedAt: startedAt,
      defaultRevision: DEFAULT_LEGAL_REVISION + 1,
    });
  });
});

describe("the merchant's English after a change of the Chinese", () => {
  it("is flagged possibly out of date, with the Chinese change's date, until the English is saved again", async () => {
    const at = (iso: string) => new Date(iso);
    await saveLegalDocument(db, actor, { kind: "terms", locale: "zh-CN", body: ZH_TERMS, baseVersion: 1 }, at("2026-12-01T02:00:00Z"));
    await saveLegalDocument(db, actor, { kind: "terms", locale: "en", body: EN_TERMS, baseVersion: 2 }, at("2026-12-02T02:00:00Z"));
    // Translated from the Chinese in force: nothing to flag.
    expect(await terms()).toMatchObject({ version: 3, enOutdatedAt: null });
    expect(await anyone().legal.document({ kind: "terms", locale: "en" })).toMatchObject({ version: 3, chineseUpdatedAt: null });

    // 2026-12-03 17:30 UTC is 2026-12-04 01:30 in Shanghai.
    const changed = at("2026-12-03T17:30:00Z");
    await saveLegalDocument(db, actor, { kind: "terms", locale: "zh-CN", body: `${ZH_TERMS}\n\n第二条。`, baseVersion: 3 }, changed);
    expect(await terms()).toMatchObject({ version: 4, custom: { "zh-CN": true, en: true }, texts: { en: EN_TERMS }, enOutdatedAt: changed });
    expect(await anyone().legal.document({ kind: "terms", locale: "en" })).toMatchObject({ version: 4, body: EN_TERMS, chineseApplies: false, chineseUpdatedAt: changed });
    expect(await anyone().legal.document({ kind: "terms", locale: "zh-CN" })).toMatchObject({ version: 4, chineseUpdatedAt: null });

    // The editor says so on the English tab, in either language of the back office.
    const overview = await owner.caller.merchantLegal.overview();
    const page = (locale: "zh-CN" | "en") =>
      renderInProviders(createElement(LegalEditor), locale, (trpc, qc) => qc.setQueryData(trpc.merchantLegal.overview.queryKey(), overview)).html.replaceAll("<!-- -->", "");
    expect(page("zh-CN")).toContain("可能已过时：中文版已于 2026-12-04 01:30 修改");
    expect(page("en")).toContain("Possibly out of date: the Chinese text was changed on 2026-12-04 01:30");
    expect(page("en")).not.toContain('data-testid="legal-outdated-privacy"');

    // A later Chinese change: the newest date.
    const again = at("2026-12-05T03:00:00Z");
    await saveLegalDocument(db, actor, { kind: "terms", locale: "zh-CN", body: `${ZH_TERMS}\n\n第三条。`, baseVersion: 4 }, again);
    expect((await terms()).enOutdatedAt).toEqual(again);

    // The English saved again: current.
    await saveLegalDocument(db, actor, { kind: "terms", locale: "en", body: `${EN_TERMS}\n\nArticles 2 and 3.`, baseVersion: 5 }, at("2026-12-06T03:00:00Z"));
    expect(await terms()).toMatchObject({ version: 6, enOutdatedAt: null });
    expect(await anyone().legal.document({ kind: "terms", locale: "en" })).toMatchObject({ version: 6, chineseUpdatedAt: null });
    const current = await owner.caller.merchantLegal.overview();
    const html = renderInProviders(createElement(LegalEditor), "zh-CN", (trpc, qc) => qc.setQueryData(trpc.merchantLegal.overview.queryKey(), current)).html;
    expect(html).not.toContain("可能已过时");
  });
});

describe("开店准备: the legal item", () => {
  it("counts the merchant's Chinese (binding) text, not an English one beside the default Chinese naming no operator", async () => {
    const legal = async () => (await shopSetup(db)).done.legal;
    // No operator in the 店铺资料: the default texts name no personal-information handler.
    expect(await legal()).toBe(false);
    await saveLegalDocument(db, actor, { kind: "terms", locale: "en", body: EN_TERMS, baseVersion: 1 });
    await saveLegalDocument(db, actor, { kind: "privacy", locale: "en", body: "# Our Privacy Policy\n\nHandler: the shop.", baseVersion: 1 });
    expect(await legal()).toBe(false);
    await saveLegalDocument(db, actor, { kind: "terms", locale: "zh-CN", body: ZH_TERMS, baseVersion: 2 });
    expect(await legal()).toBe(false);
    await saveLegalDocument(db, actor, { kind: "privacy", locale: "zh-CN", body: "# 本店隐私政策\n\n个人信息处理者：本店。", baseVersion: 2 });
    expect(await legal()).toBe(true);
  });
});

describe("the table", () => {
  it("says which language is whose: a merchant's version wrote one, the app never writes beside the merchant's Chinese, no English only beside it", async () => {
    const row = { kind: "terms", version: 90, body: "正文", bodyEn: "text", authorStaffId: owner.id, createdAt: new Date() };
    await expect(db.legalDocumentVersion.create({ data: row })).rejects.toThrow(/LegalDocumentVersion_languages/);
    await expect(db.legalDocumentVersion.create({ data: { ...row, generated: true, customZh: true, customEn: true } })).rejects.toThrow(/LegalDocumentVersion_languages/);
    await expect(db.legalDocumentVersion.create({ data: { ...row, customEn: true, bodyEn: null } })).rejects.toThrow(/LegalDocumentVersion_languages/);
    await expect(db.legalDocumentVersion.create({ data: { ...row, customZh: true } })).rejects.toThrow(/LegalDocumentVersion_languages/);
    await expect(db.legalDocumentVersion.create({ data: { ...row, customZh: true, bodyEn: null, enOutdatedAt: new Date() } })).rejects.toThrow(/LegalDocumentVersion_languages/);
    await expect(db.legalDocumentVersion.create({ data: { ...row, customZh: true, customEn: true, enOutdatedAt: new Date() } })).resolves.toMatchObject({ version: 90 });
  });
});
