// A/B campaign experiments (issue 11). While an experiment runs, each new anchor order's buyer is
// given variant A (the 推三返一 rules in force) or B (the rules in force with the settings the experiment
// changes), deterministically by member; the task records its experiment and variant and then follows
// SPEC §5 with those settings. Ending an experiment with B as the winner saves B's changes as a new rule
// version; either way the experiment records A's settings as they were at its end, for its report.
import { createHash, randomBytes } from "node:crypto";
import { Prisma, type Db, type Tx } from "../db";
import { DomainError, inTx, loadRules, refuse, type Ctx } from "../context";
import { audit, staffActor, type StaffActor } from "../audit";
import { parseConfig, type MallConfig } from "../config/schema";
import { checkRuleSet, lockRules, saveRuleVersion, type RuleIssue } from "../rules";
import { MAX_HYPOTHESIS_CHARS, MAX_NAME_CHARS, MAX_VARIANT_PERCENT, MIN_VARIANT_PERCENT } from "./limits";
import { changesSinceSql } from "../tiers/at-close";
import { promotedReason } from "./version-reason";
import { ratioDifferenceTest, twoProportionTest, wilson, type Interval, type RatioDifferenceTest, type RatioSums, type TwoProportionTest } from "./stats";

export type Variant = "A" | "B";
export type RebateSettings = MallConfig["rebate"];

export { MAX_HYPOTHESIS_CHARS, MAX_NAME_CHARS } from "./limits";
/** Fewer members with a task than this in either group: the page says there is not enough data yet. */
export const MIN_MEMBERS_PER_VARIANT = 30;
const SIGNIFICANCE = 0.05;

/** Variant of a member: a stable hash of (experiment salt, member) into 100 buckets; the first `variantPercent` are B. */
export function variantFor(salt: string, memberId: number, variantPercent: number): Variant {
  const bucket = createHash("sha256").update(`${salt}:${memberId}`).digest().readUInt32BE(0) % 100;
  return bucket < variantPercent ? "B" : "A";
}

/** What B changes: the settings of `to` that differ from `from`'s. */
export function rebateChanges(from: RebateSettings, to: Partial<RebateSettings>): Partial<RebateSettings> {
  return Object.fromEntries(Object.entries(to).filter(([k, v]) => JSON.stringify(from[k as keyof RebateSettings]) !== JSON.stringify(v)));
}

/**
 * Experiments started before only B's changes were stored hold a full copy of B's settings: every key,
 * `enabled` included. A stored change has `enabled` only if B itself switched 推三返一 off, and diffing
 * it against the start rules gives it back unchanged.
 */
const isFullCopy = (stored: Partial<RebateSettings>) => "enabled" in stored;

/** B's changes as stored; a full copy's are its differences from the rules the experiment started on. */
async function storedChanges(db: Db | Tx, exp: { variantRebate: unknown; startedAt: Date }): Promise<Partial<RebateSettings>> {
  const stored = exp.variantRebate as Partial<RebateSettings>;
  return isFullCopy(stored) ? rebateChanges((await loadRules(db, exp.startedAt)).config.rebate, stored) : stored;
}

/** The experiment running at an instant (at most one runs), as read by runningExperimentSql. */
export interface RunningExperiment {
  id: number;
  salt: string;
  variantPercent: number;
  variantRebate: unknown;
  /** The 推三返一 settings in force at its start as stored (possibly partial), read only when variantRebate is a full copy. */
  startedOnRebate: unknown;
}

/** The experiment running at `at` as one JSON value (null when none), for a statement that reads it with other things. */
export function runningExperimentSql(at: Date): Prisma.Sql {
  // startedOnRebate: the rules loadRules gives at its start (the latest version then, else the MallConfig row).
  return Prisma.sql`(SELECT json_build_object('id', e.id, 'salt', e.salt, 'variantPercent', e."variantPercent", 'variantRebate', e."variantRebate",
      'startedOnRebate', CASE WHEN e."variantRebate" -> 'enabled' IS NOT NULL THEN COALESCE(
        (SELECT v.config FROM "RuleVersion" v WHERE v."effectiveAt" <= e."startedAt" ORDER BY v."effectiveAt" DESC, v.version DESC LIMIT 1),
        (SELECT c.data FROM "MallConfig" c WHERE c.id = 'default')) -> 'rebate' END)
    FROM "Experiment" e WHERE e.status = 'RUNNING' AND e."startedAt" <= ${at} LIMIT 1)`;
}

