// The shop's 用户协议 and 隐私政策: version 1 of each is the app's default text (server/legal/defaults.ts); every
// save by the owner adds the next version, with who and when, audited, and so does a 店铺资料 save that changes what
// a default text says, and a release of the app that rewords it (checked at server start, instrumentation.ts).
// Shoppers agree to the current versions at sign-in (server/legal/consent.ts).
import type { Db, Tx } from "../db";
import { inTx, refuse, type Ctx } from "../context";
import { audit, staffActor, type StaffActor } from "../audit";
import { forbiddenClaimsIn, forbiddenClaimsMessage } from "../rules/compliance";
import type { Locale } from "@/lib/i18n/core";
import { getShopProfile, shopDisplayName } from "../shop/profile";
import type { ShopProfileValues } from "../shop/schema";
import { LEGAL_DEFAULTS, type LegalDefaults } from "./defaults";
import type { LegalVersions } from "./consent-token";

export const LEGAL_KINDS = ["terms", "privacy"] as const;
export type LegalKind = (typeof LEGAL_KINDS)[number];

/** Longest merchant text, in characters (a long privacy policy is ~10 000). */
export const MAX_LEGAL_CHARS = 30_000;

export type { LegalVersions } from "./consent-token";

const LABEL: Record<LegalKind, string> = { terms: "用户协议", privacy: "隐私政策" };

