// The shop's 用户协议 and 隐私政策: version 1 of each is the app's default text (server/legal/defaults.ts); every
// save by the owner adds the next version, with who and when, audited. Shoppers agree to the current versions
// at sign-in (server/legal/consent.ts).
import type { Db, Tx } from "../db";
import { inTx, refuse, type Ctx } from "../context";
import { audit, staffActor, type StaffActor } from "../audit";
import { forbiddenClaimsIn, forbiddenClaimsMessage } from "../rules/compliance";
import type { Locale } from "@/lib/i18n/core";
import { getShopProfile, shopDisplayName } from "../shop/profile";
import { defaultLegalText } from "./defaults";
import type { LegalVersions } from "./consent-token";

export const LEGAL_KINDS = ["terms", "privacy"] as const;
export type LegalKind = (typeof LEGAL_KINDS)[number];

/** Longest merchant text, in characters (a long privacy policy is ~10 000). */
export const MAX_LEGAL_CHARS = 30_000;

export type { LegalVersions } from "./consent-token";

const LABEL: Record<LegalKind, string> = { terms: "用户协议", privacy: "隐私政策" };

/** The version number now in force of each document: the newest saved, or 1 (the default text). */
export async function currentLegalVersions(db: Db | Tx): Promise<LegalVersions> {
  const rows = await db.legalDocumentVersion.groupBy({ by: ["kind"], _max: { version: true } });
  const newest = (kind: LegalKind) => rows.find((r) => r.kind === kind)?._max.version ?? 1;
  return { terms: newest("terms"), privacy: newest("privacy") };
}

export interface LegalDocument {
  kind: LegalKind;
  version: number;
  /** Markdown: the merchant's text, else the default in `locale`. */
  body: string;
  /** The merchant's own text (shown as written, in every language). */
  custom: boolean;
  /** When the merchant saved it; null for the default. */
  savedAt: Date | null;
}

/** The document shoppers read now. */
export async function legalDocument(db: Db | Tx, kind: LegalKind, locale: Locale): Promise<LegalDocument> {
  const saved = await db.legalDocumentVersion.findFirst({ where: { kind }, orderBy: { version: "desc" } });
  if (saved) return { kind, version: saved.version, body: saved.body, custom: true, savedAt: saved.createdAt };
  // The default names the shop, its operator and its contacts as the 店铺资料 gives them now.
  const profile = await getShopProfile(db);
  return { kind, version: 1, body: defaultLegalText(kind, locale, shopDisplayName(profile, locale), profile), custom: false, savedAt: null };
}

export interface LegalVersionSummary {
  version: number;
  author: string | null;
  createdAt: Date | null;
}

/** The back office's view: each document as it stands (Chinese default when none saved) and its versions, newest first. */
export async function legalOverview(db: Db | Tx) {
  const rows = await db.legalDocumentVersion.findMany({ orderBy: [{ kind: "asc" }, { version: "desc" }], select: { kind: true, version: true, authorStaffId: true, createdAt: true } });
  const staff = new Map(
    (await db.staffAccount.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.authorStaffId))] } }, select: { id: true, displayName: true, username: true } })).map((s) => [s.id, `${s.displayName} (${s.username})`]),
  );
  return Promise.all(
    LEGAL_KINDS.map(async (kind) => {
      const doc = await legalDocument(db, kind, "zh-CN");
      const history: LegalVersionSummary[] = [
        ...rows.filter((r) => r.kind === kind).map((r) => ({ version: r.version, author: staff.get(r.authorStaffId) ?? `#${r.authorStaffId}`, createdAt: r.createdAt })),
        // Version 1 is the app's default text: nobody saved it.
        { version: 1, author: null, createdAt: null },
      ];
      return { ...doc, history };
    }),
  );
}

export interface SaveLegalInput {
  kind: LegalKind;
  body: string;
  /** The version the editor started from: a save over someone else's newer version is refused. */
  baseVersion: number;
}

/** Saves the merchant's text as the document's next version (owner; audited in the same transaction). */
export async function saveLegalVersion(ctx: Ctx, actor: StaffActor, input: SaveLegalInput) {
  const body = input.body.trim();
  if (!body) refuse("LEGAL_EMPTY", `请填写${LABEL[input.kind]}的内容`);
  if (Array.from(body).length > MAX_LEGAL_CHARS) refuse("LEGAL_TOO_LONG", `${LABEL[input.kind]}最多 ${MAX_LEGAL_CHARS} 字`);
  // The compliance guard of campaign texts (seed 004): the reward rules a document describes may promise no earnings.
  const hits = forbiddenClaimsIn(body, ctx.config.compliance.forbiddenClaims);
  if (hits.length > 0) refuse("LEGAL_FORBIDDEN_CLAIM", forbiddenClaimsMessage(hits));
  // One saver at a time per document, so version numbers are consecutive.
  await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`LegalDocumentVersion:${input.kind}`}))`;
  const current = await legalDocument(ctx.tx, input.kind, "zh-CN");
  if (current.version !== input.baseVersion) refuse("LEGAL_STALE", `${LABEL[input.kind]}已更新为第 ${current.version} 版，请刷新后在新版本上修改`);
  if (current.body.trim() === body) refuse("LEGAL_UNCHANGED", `${LABEL[input.kind]}没有变化`);
  const created = await ctx.tx.legalDocumentVersion.create({
    data: { kind: input.kind, version: current.version + 1, body, authorStaffId: actor.staffId, createdAt: ctx.now },
  });
  await audit(ctx.tx, {
    actor: staffActor(actor),
    action: "legal.version_created",
    target: `legal:${input.kind}`,
    before: { version: current.version, chars: Array.from(current.body).length },
    after: { version: created.version, chars: Array.from(body).length },
    requestId: actor.requestId ?? null,
    now: ctx.now,
  });
  return { kind: input.kind, version: created.version };
}

/** saveLegalVersion in its own transaction (the router's entry point). */
export function saveLegalDocument(db: Db, actor: StaffActor, input: SaveLegalInput, now: Date = new Date()) {
  return inTx(db, { now }, (ctx) => saveLegalVersion(ctx, actor, input));
}