/** The experiment running at `at`, or null: for a reader outside the payment statement (the product page). */
export async function runningExperiment(db: Db | Tx, at: Date): Promise<RunningExperiment | null> {
  const [row] = await db.$queryRaw<{ experiment: RunningExperiment | null }[]>`SELECT ${runningExperimentSql(at)} AS experiment`;
  return row?.experiment ?? null;
}

/**
 * The rebate settings a new anchor order of `memberId` follows, and the arm of the running experiment it
 * belongs to. B: the rules in force with B's changes laid over them, so a later rules save (推三返一
 * switched off included) reaches both groups.
 */
export function rebateArm(ctx: Pick<Ctx, "config">, memberId: number, running: RunningExperiment | null): { rebate: RebateSettings; experimentId: number | null; variant: Variant | null } {
  if (!running) return { rebate: ctx.config.rebate, experimentId: null, variant: null };
  const variant = variantFor(running.salt, memberId, running.variantPercent);
  if (variant === "A") return { rebate: ctx.config.rebate, experimentId: running.id, variant };
  const stored = running.variantRebate as Partial<RebateSettings>;
  // A full copy: diffed as storedChanges does, against the start rules the payment statement read with it.
  const changes = isFullCopy(stored) ? rebateChanges(parseConfig({ rebate: running.startedOnRebate ?? undefined }).rebate, stored) : stored;
  return { rebate: { ...ctx.config.rebate, ...changes }, experimentId: running.id, variant };
}

/**
 * The 推三返一 settings a new order of `memberId` would follow at `at`, for a page that promises them:
 * their variant while an experiment runs (rebateArm, as the order's task will be), else the rules in
 * force. null (a visitor, whose variant is unknown until they sign up): the rules in force.
 */
export async function rebateFor(db: Db | Tx, config: MallConfig, memberId: number | null, at: Date): Promise<RebateSettings> {
  if (memberId === null) return config.rebate;
  return rebateArm({ config }, memberId, await runningExperiment(db, at)).rebate;
}

export interface StartExperimentInput {
  name: string;
  hypothesis: string;
  variantPercent: number;
  /** B's 推三返一 settings: any of config.rebate's keys; the rest follow the rules in force while it runs. */
  variantRebate: Record<string, unknown>;
}

class ExperimentRefused extends DomainError {
  constructor(issues: RuleIssue[]) {
    super("EXPERIMENT_REFUSED", `实验未开始：${issues.map((i) => `${i.path}：${i.message}`).join("；")}`, issues);
  }
}

