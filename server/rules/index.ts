// Program rules (issue 11): versioned, effective-dated rule sets with the compliance guard.
// Saving creates a new RuleVersion (who, when, why, effective now or later); the engine reads the
// version in force (server/context loadRules) and records it on every order, commission and rebate
// task, whose later steps keep following it (rulesOfVersion), so a change never alters what was earned.
import type { Db, Tx } from "../db";
import { DomainError, inTx, type Ctx } from "../context";
import { audit, staffActor, type StaffActor } from "../audit";
import { configSchema, parseConfig, type MallConfig } from "../config/schema";
import { issueDetail, type IssueDetail } from "@/lib/i18n/issue-rule";
import { PAY_TO_EARN_MESSAGE, payToEarnKeys } from "./compliance";
import { diffRules, type RuleDiffRow } from "./diff";
import { carryInto, rebaseEdit, sameRules } from "./rebase";
import { zonedWallTime } from "../clock/time";

export { diffRules, type RuleDiffRow };

export const MAX_REASON_CHARS = 200;
/** The reason recorded on the version that takes over the rules from before versioning. */
export const INITIAL_VERSION_REASON = "启用规则版本管理前的规则";

export interface RuleIssue {
  /** Dotted path of the refused setting, e.g. "commission.ratesBps" or "campaign.title". */
  path: string;
  message: string;
  /** What the client may act on without reading the wording: "unchanged" is a save that changes nothing. */
  code?: "unchanged";
  /** The broken rule without words (zod's code and bounds, or a custom rule and its parameters): other languages word it from this. */
  detail?: IssueDetail;
}

/** Someone saved a change to settings this editor also changed since the version the form was opened from: nothing saved. */
export class RulesStale extends DomainError {
  constructor(paths: string[]) {
    super("RULES_STALE", `规则已在你打开后被修改${paths.length ? `：${paths.join("、")}` : ""}，请刷新后重新修改`, paths.map((path) => ({ path, message: "规则已在你打开后被修改" })));
  }
}

/** The editor changed settings whose value in force at the chosen time is not the one the form showed (a scheduled version's): nothing saved. */
export class RulesScheduledDiffers extends DomainError {
  constructor(paths: string[], targetVersion: number) {
    super(
      "RULES_SCHEDULED_DIFFERS",
      `这些设置在生效时间的规则（第 ${targetVersion} 版）中与你编辑的版本不同：${paths.join("、")}，请把生效时间定在计划版本之后，或先修改计划版本`,
      paths.map((path) => ({ path, message: "与生效时间的规则不同" })),
    );
  }
}

/** The guard refused a rule set: one message per refused field. */
export class RulesRefused extends DomainError {
  constructor(public readonly issues: RuleIssue[]) {
    super("RULES_REFUSED", `规则未保存：${issues.map((i) => `${i.path || "规则"}：${i.message}`).join("；")}`, issues);
  }
}

/**
 * The compliance guard: a setting that makes earning depend on paying (fee, deposit, paid membership)
 * may not exist at all; then the config schema (≤ 3 levels, L1 ≥ L2 ≥ L3, ranges, forbidden claims).
 */
export function checkRuleSet(raw: unknown): { ok: true; config: MallConfig } | { ok: false; issues: RuleIssue[] } {
  const payToEarn = payToEarnKeys(raw);
  if (payToEarn.length > 0) return { ok: false, issues: payToEarn.map((p) => ({ path: p.join("."), message: PAY_TO_EARN_MESSAGE, detail: { code: "custom", params: { rule: "payToEarn" } } })) };
  const parsed = configSchema.safeParse(raw ?? {});
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message, detail: issueDetail(i) })) };
}

/** The rule set or a RulesRefused naming every refused field. */
export function guardRuleSet(raw: unknown): MallConfig {
  const r = checkRuleSet(raw);
  if (!r.ok) throw new RulesRefused(r.issues);
  return r.config;
}

/**
 * Makes sure version 1 exists: the rules from before versioning (the MallConfig row, else defaults),
 * in force since ever, recorded on every order, commission and task that has no version yet.
 */
async function ensureInitialVersion(tx: Tx, now: Date) {
  const latest = await tx.ruleVersion.findFirst({ orderBy: { version: "desc" } });
  if (latest) return latest;
  const row = await tx.mallConfig.findUnique({ where: { id: "default" } });
  const v1 = await tx.ruleVersion.create({
    data: { version: 1, config: parseConfig(row?.data ?? {}) as object, authorStaffId: null, reason: INITIAL_VERSION_REASON, createdAt: now, effectiveAt: new Date(0) },
  });
  await tx.order.updateMany({ where: { ruleVersionId: null }, data: { ruleVersionId: v1.id } });
  await tx.commission.updateMany({ where: { ruleVersionId: null }, data: { ruleVersionId: v1.id } });
  await tx.rebateTask.updateMany({ where: { ruleVersionId: null }, data: { ruleVersionId: v1.id } });
  return v1;
}