/** One writer of a document's versions at a time, so version numbers are consecutive. */
async function lockDocument(tx: Tx, kind: LegalKind): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`LegalDocumentVersion:${kind}`}))`;
}

/** The app's default text of `kind` in each language, naming the shop, its operator and contacts as `profile` gives them. */
function defaultTexts(kind: LegalKind, profile: ShopProfileValues, defaults: LegalDefaults = LEGAL_DEFAULTS): Record<Locale, string> {
  return {
    "zh-CN": defaults.text(kind, "zh-CN", shopDisplayName(profile, "zh-CN"), profile),
    en: defaults.text(kind, "en", shopDisplayName(profile, "en"), profile),
  };
}

const sameTexts = (a: Record<Locale, string>, b: Record<Locale, string>) => a["zh-CN"] === b["zh-CN"] && a.en === b.en;

/** The revision of the default wording a generated version was kept in; 0 when kept before revisions were recorded. */
const keptRevision = (row: { defaultRevision: number | null }) => row.defaultRevision ?? 0;

/** The texts of a version whose Chinese is the default: its English is set (CHECK LegalDocumentVersion_languages). */
const keptTexts = (row: { body: string; bodyEn: string | null }): Record<Locale, string> => ({ "zh-CN": row.body, en: row.bodyEn! });

/**
 * The default texts as they would read for a document whose newest version is `newest`: the merchant's English, if
 * they wrote one, stays; only the languages they never wrote follow the defaults.
 */
const followingDefaults = (newest: { customEn: boolean; bodyEn: string | null } | null, texts: Record<Locale, string>): Record<Locale, string> =>
  newest?.customEn ? { "zh-CN": texts["zh-CN"], en: newest.bodyEn! } : texts;

/** The version number now in force of each document: the newest saved, or 1 (the default text). */
export async function currentLegalVersions(db: Db | Tx): Promise<LegalVersions> {
  const rows = await db.legalDocumentVersion.groupBy({ by: ["kind"], _max: { version: true } });
  const newest = (kind: LegalKind) => rows.find((r) => r.kind === kind)?._max.version ?? 1;
  return { terms: newest("terms"), privacy: newest("privacy") };
}

export interface LegalDocument {
  kind: LegalKind;
  version: number;
  /** Markdown: the merchant's text in `locale`, else the default in `locale`, else (see chineseApplies) the Chinese. */
  body: string;
  /** The merchant's own text (not the app's default): in `locale`, or their Chinese where it applies. */
  custom: boolean;
  /**
   * The merchant saved their own Chinese text but none in `locale`: body is the Chinese text, which applies (the default
   * English text would describe other terms than the shop's).
   */
  chineseApplies: boolean;
  /** When the merchant saved it; null for the default. */
  savedAt: Date | null;
  /**
   * English only: the merchant's English text is older than the Chinese (binding) text, which changed at this time, so
   * it may be out of date (the page says the Chinese applies and when it changed); null otherwise.
   */
  chineseUpdatedAt: Date | null;
}

/** A version's text in each language; en null: the merchant's Chinese text has no English version. */
export interface LegalTexts {
  "zh-CN": string;
  en: string | null;
}

interface DocumentState {
  version: number;
  texts: LegalTexts;
  /** Each language's text is the merchant's (else the app's default, kept or not, or none: en null). */
  custom: Record<Locale, boolean>;
  /** The merchant's English text predates the Chinese text in force, changed then; null: it does not. */
  enOutdatedAt: Date | null;
  /** The wording revision of the default Chinese text it holds (null: kept before revisions were recorded, or none). */
  defaultRevision: number | null;
  savedAt: Date | null;
}

/** Text shown in each language at a version's row: a generated row's English is always set (CHECK). */
const rowTexts = (row: { body: string; bodyEn: string | null }): LegalTexts => ({ "zh-CN": row.body, en: row.bodyEn });

/** The document in force: the newest version, or the app's default text (version 1, never kept). */
async function documentState(db: Db | Tx, kind: LegalKind, shopProfile: () => Promise<ShopProfileValues>): Promise<DocumentState> {
  const saved = await db.legalDocumentVersion.findFirst({ where: { kind }, orderBy: { version: "desc" } });
  // A regenerated default reads as it did when shoppers were asked to agree to it.
  if (saved) {
    const custom = { "zh-CN": saved.customZh, en: saved.customEn };
    return { version: saved.version, texts: rowTexts(saved), custom, enOutdatedAt: saved.enOutdatedAt, defaultRevision: saved.defaultRevision, savedAt: saved.createdAt };
  }
  // The default names the shop, its operator and its contacts as the 店铺资料 gives them now.
  const texts = defaultTexts(kind, await shopProfile());
  return { version: 1, texts, custom: { "zh-CN": false, en: false }, enOutdatedAt: null, defaultRevision: LEGAL_DEFAULTS.revision, savedAt: null };
}

/**
 * The document shoppers read now. `shopProfile` gives the 店铺资料 the default text names, asked only for a default
 * never kept: a page passes its request's read (app/_lib/shop.ts) so the page reads it once.
 */
export async function legalDocument(db: Db | Tx, kind: LegalKind, locale: Locale, shopProfile: () => Promise<ShopProfileValues> = () => getShopProfile(db)): Promise<LegalDocument> {
  const state = await documentState(db, kind, shopProfile);
  const text = state.texts[locale];
  return {
    kind,
    version: state.version,
    body: text ?? state.texts["zh-CN"],
    custom: text === null || state.custom[locale],
    chineseApplies: text === null,
    savedAt: state.savedAt,
    chineseUpdatedAt: locale === "en" ? state.enOutdatedAt : null,
  };
}

/**
 * Where a version's text came from: the app's default (version 1), the default regenerated after a 店铺资料 change,
 * the default regenerated at server start because a release of the app reworded it (no author), the merchant.
 */
export type LegalVersionSource = "default" | "regenerated" | "upgraded" | "custom";

export interface LegalVersionSummary {
  version: number;
  author: string | null;
  createdAt: Date | null;
  source: LegalVersionSource;
}

/**
 * The back office's view: each document as it stands, its text in each language (en null: the merchant's Chinese text
 * has no English version, so it applies to English shoppers too), which are the merchant's (custom), whether the
 * English may be out of date (enOutdatedAt: the Chinese changed after it), and its versions, newest first.
 */
export async function legalOverview(db: Db | Tx) {
  const rows = await db.legalDocumentVersion.findMany({ orderBy: [{ kind: "asc" }, { version: "desc" }], select: { kind: true, version: true, authorStaffId: true, createdAt: true, generated: true } });
  const authorIds = [...new Set(rows.flatMap((r) => (r.authorStaffId === null ? [] : [r.authorStaffId])))];
  const staff = new Map((await db.staffAccount.findMany({ where: { id: { in: authorIds } }, select: { id: true, displayName: true, username: true } })).map((s) => [s.id, `${s.displayName} (${s.username})`]));
  // Version 1 is the app's default text: nobody saved it (a row once a regeneration or the start-up check kept its text).
  const appDefault: LegalVersionSummary = { version: 1, author: null, createdAt: null, source: "default" };
  return Promise.all(
    LEGAL_KINDS.map(async (kind) => {
      const { version, texts, custom, enOutdatedAt, savedAt } = await documentState(db, kind, () => getShopProfile(db));
      const history: LegalVersionSummary[] = rows
        .filter((r) => r.kind === kind)
        .map((r) =>
          r.version === 1 && r.generated
            ? appDefault
            : r.authorStaffId === null
              ? { version: r.version, author: null, createdAt: r.createdAt, source: "upgraded" }
              : { version: r.version, author: staff.get(r.authorStaffId) ?? `#${r.authorStaffId}`, createdAt: r.createdAt, source: r.generated ? "regenerated" : "custom" },
        );
      if (!history.some((h) => h.version === 1)) history.push(appDefault);
      return { kind, version, texts, custom, enOutdatedAt, savedAt, history };
    }),
  );
}