/** Starts an experiment (one at a time); B's settings pass the same compliance guard as any rule change. */
export async function startExperiment(ctx: Ctx, author: StaffActor, input: StartExperimentInput) {
  const name = input.name.trim();
  const hypothesis = input.hypothesis.trim();
  const issues: RuleIssue[] = [];
  if (!name) issues.push({ path: "name", message: "请填写实验名称" });
  if (Array.from(name).length > MAX_NAME_CHARS) issues.push({ path: "name", message: `实验名称最多 ${MAX_NAME_CHARS} 字` });
  if (Array.from(hypothesis).length > MAX_HYPOTHESIS_CHARS) issues.push({ path: "hypothesis", message: `实验假设最多 ${MAX_HYPOTHESIS_CHARS} 字` });
  if (!Number.isInteger(input.variantPercent) || input.variantPercent < MIN_VARIANT_PERCENT || input.variantPercent > MAX_VARIANT_PERCENT) {
    issues.push({ path: "variantPercent", message: `B 组占比须为 ${MIN_VARIANT_PERCENT}% 到 ${MAX_VARIANT_PERCENT}% 的整数` });
  }
  // The rule savers' lock also serialises experiment starts and ends (promotion saves a version).
  await lockRules(ctx);
  // Read under the lock, as endExperiment: B's changes are against the rules in force, with a save committed meanwhile.
  const current = (await loadRules(ctx.tx, ctx.now)).config;
  if (!current.rebate.enabled) issues.push({ path: "rebate", message: "推三返一未启用，无法做实验" });
  const checked = checkRuleSet({ ...current, rebate: { ...current.rebate, ...input.variantRebate } });
  const changes = checked.ok ? rebateChanges(current.rebate, checked.config.rebate) : {};
  if (!checked.ok) issues.push(...checked.issues);
  else if (Object.keys(changes).length === 0) issues.push({ path: "rebate", message: "B 组规则与现行规则相同" });
  // It picks the test's units (who opens a task), so a selection effect would read as B's; counting every eligible buyer instead needs a scan of the period's paid orders and each buyer's frozen state at payment (only the latest freeze is kept).
  if ("minAnchorFen" in changes) {
    issues.push({ path: "rebate.minAnchorFen", message: "实验中不能改开任务最低订单金额：它决定谁能开返现任务，两组会比较不同的买家；请在规则页修改", detail: { code: "custom", params: { rule: "experimentMinAnchor" } } });
  }
  if (issues.length > 0 || !checked.ok) throw new ExperimentRefused(issues);

  if (await ctx.tx.experiment.findFirst({ where: { status: "RUNNING" }, select: { id: true } })) {
    refuse("EXPERIMENT_RUNNING", "已有实验在进行中：请先结束它");
  }
  const created = await ctx.tx.experiment.create({
    data: {
      name,
      hypothesis,
      variantPercent: input.variantPercent,
      salt: randomBytes(8).toString("hex"),
      variantRebate: changes,
      createdByStaffId: author.staffId,
      startedAt: ctx.now,
    },
  });
  await audit(ctx.tx, {
    actor: staffActor(author),
    action: "experiment.started",
    target: `experiment:${created.id}`,
    before: { rebate: current.rebate },
    after: { rebate: checked.config.rebate, changes, variantPercent: created.variantPercent },
    data: { name, hypothesis },
    requestId: author.requestId ?? null,
    now: ctx.now,
  });
  return { id: created.id };
}

/**
 * Ends the experiment; B as the winner becomes a new rule version (effective now) with B's changes over
 * the rules in force. When those already hold B's changes (the merchant saved them meanwhile) nothing is
 * saved: B wins with the version in force as its promoted version (`alreadyInForce`).
 */
export async function endExperiment(ctx: Ctx, author: StaffActor, input: { id: number; winner: Variant; reason: string }) {
  const reason = input.reason.trim();
  // Its own code: EXPERIMENT_REFUSED words a refused start (实验未开始). The form checks it first (app/merchant/experiments/form.ts).
  if (!reason) throw new DomainError("EXPERIMENT_END_REFUSED", "请填写结束原因", [{ path: "reason", message: "请填写结束原因" }]);
  await lockRules(ctx);
  const exp = await ctx.tx.experiment.findUnique({ where: { id: input.id } });
  if (!exp) refuse("NOT_FOUND", "实验不存在");
  if (exp.status !== "RUNNING") refuse("EXPERIMENT_ENDED", "实验已结束");
  // Read under the lock: a rules save committed since this transaction began is in force (and kept).
  const inForce = await loadRules(ctx.tx, ctx.now);
  let promotedVersion: number | null = null;
  let alreadyInForce = false;
  if (input.winner === "B") {
    // Only what B changed: other rebate settings changed meanwhile stay as they are now.
    const promoted = { ...inForce.config.rebate, ...(await storedChanges(ctx.tx, exp)) };
    alreadyInForce = Object.keys(rebateChanges(inForce.config.rebate, promoted)).length === 0;
    if (alreadyInForce) {
      const current = inForce.versionId === null ? null : await ctx.tx.ruleVersion.findUnique({ where: { id: inForce.versionId }, select: { version: true } });
      promotedVersion = current?.version ?? null;
    } else {
      const saved = await saveRuleVersion(ctx, author, {
        config: { ...inForce.config, rebate: promoted },
        // Worded in the reader's language by the history (version-reason.ts); cut by code points there.
        reason: promotedReason(exp.name, reason),
      });
      promotedVersion = saved.version;
    }
  }
  await ctx.tx.experiment.update({
    where: { id: exp.id },
    // The rules in force before the promotion: what A ran on.
    data: { status: "ENDED", endedAt: ctx.now, endedByStaffId: author.staffId, winner: input.winner, promotedVersion, controlRebate: inForce.config.rebate as object },
  });
  await audit(ctx.tx, {
    actor: staffActor(author),
    action: "experiment.ended",
    target: `experiment:${exp.id}`,
    before: { status: "RUNNING" },
    after: { status: "ENDED", winner: input.winner, promotedVersion, alreadyInForce },
    data: { reason },
    requestId: author.requestId ?? null,
    now: ctx.now,
  });
  return { id: exp.id, winner: input.winner, promotedVersion, alreadyInForce };
}