/** One saver at a time (until commit): version numbers are consecutive, each diff is against its predecessor. */
export async function lockRules(ctx: Ctx): Promise<void> {
  await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('RuleVersion'))`;
}

export interface SaveRulesInput {
  config: unknown;
  reason: string;
  /** When the version comes into force; omitted = now. Never in the past. */
  effectiveAt?: Date | null;
  /** The same as the shop's wall clock ("YYYY-MM-DDTHH:mm", the rules' time zone): the rules form's, whatever the browser's zone. */
  effectiveLocal?: string | null;
  /**
   * The version the form was opened from: only the settings changed from it are saved, onto the version in force at
   * the effective time (a concurrent save is kept, a conflicting one refuses). Omitted: `config` is the whole new rule set.
   */
  baseVersion?: number | null;
}

/** Who saves: a member of staff, or null for the test hook (FM_TEST_CLOCK only). */
export type RulesAuthor = StaffActor | null;

/**
 * Saves a new rule version after the compliance guard; audited in the same transaction. With a base version, the
 * editor's own changes only (rebase.ts rebaseEdit); refused as RulesStale where someone changed the same setting since,
 * as RulesScheduledDiffers where the rules in force at its time hold another value than the form showed.
 */
export async function saveRuleVersion(ctx: Ctx, author: RulesAuthor, input: SaveRulesInput) {
  const reason = input.reason.trim();
  const issues: RuleIssue[] = [];
  if (!reason) issues.push({ path: "reason", message: "请填写修改原因" });
  if (Array.from(reason).length > MAX_REASON_CHARS) issues.push({ path: "reason", message: `修改原因最多 ${MAX_REASON_CHARS} 字` });
  const local = input.effectiveLocal ? zonedWallTime(input.effectiveLocal, ctx.config.timeZone) : null;
  if (input.effectiveLocal && !local) issues.push({ path: "effectiveAt", message: "生效时间无效" });
  const effectiveAt = local ?? input.effectiveAt ?? ctx.now;
  if (effectiveAt.getTime() < ctx.now.getTime() - 60_000) issues.push({ path: "effectiveAt", message: "生效时间不能早于现在" });
  const checked = checkRuleSet(input.config);
  if (!checked.ok) issues.push(...checked.issues);
  if (issues.length > 0 || !checked.ok) throw new RulesRefused(issues);

  await lockRules(ctx);
  const newest = await ensureInitialVersion(ctx.tx, ctx.now);
  const at = effectiveAt < ctx.now ? ctx.now : effectiveAt;
  const timeline = await liveVersions(ctx.tx);
  // What the new version replaces at its time: its diff and its "no change" check are against that.
  const replaced = timeline.filter((v) => v.effectiveAt <= at).at(-1)!;
  const replacedConfig = parseConfig(replaced.config);
  const config = input.baseVersion == null ? checked.config : await ownChangesOnto(ctx.tx, input.baseVersion, newest, checked.config, replaced);
  const changes = diffRules(replacedConfig, config);
  if (changes.length === 0) throw new RulesRefused([{ path: "", message: "规则没有变化", code: "unchanged" }]);
  const unknown = await unknownCategoryKeys(ctx.tx, replacedConfig, config);
  if (unknown.length > 0) throw new RulesRefused(unknown);
  // Seats already taken were placed at the old width: a new width would break first-vacancy placement (SPEC §3).
  if (config.matrix.width !== replacedConfig.matrix.width && (await ctx.tx.matrixSeat.findFirst({ where: { memberId: { not: null } }, select: { id: true } }))) {
    throw new RulesRefused([{ path: "matrix.width", message: "已有会员排入矩阵，矩阵宽度不能再修改" }]);
  }
  const created = await ctx.tx.ruleVersion.create({
    data: { version: newest.version + 1, config: config as object, authorStaffId: author?.staffId ?? null, reason, createdAt: ctx.now, effectiveAt: at },
  });
  await auditVersion(ctx, author, created, changes, reason, { previousVersion: replaced.version, ...(input.baseVersion == null ? {} : { baseVersion: input.baseVersion }) });

  // Versions scheduled after it keep their own changes and take this one's: each is saved again, rebased.
  let nextVersion = created.version + 1;
  let base: unknown = config;
  let before: unknown = replacedConfig;
  for (const scheduled of timeline.filter((v) => v.effectiveAt > at)) {
    const own = parseConfig(scheduled.config);
    const merged = carryInto(base, before, own);
    before = own;
    if (sameRules(merged, own)) {
      base = own;
      continue;
    }
    const checked = checkRuleSet(merged);
    if (!checked.ok) {
      throw new RulesRefused(checked.issues.map((i) => ({ ...i, message: `与第 ${scheduled.version} 版（定时生效）合并后：${i.message}` })));
    }
    const carriedReason = `${scheduled.reason}（并入第 ${created.version} 版的修改）`;
    const carried = await ctx.tx.ruleVersion.create({
      data: { version: nextVersion++, config: checked.config as object, authorStaffId: author?.staffId ?? null, reason: carriedReason, createdAt: ctx.now, effectiveAt: scheduled.effectiveAt },
    });
    await auditVersion(ctx, author, carried, diffRules(own, checked.config), carriedReason, { previousVersion: scheduled.version, carriedFrom: created.version });
    base = checked.config;
  }
  // SPEC §4: a switch away from `everyone` stores no member's status here (one UPDATE of all of them would hold this
  // transaction open): server/distribution stores it in batches and counts it until then.
  return { id: created.id, version: created.version, effectiveAt: created.effectiveAt, changes: changes.length, carriedInto: nextVersion - created.version - 1 };
}

/**
 * A category override the save adds or changes must name a category of the catalogue (by slug): the engine matches it
 * against each line's category, so another key pays nothing while the promotion centre would advertise it. One kept
 * as it was (saved before this check) is left to the merchant to remove. The scenario replay has no catalogue and
 * never saves a version.
 */
async function unknownCategoryKeys(tx: Tx, before: MallConfig, after: MallConfig): Promise<RuleIssue[]> {
  const was = before.commission.categoryRatesBps;
  const touched = Object.entries(after.commission.categoryRatesBps)
    .filter(([slug, rates]) => JSON.stringify(was[slug]) !== JSON.stringify(rates))
    .map(([slug]) => slug);
  if (touched.length === 0) return [];
  const known = new Set((await tx.category.findMany({ where: { slug: { in: touched } }, select: { slug: true } })).map((c) => c.slug));
  return touched
    .filter((slug) => !known.has(slug))
    .map((slug) => ({ path: `commission.categoryRatesBps.${slug}`, message: `没有这个商品分类：${slug}，请从现有分类中选择`, detail: { code: "custom", params: { rule: "unknownCategory" } } }));
}

type VersionRow = { version: number; config: unknown; reason: string; effectiveAt: Date };

/** The editor's changes from version `baseVersion` to `edited`, moved onto `target` (the version in force at the new one's time) and guarded again. */
async function ownChangesOnto(tx: Tx, baseVersion: number, newest: { version: number; config: unknown }, edited: MallConfig, target: VersionRow): Promise<MallConfig> {
  const base = await tx.ruleVersion.findUnique({ where: { version: baseVersion }, select: { config: true } });
  if (!base) throw new RulesStale([]);
  const baseConfig = parseConfig(base.config);
  // What the form would open with now (rulesOverview's latest) shows every save since the base.
  const rebased = rebaseEdit(baseConfig, edited, parseConfig(newest.config), parseConfig(target.config));
  if (!rebased.ok && rebased.stale.length > 0) throw new RulesStale(rebased.stale);
  if (!rebased.ok) throw new RulesScheduledDiffers(rebased.differs, target.version);
  if (rebased.changed === 0) throw new RulesRefused([{ path: "", message: "规则没有变化", code: "unchanged" }]);
  const checked = checkRuleSet(rebased.config);
  if (!checked.ok) throw new RulesRefused(checked.issues.map((i) => ({ ...i, message: `与第 ${target.version} 版合并后：${i.message}` })));
  return checked.config;
}

/** The versions that are or will be in force, by effective time: one replaced at its own time by a later save is left out. */
async function liveVersions(tx: Tx): Promise<VersionRow[]> {
  const rows = await tx.ruleVersion.findMany({ orderBy: [{ effectiveAt: "asc" }, { version: "asc" }], select: { version: true, config: true, reason: true, effectiveAt: true } });
  return rows.filter((r, i) => rows[i + 1]?.effectiveAt.getTime() !== r.effectiveAt.getTime());
}

async function auditVersion(ctx: Ctx, author: RulesAuthor, v: { version: number; effectiveAt: Date }, changes: RuleDiffRow[], reason: string, data: Record<string, number>) {
  await audit(ctx.tx, {
    actor: author ? staffActor(author) : { type: "system" },
    action: "rules.version_created",
    target: `ruleVersion:${v.version}`,
    before: Object.fromEntries(changes.map((c) => [c.path, c.before ?? null])),
    after: Object.fromEntries(changes.map((c) => [c.path, c.after ?? null])),
    data: { reason, effectiveAt: v.effectiveAt.toISOString(), ...data },
    requestId: author?.requestId ?? null,
    now: ctx.now,
  });
}

/** saveRuleVersion in its own transaction (the router's and the test hook's entry point). */
export async function saveRules(db: Db, author: RulesAuthor, input: SaveRulesInput, now: Date = new Date()) {
  return inTx(db, { now }, (ctx) => saveRuleVersion(ctx, author, input));
}

export type RuleVersionState = "active" | "scheduled" | "superseded";

export interface RuleVersionSummary {
  version: number;
  author: string | null;
  reason: string;
  createdAt: Date;
  effectiveAt: Date;
  state: RuleVersionState;
}

/** Every version, newest first, with which one is in force at `now` and which are scheduled. */
export async function listRuleVersions(db: Db | Tx, now: Date): Promise<RuleVersionSummary[]> {
  const rows = await db.ruleVersion.findMany({ orderBy: { version: "desc" }, select: { version: true, reason: true, createdAt: true, effectiveAt: true, authorStaffId: true } });
  const authorIds = [...new Set(rows.map((r) => r.authorStaffId).filter((id): id is number => id !== null))];
  const staff = new Map((await db.staffAccount.findMany({ where: { id: { in: authorIds } }, select: { id: true, displayName: true, username: true } })).map((s) => [s.id, s]));
  const active = [...rows]
    .filter((r) => r.effectiveAt <= now)
    .sort((a, b) => b.effectiveAt.getTime() - a.effectiveAt.getTime() || b.version - a.version)[0];
  // A scheduled version a later save carried its change into (same effective time, higher number) never comes into force.
  const replacedAtItsTime = (r: (typeof rows)[number]) => rows.some((o) => o.version > r.version && o.effectiveAt.getTime() === r.effectiveAt.getTime());
  return rows.map((r) => ({
    version: r.version,
    author: r.authorStaffId === null ? null : staff.has(r.authorStaffId) ? `${staff.get(r.authorStaffId)!.displayName} (${staff.get(r.authorStaffId)!.username})` : `#${r.authorStaffId}`,
    reason: r.reason,
    createdAt: r.createdAt,
    effectiveAt: r.effectiveAt,
    state: replacedAtItsTime(r) ? "superseded" : r.effectiveAt > now ? "scheduled" : r.version === active?.version ? "active" : "superseded",
  }));
}