export interface SaveLegalInput {
  kind: LegalKind;
  /** The language of the text saved (default the Chinese, the binding one); the other language's text is kept. */
  locale?: Locale;
  body: string;
  /** The version the editor started from: a save over someone else's newer text in this language is refused. */
  baseVersion: number;
}

const LANGUAGE: Record<Locale, string> = { "zh-CN": "中文版", en: "英文版" };

/** `locale`'s text at `version` (undefined: no such version) given the document in force. */
async function textAt(tx: Tx, kind: LegalKind, version: number, locale: Locale, current: DocumentState): Promise<string | null | undefined> {
  if (version === current.version) return current.texts[locale];
  const row = await tx.legalDocumentVersion.findUnique({ where: { kind_version: { kind, version } } });
  if (row) return rowTexts(row)[locale];
  // Version 1 never kept: the app's default text, as the 店铺资料 gives it now.
  return version === 1 ? defaultTexts(kind, await getShopProfile(tx))[locale] : undefined;
}

/**
 * Saves the merchant's text in one language as the document's next version (owner; audited in the same transaction),
 * the other language's text carried over. Shoppers consent to a version number (server/legal/consent.ts), whatever
 * language they read it in: an English-only change is a new version too, accepted again, so every consent names a
 * text kept as the shopper read it. The first Chinese text of the shop's own has no English version (English
 * shoppers read the Chinese, which applies: the default English describes other terms); a later one flags the
 * merchant's English as possibly out of date until it is saved again. Beside the merchant's English only, the Chinese
 * stays the default: regenerated after a 店铺资料 change or an app release that rewords it.
 */
