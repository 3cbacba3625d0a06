// 店铺资料: the shop's name, its operator (经营主体) and its customer-service channels, one row the owner edits. The
// default 用户协议 and 隐私政策 name the operator as personal-information handler with these contacts (PIPL 第十七条),
// and 我的 shows the channels. Until the first save the app's defaults apply (the app name, nothing else).
import type { Db, Tx } from "../db";
import { DomainError, inTx, refuse, type Ctx } from "../context";
import { audit, staffActor, type StaffActor } from "../audit";
import { forbiddenClaimsIn, forbiddenClaimsMessage } from "../rules/compliance";
import { regenerateDefaultLegalVersions, type LegalKind } from "../legal/documents";
import type { LegalDefaults } from "../legal/defaults";
import { issueDetail, type IssueDetail } from "@/lib/i18n/issue-rule";
import { zhCN } from "@/lib/i18n/messages/zh-CN";
import { en } from "@/lib/i18n/messages/en";
import type { Locale } from "@/lib/i18n/core";
import { SHOP_PROFILE_FIELDS, SHOP_PROFILE_LABEL, SHOP_PROFILE_TEXT_FIELDS, shopProfileSchema, telHref, type ShopProfileField, type ShopProfileValues } from "./schema";

const PROFILE_ID = "default";

/** The app's name: the shop's name until the owner gives another (prisma/schema/shop.prisma has the same default). */
export const DEFAULT_SHOP_NAME = zhCN["app.name"];

export interface ShopProfile extends ShopProfileValues {
  /** When and by whom it was last saved; null while the defaults apply. */
  updatedAt: Date | null;
  updatedById: number | null;
}

export const DEFAULT_SHOP_PROFILE: ShopProfile = {
  name: DEFAULT_SHOP_NAME,
  nameEn: null,
  operatorName: null,
  servicePhone: null,
  serviceWechat: null,
  email: null,
  serviceHours: null,
  address: null,
  updatedAt: null,
  updatedById: null,
};

export async function getShopProfile(db: Db | Tx): Promise<ShopProfile> {
  const row = await db.shopProfile.findUnique({ where: { id: PROFILE_ID } });
  if (!row) return DEFAULT_SHOP_PROFILE;
  const { id: _id, ...profile } = row;
  return profile;
}

/** The shop's name in `locale`: English pages show the English name, else the Chinese one (the app's English name while that is the default). */
export function shopDisplayName(profile: Pick<ShopProfile, "name" | "nameEn">, locale: Locale): string {
  if (locale === "zh-CN") return profile.name;
  return profile.nameEn ?? (profile.name === DEFAULT_SHOP_NAME ? en["app.name"] : profile.name);
}

export interface ShopContact {
  servicePhone: string | null;
  /** The phone's tel: link. */
  phoneHref: string | null;
  serviceWechat: string | null;
  email: string | null;
  serviceHours: string | null;
}

/** How shoppers reach the shop (我的); null when no channel is set (service hours alone reach nobody). */
export async function shopContact(db: Db | Tx): Promise<ShopContact | null> {
  return shopContactOf(await getShopProfile(db));
}

/** shopContact of a profile already read. */
export function shopContactOf(p: ShopProfile): ShopContact | null {
  if (!p.servicePhone && !p.serviceWechat && !p.email) return null;
  return { servicePhone: p.servicePhone, phoneHref: p.servicePhone ? telHref(p.servicePhone) : null, serviceWechat: p.serviceWechat, email: p.email, serviceHours: p.serviceHours };
}

export interface ShopProfileIssue {
  path: string;
  message: string;
  /** The broken rule without words: other languages word it from this (lib/i18n/labels.ts refusalIssueText). */
  detail?: IssueDetail;
}

/** The profile was refused: one message per refused field. */
export class ShopProfileRefused extends DomainError {
  constructor(public readonly issues: ShopProfileIssue[]) {
    super("SHOP_PROFILE_REFUSED", `店铺资料未保存：${issues.map((i) => `${SHOP_PROFILE_LABEL[i.path as ShopProfileField] ?? i.path}：${i.message}`).join("；")}`, issues);
  }
}