/** The rules page's data: the rules in force (and their version), and the latest saved version's rules to edit from. */
export async function rulesOverview(db: Db | Tx, now: Date) {
  const [inForce, latest, versions] = await Promise.all([
    db.ruleVersion.findFirst({ where: { effectiveAt: { lte: now } }, orderBy: [{ effectiveAt: "desc" }, { version: "desc" }], select: { version: true, config: true } }),
    db.ruleVersion.findFirst({ orderBy: { version: "desc" }, select: { version: true, config: true } }),
    listRuleVersions(db, now),
  ]);
  const base = inForce ? null : await db.mallConfig.findUnique({ where: { id: "default" } });
  const current = inForce ? parseConfig(inForce.config) : parseConfig(base?.data ?? {});
  return {
    activeVersion: inForce?.version ?? null,
    active: current,
    /** What the form starts from: the newest version, even when it is only scheduled. */
    latestVersion: latest?.version ?? null,
    /** The version the form's save is based on (SaveRulesInput.baseVersion): before any, version 1, which the first save makes of the same rules. */
    baseVersion: latest?.version ?? 1,
    latest: latest ? parseConfig(latest.config) : current,
    versions,
    /** What a category override may name: the catalogue's categories (slug and name), in shop order. */
    categories: await db.category.findMany({ orderBy: [{ sort: "asc" }, { slug: "asc" }], select: { slug: true, name: true } }),
  };
}

/** Version `version` beside the version it replaces at its effective time: the changed settings, before and after. */
export async function ruleVersionDiff(db: Db | Tx, version: number) {
  const row = await db.ruleVersion.findUnique({ where: { version }, select: { version: true, config: true, reason: true, effectiveAt: true } });
  if (!row) return null;
  // Its predecessor is what it replaces at its time (an older version scheduled later is not).
  const prev = await db.ruleVersion.findFirst({
    where: { version: { lt: version }, effectiveAt: { lte: row.effectiveAt } },
    orderBy: [{ effectiveAt: "desc" }, { version: "desc" }],
    select: { version: true, config: true },
  });
  return {
    version: row.version,
    previousVersion: prev?.version ?? null,
    reason: row.reason,
    effectiveAt: row.effectiveAt,
    rows: diffRules(prev ? parseConfig(prev.config) : null, parseConfig(row.config)),
  };
}