export async function saveLegalVersion(ctx: Ctx, actor: StaffActor, input: SaveLegalInput) {
  const { kind, locale = "zh-CN" } = input;
  const name = `${LABEL[kind]}${LANGUAGE[locale]}`;
  const body = input.body.trim();
  if (!body) refuse("LEGAL_EMPTY", `请填写${name}的内容`);
  if (Array.from(body).length > MAX_LEGAL_CHARS) refuse("LEGAL_TOO_LONG", `${name}最多 ${MAX_LEGAL_CHARS} 字`);
  // The compliance guard of campaign texts (seed 004): the reward rules a document describes may promise no earnings.
  const hits = forbiddenClaimsIn(body, ctx.config.compliance.forbiddenClaims);
  if (hits.length > 0) refuse("LEGAL_FORBIDDEN_CLAIM", forbiddenClaimsMessage(hits));
  await lockDocument(ctx.tx, kind);
  const current = await documentState(ctx.tx, kind, () => getShopProfile(ctx.tx));
  const previous = current.texts[locale];
  // Stale only when this language's text changed since the editor opened: a save in the other language meanwhile is kept.
  if (input.baseVersion > current.version || (await textAt(ctx.tx, kind, input.baseVersion, locale, current)) !== previous) {
    refuse("LEGAL_STALE", `${LABEL[kind]}已更新为第 ${current.version} 版（${LANGUAGE[locale]}已修改），请刷新后在新版本上修改`);
  }
  if (previous?.trim() === body) refuse("LEGAL_UNCHANGED", `${name}没有变化`);
  const texts: LegalTexts = { ...current.texts, [locale]: body };
  const custom = { ...current.custom, [locale]: true };
  let enOutdatedAt = locale === "en" ? null : current.enOutdatedAt;
  if (locale === "zh-CN") {
    // The default English describes other terms than the merchant's; their own English translated an older Chinese text.
    if (!current.custom.en) texts.en = null;
    else enOutdatedAt = ctx.now;
  }
  const created = await ctx.tx.legalDocumentVersion.create({
    data: {
      kind,
      version: current.version + 1,
      body: texts["zh-CN"],
      bodyEn: texts.en,
      customZh: custom["zh-CN"],
      customEn: custom.en,
      enOutdatedAt,
      defaultRevision: custom["zh-CN"] ? null : current.defaultRevision,
      authorStaffId: actor.staffId,
      createdAt: ctx.now,
    },
  });
  await audit(ctx.tx, {
    actor: staffActor(actor),
    action: "legal.version_created",
    target: `legal:${kind}`,
    before: { version: current.version, locale, chars: previous === null ? null : Array.from(previous).length },
    after: { version: created.version, locale, chars: Array.from(body).length },
    requestId: actor.requestId ?? null,
    now: ctx.now,
  });
  return { kind, version: created.version };
}

/** saveLegalVersion in its own transaction (the router's entry point). */
export function saveLegalDocument(db: Db, actor: StaffActor, input: SaveLegalInput, now: Date = new Date()) {
  return inTx(db, { now }, (ctx) => saveLegalVersion(ctx, actor, input));
}

type LanguagesKept = { customEn: boolean; enOutdatedAt: Date | null };

/**
 * A regenerated version's languages after `newest`: the merchant's English stays theirs, flagged possibly out of date
 * when the Chinese it translates now reads otherwise.
 */
function languagesAfter(ctx: Ctx, newest: { customEn: boolean; enOutdatedAt: Date | null } | null, from: Record<Locale, string>, next: Record<Locale, string>): LanguagesKept {
  if (!newest?.customEn) return { customEn: false, enOutdatedAt: null };
  return { customEn: true, enOutdatedAt: from["zh-CN"] === next["zh-CN"] ? newest.enOutdatedAt : ctx.now };
}

/**
 * A 店铺资料 save changed `before` into `after` (its transaction, server/shop/profile.ts): each document still showing
 * the app's default text that now says something else (the shop, the operator or a contact: PIPL 第十七条第二款) gets
 * the next version, generated, by the staff member who saved, audited; shoppers agreed to a version number, so they
 * are asked again. A document with the merchant's own Chinese text is untouched; beside their English alone, the Chinese
 * follows (the English kept, flagged possibly out of date: languagesAfter). Version 1's text, if not kept yet, is kept as
 * it read when replaced, so every consent's text can be read again. Each version made records its wording's revision
 * (`defaults`: this release's); an older release than the one that kept the text in force leaves it (logged).
 */