export const startExperimentTx = (db: Db, author: StaffActor, input: StartExperimentInput, now: Date) =>
  inTx(db, { now }, (ctx) => startExperiment(ctx, author, input));
export const endExperimentTx = (db: Db, author: StaffActor, input: { id: number; winner: Variant; reason: string }, now: Date) =>
  inTx(db, { now }, (ctx) => endExperiment(ctx, author, input));

export interface VariantResult {
  variant: Variant;
  rebate: RebateSettings | null;
  /** Tasks opened, descriptive only: a member may open several, so tasks are not independent units. */
  tasks: number;
  /** Members who shared: distinct anchor buyers with a task in this group (the unit of assignment, the test's n). */
  members: number;
  /** Of them, those with a task that reached MET (then CONFIRMED or PAID): the primary outcome. */
  metMembers: number;
  /** metMembers ÷ members. */
  metRate: number | null;
  metInterval: Interval | null;
  /** New paying members brought: invitees currently counted on this group's tasks. */
  newPaying: number;
  inviteesPerTask: number | null;
  /** Members who signed up under a task holder during the task's window … */
  invited: number;
  /** … and of them, those whose first order counted for this group's tasks. */
  converted: number;
  conversion: number | null;
  conversionInterval: Interval | null;
  /** new paying members ÷ members who shared. */
  kFactor: number | null;
  /** Cashback owed or paid on MET/CONFIRMED/PAID tasks. */
  cashbackFen: number;
  /** New paying members on settled tasks (settledTaskSql): the cost's denominator. */
  settledNewPaying: number;
  /** Cashback of settled tasks (CONFIRMED or PAID; an expired or void one pays none): the cost's numerator. */
  settledCashbackFen: number;
  /** settledCashbackFen ÷ settledNewPaying, in fen (rounded down). */
  costPerNewPayingFen: number | null;
  /** Per member with a settled task (x = its cashback, y = its new paying members): the sums the cost's test needs. */
  costSums: RatioSums;
}

