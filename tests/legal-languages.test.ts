// The 用户协议 and 隐私政策 in each language: the owner saves the Chinese (binding) and English texts on their own, each
// save a new version shoppers accept again (consent names a version number, whatever language was read). English
// shoppers read the shop's English text, else the default English while the shop has no text of its own, else the
// shop's Chinese text with a note that it applies (the default English would describe other terms).
import { TRPCError } from "@trpc/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { DomainError } from "../server/context";
import { defaultLegalText } from "../server/legal/defaults";
import { freshDatabase } from "./helpers/db";
import { callerFor, signedInStaff } from "./helpers/caller";

let database: Database;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.close());

async function refused(p: Promise<unknown>): Promise<{ code: string; domain: string | null }> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return { code: e.code, domain: e.cause instanceof DomainError ? e.cause.code : null };
  }
  throw new Error("the call was not refused");
}

const ZH_TERMS = "# 本店用户协议\n\n本协议以中文版为准。";
const EN_TERMS = "# Our Terms of Service\n\nOur own English translation.";

describe("each language is saved on its own", () => {
  it("an English save keeps the Chinese text, a Chinese save keeps the English one; each is a new version", async () => {
    const db = database.prisma;
    const owner = await signedInStaff(db, "owner");
    const anyone = callerFor(db, null);

    expect(await owner.caller.merchantLegal.save({ kind: "terms", locale: "en", body: EN_TERMS, baseVersion: 1 })).toEqual({ kind: "terms", version: 2 });
    expect(await anyone.legal.document({ kind: "terms", locale: "en" })).toMatchObject({ version: 2, body: EN_TERMS, custom: true, chineseApplies: false });
    // The Chinese stays the default text as it read.
    expect(await anyone.legal.document({ kind: "terms", locale: "zh-CN" })).toMatchObject({ version: 2, body: defaultLegalText("terms", "zh-CN", "裂变商城"), chineseApplies: false });

    expect(await owner.caller.merchantLegal.save({ kind: "terms", locale: "zh-CN", body: ZH_TERMS, baseVersion: 2 })).toEqual({ kind: "terms", version: 3 });
    expect(await anyone.legal.document({ kind: "terms", locale: "zh-CN" })).toMatchObject({ version: 3, body: ZH_TERMS });
    expect(await anyone.legal.document({ kind: "terms", locale: "en" })).toMatchObject({ version: 3, body: EN_TERMS, chineseApplies: false });

    // Shoppers agreed to version numbers: an English-only change is one more to accept.
    expect(await anyone.legal.versions()).toEqual({ terms: 3, privacy: 1 });
    const terms = (await owner.caller.merchantLegal.overview()).find((d) => d.kind === "terms")!;
    expect(terms).toMatchObject({ version: 3, custom: { "zh-CN": true, en: true }, texts: { "zh-CN": ZH_TERMS, en: EN_TERMS } });
    // Every version's texts are kept as shoppers read them.
    const rows = await db.legalDocumentVersion.findMany({ where: { kind: "terms" }, orderBy: { version: "asc" }, select: { version: true, body: true, bodyEn: true } });
    expect(rows).toEqual([
      { version: 2, body: defaultLegalText("terms", "zh-CN", "裂变商城"), bodyEn: EN_TERMS },
      { version: 3, body: ZH_TERMS, bodyEn: EN_TERMS },
    ]);
  });

  it("the merchant's editor shows the English default text, not the Chinese, while nothing is saved", async () => {
    const owner = await signedInStaff(database.prisma, "owner");
    const privacy = (await owner.caller.merchantLegal.overview()).find((d) => d.kind === "privacy")!;
    expect(privacy.texts).toEqual({ "zh-CN": defaultLegalText("privacy", "zh-CN", "裂变商城"), en: defaultLegalText("privacy", "en", "Fission Mall") });
  });
});