export async function regenerateDefaultLegalVersions(
  ctx: Ctx,
  actor: StaffActor,
  before: ShopProfileValues,
  after: ShopProfileValues,
  defaults: LegalDefaults = LEGAL_DEFAULTS,
): Promise<{ kind: LegalKind; version: number }[]> {
  const created: { kind: LegalKind; version: number }[] = [];
  for (const kind of LEGAL_KINDS) {
    await lockDocument(ctx.tx, kind);
    const newest = await ctx.tx.legalDocumentVersion.findFirst({ where: { kind }, orderBy: { version: "desc" } });
    // The merchant's Chinese (binding) text: theirs, with their English or none.
    if (newest?.customZh) continue;
    const next = followingDefaults(newest, defaultTexts(kind, after, defaults));
    if (newest && keptRevision(newest) > defaults.revision) {
      // An older release of the app (rolled back to, or one instance of a rolling deploy): its wording must not replace
      // a newer one, nor would the newer release's next start put it back without shoppers agreeing once more. The
      // text in force stays; the next start of a release as new as the kept text's regenerates it for this 店铺资料
      // (syncDefaultLegalVersions). Said loudly only when the save changes what the text says.
      if (!sameTexts(followingDefaults(newest, defaultTexts(kind, before, defaults)), next)) {
        console.error(
          `[alert] legal: a 店铺资料 save on an older release of the app (default texts revision ${defaults.revision}, the ${kind} in force revision ${keptRevision(newest)}) left the default ${kind} as it was; the newer release regenerates it at its next start`,
        );
      }
      continue;
    }
    const current = newest ? keptTexts(newest) : defaultTexts(kind, before, defaults);
    if (sameTexts(current, next)) continue;
    const from = newest?.version ?? 1;
    if (!newest) {
      await ctx.tx.legalDocumentVersion.create({
        data: { kind, version: 1, body: current["zh-CN"], bodyEn: current.en, generated: true, defaultRevision: defaults.revision, authorStaffId: null, createdAt: null },
      });
    }
    const row = await ctx.tx.legalDocumentVersion.create({
      data: { kind, version: from + 1, body: next["zh-CN"], bodyEn: next.en, generated: true, ...languagesAfter(ctx, newest, current, next), defaultRevision: defaults.revision, authorStaffId: actor.staffId, createdAt: ctx.now },
    });
    await audit(ctx.tx, {
      actor: staffActor(actor),
      action: "legal.default_regenerated",
      target: `legal:${kind}`,
      before: { version: from, chars: Array.from(current["zh-CN"]).length },
      after: { version: row.version, chars: Array.from(next["zh-CN"]).length },
      requestId: actor.requestId ?? null,
      now: ctx.now,
    });
    created.push({ kind, version: row.version });
  }
  return created;
}

/**
 * At server start (instrumentation.ts), after the migrations: each document still showing the app's default text whose
 * kept text is not what this release's defaults (server/legal/defaults.ts) say for the 店铺资料 in force gets the next
 * version, generated, by nobody (the system), audited; shoppers are asked again, as after a 店铺资料 change. Only a
 * release whose wording's revision (DEFAULT_LEGAL_REVISION) is not older than the kept text's does so: an older one
 * (a rollback, a rolling deploy) serves the kept text and writes nothing, so releases started in turn make one version,
 * not one per start. Under the same revision a text differs only when a 店铺资料 save on an older release left it
 * (regenerateDefaultLegalVersions): its version is made now, by the staff member who saved.
 *
 * A default never kept (version 1, no row) is kept as it reads now. When shoppers have agreed to that version 1, the
 * text they read may be an older release's wording, lost: version 2 is made too (the same text, by the system), so
 * everyone agrees again to a text that is kept. The merchant's own texts are untouched (their English alone: the Chinese
 * follows, as after a 店铺资料 change). Idempotent; instances starting
 * at once queue on the 店铺资料 lock, and the later ones find the texts current.
 */