export interface ExperimentReport {
  id: number;
  name: string;
  hypothesis: string;
  status: "RUNNING" | "ENDED";
  variantPercent: number;
  startedAt: Date;
  endedAt: Date | null;
  winner: string | null;
  promotedVersion: number | null;
  variants: [VariantResult, VariantResult];
  /** Members who completed a task, B against A (members, not tasks, are the test's units). */
  metTest: TwoProportionTest | null;
  conversionTest: TwoProportionTest | null;
  /** Cost per new paying member, B − A in fen, with its 95% interval (members are the units). */
  costTest: RatioDifferenceTest | null;
  /** B's cost per new paying member relative to A's, as shown (−0.12 = 12% less); null without both or when A's is 0. */
  costChange: number | null;
  verdict: Verdict;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/**
 * A task whose outcome is settled at `now` (SPEC §5), `t.invitees` its current invitees: CONFIRMED or PAID (its cashback
 * is due and its invitees stay), EXPIRED or VOID (it pays none), or OPEN past its deadline short of n (it can only expire
 * or be voided). OPEN in its window may still gain invitees; OPEN with n (held, SPEC §8) is MET once approved, also past
 * its deadline (server/rebate advanceRebateTask); MET, past its deadline or not, may still lose an invitee to a refund or a
 * rejection and expire, or be voided: counting them would compare groups by timing.
 */
const settledTaskSql = (now: Date) =>
  Prisma.sql`(t.status IN ('CONFIRMED', 'PAID', 'EXPIRED', 'VOID') OR (t.status = 'OPEN' AND t.deadline < ${now} AND t.invitees < t.n))`;

/**
 * not_enough_data: fewer than MIN_MEMBERS_PER_VARIANT members with a task in a group; no_difference:
 * neither the members' completion rates nor the costs per new paying member differ at 95%; b_better /
 * a_better: the rates do, and the group with the higher rate does not cost significantly more per new
 * paying member, or only the costs do and the group is the cheaper one; mixed: the rates do, but that
 * group costs significantly more per new paying member.
 */
export type VerdictKind = "not_enough_data" | "no_difference" | "b_better" | "a_better" | "mixed";

/** B's cost per new paying member against A's, compared on the figures the page shows (whole fen). */
export interface CostComparison {
  direction: "lower" | "same" | "higher";
  /** B ÷ A − 1; null when A's cost is 0. */
  change: number | null;
  /** The costs differ at 95% (costTest); otherwise the direction is only a direction. */
  significant: boolean;
  /** Two-sided p-value of the costs' difference; null when it cannot be tested (fewer than 2 members in a group). */
  pValue: number | null;
}

/** What every verdict states: the members with a task each group needs before anything is tested, and each group's. */
export interface VerdictMembers {
  minMembers: number;
  membersA: number;
  membersB: number;
}

/** The facts of a verdict on tested member completion rates (every kind but not_enough_data). */
export interface TestedVerdictFacts extends VerdictMembers {
  /** Two-sided p-value of the completion rates' difference. */
  pValue: number;
  /** pValue < 0.05. */
  significant: boolean;
  /** The 95% interval of the difference (B − A) includes 0. */
  intervalContainsZero: boolean;
  /** |B's completion rate − A's|, in percentage points. */
  differencePoints: number;
  /** The group with the higher completion rate (A when they are equal). */
  higher: Variant;
  /** B's cost per new paying member against A's, with its test; null when a group has no new paying member yet. */
  cost: CostComparison | null;
}

/** The verdict as plain data (serialisable over tRPC); its words come from verdictText. */
export type Verdict =
  | { kind: "not_enough_data"; facts: VerdictMembers }
  | { kind: Exclude<VerdictKind, "not_enough_data">; facts: TestedVerdictFacts };

/** null when either group has no new paying member yet (no cost figure to compare). */
export function compareCost(a: VariantResult, b: VariantResult, costTest: RatioDifferenceTest | null): CostComparison | null {
  const costA = a.costPerNewPayingFen;
  const costB = b.costPerNewPayingFen;
  if (costA === null || costB === null) return null;
  const pValue = costTest?.pValue ?? null;
  // Shown figures equal: no direction to confirm, whatever the test says of the fen below them.
  if (costA === costB) return { direction: "same", change: costA === 0 ? null : 0, significant: false, pValue };
  const significant = pValue !== null && pValue < SIGNIFICANCE;
  if (costA === 0) return { direction: "higher", change: null, significant, pValue };
  const change = costB / costA - 1;
  return { direction: change < 0 ? "lower" : "higher", change, significant, pValue };
}

/**
 * The verdict's kind and the facts its words need (server/experiments/verdict-text.ts words them in the
 * viewer's language). The members' completion rate is tested (two-proportion test at 95%, and its
 * interval must exclude 0 too, so the verdict never contradicts the interval shown), and so is the cost
 * per new paying member (ratioDifferenceTest at 95%); a cost difference decides nothing unless significant.
 */
export function verdictOf(a: VariantResult, b: VariantResult, metTest: TwoProportionTest | null, costTest: RatioDifferenceTest | null): Verdict {
  const sample = { minMembers: MIN_MEMBERS_PER_VARIANT, membersA: a.members, membersB: b.members };
  if (a.members < MIN_MEMBERS_PER_VARIANT || b.members < MIN_MEMBERS_PER_VARIANT || !metTest) {
    return { kind: "not_enough_data", facts: sample };
  }
  const significant = metTest.pValue < SIGNIFICANCE;
  const intervalContainsZero = !(metTest.interval.low > 0 || metTest.interval.high < 0);
  const higher: Variant = metTest.difference > 0 ? "B" : "A";
  const cost = compareCost(a, b, costTest);
  const facts: TestedVerdictFacts = {
    ...sample,
    pValue: metTest.pValue,
    significant,
    intervalContainsZero,
    differencePoints: Math.abs(metTest.difference) * 100,
    higher,
    cost,
  };
  const cheaper: Variant | null = cost?.significant ? (cost.direction === "lower" ? "B" : "A") : null;
  if (!significant || intervalContainsZero) {
    // Rates alike: a significant cost difference alone names the cheaper group.
    if (cheaper === null) return { kind: "no_difference", facts };
    return { kind: cheaper === "B" ? "b_better" : "a_better", facts };
  }
  // The group with the higher completion rate costs significantly more per new buyer: say so, and name no winner.
  if (cheaper !== null && cheaper !== higher) return { kind: "mixed", facts };
  return { kind: higher === "B" ? "b_better" : "a_better", facts };
}

/**
 * A's settings: while running, the rules in force; once ended, those recorded at the end (experiments
 * ended before the record existed: the rules in force just before the end, as at the end itself a
 * promoted B is already in force).
 */
async function controlRebate(db: Db | Tx, exp: { endedAt: Date | null; controlRebate: unknown }, now: Date): Promise<RebateSettings> {
  if (exp.controlRebate) return exp.controlRebate as RebateSettings;
  return (await loadRules(db, exp.endedAt ? new Date(exp.endedAt.getTime() - 1) : now)).config.rebate;
}

/** Per-variant outcomes of an experiment, with intervals, tests and the verdict. */
export async function experimentReport(db: Db | Tx, id: number, now: Date): Promise<ExperimentReport | null> {
  const exp = await db.experiment.findUnique({ where: { id } });
  if (!exp) return null;
  const [tasks, signups, control, changes] = await Promise.all([
    db.$queryRaw<
      { variant: Variant; tasks: number; members: number; met_members: number; new_paying: number; cashback: bigint; settled_members: number; settled_new_paying: number; settled_cashback: bigint; sum_xx: number; sum_xy: number; sum_yy: number }[]
    >`
      WITH task AS (
        SELECT t.variant, t."memberId", t.status, t."cashbackFen", t.invitees, ${settledTaskSql(now)} AS settled
        FROM (SELECT t.*, (SELECT count(*) FROM "RebateAssignment" a WHERE a."taskId" = t.id AND a."removedAt" IS NULL) AS invitees
          FROM "RebateTask" t WHERE t."experimentId" = ${id}) t),
      per_member AS (
        SELECT variant, count(*) AS tasks, bool_or(status IN ('MET', 'CONFIRMED', 'PAID')) AS met,
          COALESCE(sum("cashbackFen") FILTER (WHERE status IN ('MET', 'CONFIRMED', 'PAID')), 0) AS cashback, sum(invitees) AS new_paying,
          bool_or(settled) AS settled,
          COALESCE(sum("cashbackFen") FILTER (WHERE settled AND status IN ('CONFIRMED', 'PAID')), 0) AS x,
          COALESCE(sum(invitees) FILTER (WHERE settled), 0) AS y
        FROM task GROUP BY variant, "memberId")
      SELECT variant, sum(tasks)::int AS tasks, count(*)::int AS members, count(*) FILTER (WHERE met)::int AS met_members,
        sum(new_paying)::int AS new_paying, sum(cashback)::bigint AS cashback,
        count(*) FILTER (WHERE settled)::int AS settled_members, sum(y)::int AS settled_new_paying, sum(x)::bigint AS settled_cashback,
        sum(x::float8 * x::float8) AS sum_xx, sum(x::float8 * y::float8) AS sum_xy, sum(y::float8 * y::float8) AS sum_yy
      FROM per_member GROUP BY variant`,
    // Invited: signed up under a task holder in the task's window, by the sponsor they signed up under (a later move
    // does not carry them to another group): a member moved since the experiment began (all of them since signing up,
    // when that was in a task's window) by its first move's sponsor (server/tiers/at-close.ts), any other by its own.
    db.$queryRaw<{ variant: Variant; invited: number; converted: number }[]>`
      WITH ${changesSinceSql(exp.startedAt)},
      invited AS (
        SELECT t.variant, m.id AS member_id
        FROM "RebateTask" t JOIN "Member" m ON m."sponsorId" = t."memberId" AND m."createdAt" BETWEEN t."createdAt" AND t.deadline
        WHERE t."experimentId" = ${id} AND NOT EXISTS (SELECT 1 FROM f WHERE f.id = m.id)
        UNION
        SELECT t.variant, m.id
        FROM f JOIN "RebateTask" t ON t."memberId" = f.sponsor JOIN "Member" m ON m.id = f.id AND m."createdAt" BETWEEN t."createdAt" AND t.deadline
        WHERE t."experimentId" = ${id})
      SELECT i.variant, count(*)::int AS invited,
        count(*) FILTER (WHERE EXISTS (
          SELECT 1 FROM "RebateAssignment" a JOIN "RebateTask" t ON t.id = a."taskId"
          WHERE a."inviteeId" = i.member_id AND a."removedAt" IS NULL AND t."experimentId" = ${id} AND t.variant = i.variant))::int AS converted
      FROM invited i GROUP BY i.variant`,
    controlRebate(db, exp, now),
    storedChanges(db, exp),
  ]);
  const result = (v: Variant): VariantResult => {
    const t = tasks.find((r) => r.variant === v);
    const s = signups.find((r) => r.variant === v);
    const n = t?.tasks ?? 0;
    const members = t?.members ?? 0;
    const met = t?.met_members ?? 0;
    const newPaying = t?.new_paying ?? 0;
    const cashbackFen = Number(t?.cashback ?? 0);
    const settledNewPaying = t?.settled_new_paying ?? 0;
    const settledCashbackFen = Number(t?.settled_cashback ?? 0);
    const invited = s?.invited ?? 0;
    const converted = s?.converted ?? 0;
    return {
      variant: v,
      // B: its changes over A's settings, as its tasks took them.
      rebate: v === "B" ? { ...control, ...changes } : control,
      tasks: n,
      members,
      metMembers: met,
      metRate: ratio(met, members),
      metInterval: wilson(met, members),
      newPaying,
      inviteesPerTask: ratio(newPaying, n),
      invited,
      converted,
      conversion: ratio(converted, invited),
      conversionInterval: wilson(converted, invited),
      kFactor: ratio(newPaying, members),
      cashbackFen,
      settledNewPaying,
      settledCashbackFen,
      costPerNewPayingFen: settledNewPaying > 0 ? Math.floor(settledCashbackFen / settledNewPaying) : null,
      costSums: { units: t?.settled_members ?? 0, sumX: settledCashbackFen, sumY: settledNewPaying, sumXX: t?.sum_xx ?? 0, sumXY: t?.sum_xy ?? 0, sumYY: t?.sum_yy ?? 0 },
    };
  };
  const a = result("A");
  const b = result("B");
  // Assignment is per member, so members are the independent units: a member's several tasks count once.
  const metTest = twoProportionTest(a.metMembers, a.members, b.metMembers, b.members);
  const conversionTest = twoProportionTest(a.converted, a.invited, b.converted, b.invited);
  const costTest = ratioDifferenceTest(a.costSums, b.costSums);
  return {
    id: exp.id,
    name: exp.name,
    hypothesis: exp.hypothesis,
    status: exp.status,
    variantPercent: exp.variantPercent,
    startedAt: exp.startedAt,
    endedAt: exp.endedAt,
    winner: exp.winner,
    promotedVersion: exp.promotedVersion,
    variants: [a, b],
    metTest,
    conversionTest,
    costTest,
    costChange: compareCost(a, b, costTest)?.change ?? null,
    verdict: verdictOf(a, b, metTest, costTest),
  };
}

/** Every experiment, newest first. */
export async function listExperiments(db: Db | Tx) {
  return db.experiment.findMany({
    orderBy: { id: "desc" },
    select: { id: true, name: true, status: true, variantPercent: true, startedAt: true, endedAt: true, winner: true, promotedVersion: true },
  });
}