describe("what English shoppers read", () => {
  it("the default English while nothing is saved; the shop's Chinese text with the note once only it is saved; then the shop's English", async () => {
    const db = database.prisma;
    const owner = await signedInStaff(db, "owner");
    const anyone = callerFor(db, null);
    expect(await anyone.legal.document({ kind: "privacy", locale: "en" })).toMatchObject({ version: 1, custom: false, chineseApplies: false, body: defaultLegalText("privacy", "en", "Fission Mall") });

    const zh = "# 本店隐私政策\n\n个人信息处理者：本店。";
    await owner.caller.merchantLegal.save({ kind: "privacy", locale: "zh-CN", body: zh, baseVersion: 1 });
    // The default English would describe other terms than the shop's: the Chinese applies, and the page says so.
    expect(await anyone.legal.document({ kind: "privacy", locale: "en" })).toMatchObject({ version: 2, custom: true, chineseApplies: true, body: zh });
    expect(await anyone.legal.document({ kind: "privacy", locale: "zh-CN" })).toMatchObject({ version: 2, chineseApplies: false, body: zh });
    const overview = (await owner.caller.merchantLegal.overview()).find((d) => d.kind === "privacy")!;
    expect(overview.texts).toEqual({ "zh-CN": zh, en: null });

    const en = "# Our Privacy Policy\n\nHandler: the shop.";
    await owner.caller.merchantLegal.save({ kind: "privacy", locale: "en", body: en, baseVersion: 2 });
    expect(await anyone.legal.document({ kind: "privacy", locale: "en" })).toMatchObject({ version: 3, chineseApplies: false, body: en });
    expect(await anyone.legal.document({ kind: "privacy", locale: "zh-CN" })).toMatchObject({ version: 3, body: zh });
  });
});

describe("a save over a newer text", () => {
  it("is refused (409) when its language's text changed since the editor opened, not when only the other one did", async () => {
    const db = database.prisma;
    const owner = await signedInStaff(db, "owner");
    const save = (locale: "zh-CN" | "en", body: string, baseVersion: number) => owner.caller.merchantLegal.save({ kind: "terms", locale, body, baseVersion });
    await save("zh-CN", ZH_TERMS, 1); // 2
    await save("en", EN_TERMS, 2); // 3
    // Two editors open version 3; one saves the English (4), the other then the Chinese: the English is kept.
    expect(await save("en", "# Terms v4", 3)).toEqual({ kind: "terms", version: 4 });
    expect(await save("zh-CN", "# 协议 v5", 3)).toEqual({ kind: "terms", version: 5 });
    expect(await db.legalDocumentVersion.findUniqueOrThrow({ where: { kind_version: { kind: "terms", version: 5 } } })).toMatchObject({ body: "# 协议 v5", bodyEn: "# Terms v4" });

    const count = await db.legalDocumentVersion.count();
    // Another English edit from version 3 would undo version 4's English; a Chinese one from 4, version 5's Chinese.
    expect(await refused(save("en", "# Terms stale", 3))).toEqual({ code: "CONFLICT", domain: "LEGAL_STALE" });
    expect(await refused(save("zh-CN", "# 协议 过期", 4))).toEqual({ code: "CONFLICT", domain: "LEGAL_STALE" });
    expect(await refused(save("en", "# Terms ahead", 6))).toEqual({ code: "CONFLICT", domain: "LEGAL_STALE" });
    // Unchanged is per language: the Chinese text saved again as the English is a change.
    expect(await refused(save("en", " # Terms v4\n", 5))).toEqual({ code: "BAD_REQUEST", domain: "LEGAL_UNCHANGED" });
    expect(await db.legalDocumentVersion.count()).toBe(count);
  });
});

describe("the audit log", () => {
  it("names the language each save changed", async () => {
    const db = database.prisma;
    const owner = await signedInStaff(db, "owner");
    await owner.caller.merchantLegal.save({ kind: "terms", locale: "en", body: EN_TERMS, baseVersion: 1 });
    await owner.caller.merchantLegal.save({ kind: "terms", locale: "zh-CN", body: ZH_TERMS, baseVersion: 2 });
    const entries = await db.auditLog.findMany({ where: { action: "legal.version_created" }, orderBy: { id: "asc" }, select: { target: true, before: true, after: true } });
    expect(entries).toEqual([
      {
        target: "legal:terms",
        before: { version: 1, locale: "en", chars: Array.from(defaultLegalText("terms", "en", "Fission Mall")).length },
        after: { version: 2, locale: "en", chars: Array.from(EN_TERMS).length },
      },
      {
        target: "legal:terms",
        before: { version: 2, locale: "zh-CN", chars: Array.from(defaultLegalText("terms", "zh-CN", "裂变商城")).length },
        after: { version: 3, locale: "zh-CN", chars: Array.from(ZH_TERMS).length },
      },
    ]);
  });
});