export async function syncDefaultLegalVersions(ctx: Ctx, defaults: LegalDefaults = LEGAL_DEFAULTS): Promise<{ kind: LegalKind; version: number }[]> {
  // saveShopProfile's lock (server/shop/profile.ts), taken before the documents' as it does: the profile read here
  // stays the one in force until this commits, so a save at the same moment cannot be undone by an older text.
  await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('ShopProfile'))`;
  const profile = await getShopProfile(ctx.tx);
  const created: { kind: LegalKind; version: number }[] = [];
  for (const kind of LEGAL_KINDS) {
    await lockDocument(ctx.tx, kind);
    const newest = await ctx.tx.legalDocumentVersion.findFirst({ where: { kind }, orderBy: { version: "desc" } });
    if (newest?.customZh) continue;
    const next = followingDefaults(newest, defaultTexts(kind, profile, defaults));
    const version = (row: { version: number; texts: Record<Locale, string>; revision: number }, authorStaffId: number | null, action: string) =>
      systemVersion(ctx, kind, row, { texts: next, revision: defaults.revision, languages: languagesAfter(ctx, newest, row.texts, next) }, authorStaffId, action);
    if (!newest) {
      // What version 1 says under this release: the best text there is of it.
      await ctx.tx.legalDocumentVersion.create({
        data: { kind, version: 1, body: next["zh-CN"], bodyEn: next.en, generated: true, defaultRevision: defaults.revision, authorStaffId: null, createdAt: null },
      });
      // Shoppers agreed to version 1 before it was kept (server/legal/consent.ts records version numbers only).
      const agreed = await ctx.tx.legalConsent.findFirst({ where: kind === "terms" ? { termsVersion: 1 } : { privacyVersion: 1 }, select: { id: true } });
      if (agreed) created.push(await version({ version: 1, texts: next, revision: defaults.revision }, null, "legal.default_upgraded"));
      continue;
    }
    const revision = keptRevision(newest);
    if (revision > defaults.revision) continue;
    const kept = keptTexts(newest);
    if (sameTexts(kept, next)) continue;
    const from = { version: newest.version, texts: kept, revision };
    created.push(
      revision < defaults.revision
        ? await version(from, null, "legal.default_upgraded")
        : // Same wording, another 店铺资料: a save an older release did not regenerate for, by the one who saved it.
          await version(from, profile.updatedById ?? null, "legal.default_regenerated"),
    );
  }
  return created;
}

/** The next version of a default text, made at server start (syncDefaultLegalVersions), audited as the system's. */
async function systemVersion(
  ctx: Ctx,
  kind: LegalKind,
  from: { version: number; texts: Record<Locale, string>; revision: number },
  next: { texts: Record<Locale, string>; revision: number; languages: LanguagesKept },
  authorStaffId: number | null,
  action: string,
): Promise<{ kind: LegalKind; version: number }> {
  const row = await ctx.tx.legalDocumentVersion.create({
    data: { kind, version: from.version + 1, body: next.texts["zh-CN"], bodyEn: next.texts.en, generated: true, ...next.languages, defaultRevision: next.revision, authorStaffId, createdAt: ctx.now },
  });
  await audit(ctx.tx, {
    actor: { type: "system" },
    action,
    target: `legal:${kind}`,
    before: { version: from.version, chars: Array.from(from.texts["zh-CN"]).length, revision: from.revision },
    after: { version: row.version, chars: Array.from(next.texts["zh-CN"]).length, revision: next.revision },
    now: ctx.now,
  });
  return { kind, version: row.version };
}

/** syncDefaultLegalVersions in its own transaction (server start). */
export function syncDefaultLegalTexts(db: Db, now: Date = new Date(), defaults: LegalDefaults = LEGAL_DEFAULTS) {
  return inTx(db, { now }, (ctx) => syncDefaultLegalVersions(ctx, defaults));
}