/** Every refused field of `input`: the schema's rules, then the compliance guard on the texts shoppers read. */
function checkProfile(ctx: Ctx, input: unknown): { ok: true; values: ShopProfileValues } | { ok: false; issues: ShopProfileIssue[] } {
  const parsed = shopProfileSchema.safeParse(input);
  const issues: ShopProfileIssue[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message, detail: issueDetail(i) }));
  const raw = (input ?? {}) as Record<string, unknown>;
  for (const field of SHOP_PROFILE_TEXT_FIELDS) {
    const value = raw[field];
    if (typeof value !== "string" || issues.some((i) => i.path === field)) continue;
    // The guard of campaign texts (seed 004): the shop's name and details may promise no earnings either.
    const hits = forbiddenClaimsIn(value, ctx.config.compliance.forbiddenClaims);
    if (hits.length > 0) issues.push({ path: field, message: forbiddenClaimsMessage(hits), detail: { code: "custom", params: { rule: "forbiddenClaims", words: hits } } });
  }
  return parsed.success && issues.length === 0 ? { ok: true, values: parsed.data } : { ok: false, issues };
}

/** The profile the form was opened on: its `updatedAt` (null: the defaults, never saved). */
export interface ShopProfileBase {
  updatedAt: Date | null;
}

function staleProfile(): never {
  refuse("SHOP_PROFILE_STALE", "店铺资料已在你打开后被他人修改，请重新加载后再保存");
}

/**
 * Writes the profile only while it is still the one `base` names, in one statement (a row created meanwhile, or
 * saved since, is not overwritten): null then. Without `base` (no form behind it) it is written whatever it was.
 */
async function writeProfile(ctx: Ctx, data: ShopProfileValues & { updatedAt: Date; updatedById: number }, base: ShopProfileBase | undefined) {
  if (!base) return ctx.tx.shopProfile.upsert({ where: { id: PROFILE_ID }, create: { id: PROFILE_ID, ...data }, update: data });
  if (base.updatedAt === null) {
    const created = await ctx.tx.shopProfile.createMany({ data: [{ id: PROFILE_ID, ...data }], skipDuplicates: true });
    return created.count === 0 ? null : ctx.tx.shopProfile.findUniqueOrThrow({ where: { id: PROFILE_ID } });
  }
  const [row] = await ctx.tx.shopProfile.updateManyAndReturn({ where: { id: PROFILE_ID, updatedAt: base.updatedAt }, data });
  return row ?? null;
}

/**
 * Saves the 店铺资料 (owner). Every refused field is reported at once; a save that changes nothing writes nothing.
 * Audited in the same transaction with the changed fields before and after; a default 用户协议 / 隐私政策 it changes
 * gets a new version there too (`legal`: the versions it made), which shoppers accept at their next sign-in.
 * `legalDefaults`: the release's default texts (tests play an older or newer release). `base`: the profile the form
 * was opened on; saved since by someone else, the save is refused (SHOP_PROFILE_STALE) rather than overwriting theirs.
 */
export async function saveShopProfile(ctx: Ctx, input: unknown, staff: StaffActor, legalDefaults?: LegalDefaults, base?: ShopProfileBase): Promise<{ changed: boolean; profile: ShopProfile; legal: { kind: LegalKind; version: number }[] }> {
  const checked = checkProfile(ctx, input);
  if (!checked.ok) throw new ShopProfileRefused(checked.issues);
  const values = checked.values;
  // One saver at a time: the audit entry's "before" is what this save replaced.
  await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('ShopProfile'))`;
  const before = await getShopProfile(ctx.tx);
  const changed = SHOP_PROFILE_FIELDS.filter((f) => before[f] !== values[f]);
  if (changed.length === 0) {
    // Nothing to write, but a form opened before another save is told it is behind (its next save would be refused).
    if (base && before.updatedAt?.getTime() !== base.updatedAt?.getTime()) staleProfile();
    return { changed: false, profile: before, legal: [] };
  }
  const written = await writeProfile(ctx, { ...values, updatedAt: ctx.now, updatedById: staff.staffId }, base);
  if (!written) staleProfile();
  const { id: _id, ...profile } = written;
  const pick = (from: ShopProfileValues) => Object.fromEntries(changed.map((f) => [f, from[f]]));
  await audit(ctx.tx, {
    actor: staffActor(staff),
    action: "shop.profile_updated",
    target: "shop:profile",
    before: pick(before),
    after: pick(values),
    requestId: staff.requestId ?? null,
    now: ctx.now,
  });
  const legal = await regenerateDefaultLegalVersions(ctx, staff, before, values, legalDefaults);
  return { changed: true, profile, legal };
}

/** saveShopProfile in its own transaction (the router's entry point, with the form's `base`). */
export function saveShopProfileTx(db: Db, staff: StaffActor, input: unknown, now: Date = new Date(), base?: ShopProfileBase) {
  return inTx(db, { now }, (ctx) => saveShopProfile(ctx, input, staff, undefined, base));
}
