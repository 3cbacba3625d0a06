// A/B campaign experiments (issue 11). While an experiment runs, each new anchor order's buyer is
// given variant A (the 推三返一 rules in force) or B (the experiment's settings), deterministically by
// member; the task records its experiment and variant and then follows SPEC §5 with those settings.
// Ending an experiment with B as the winner saves B's settings as a new rule version; either way the
// experiment records A's settings as they were at its end, for its report.
import { createHash, randomBytes } from "node:crypto";
import { Prisma, type Db, type Tx } from "../db";
import { DomainError, inTx, loadRules, refuse, type Ctx } from "../context";
import { audit, staffActor, type StaffActor } from "../audit";
import type { MallConfig } from "../config/schema";
import { checkRuleSet, lockRules, saveRuleVersion, type RuleIssue } from "../rules";
import { MAX_HYPOTHESIS_CHARS, MAX_NAME_CHARS, MAX_VARIANT_PERCENT, MIN_VARIANT_PERCENT } from "./limits";
import { twoProportionTest, wilson, type Interval, type TwoProportionTest } from "./stats";

export type Variant = "A" | "B";
export type RebateSettings = MallConfig["rebate"];

export { MAX_HYPOTHESIS_CHARS, MAX_NAME_CHARS } from "./limits";
/** Fewer tasks than this in either group: the page says there is not enough data yet. */
export const MIN_TASKS_PER_VARIANT = 30;
const SIGNIFICANCE = 0.05;

/** Variant of a member: a stable hash of (experiment salt, member) into 100 buckets; the first `variantPercent` are B. */
export function variantFor(salt: string, memberId: number, variantPercent: number): Variant {
  const bucket = createHash("sha256").update(`${salt}:${memberId}`).digest().readUInt32BE(0) % 100;
  return bucket < variantPercent ? "B" : "A";
}

/** The experiment running at an instant (at most one runs), as read by runningExperimentSql. */
export interface RunningExperiment {
  id: number;
  salt: string;
  variantPercent: number;
  variantRebate: unknown;
}

/** The experiment running at `at` as one JSON value (null when none), for a statement that reads it with other things. */
export function runningExperimentSql(at: Date): Prisma.Sql {
  return Prisma.sql`(SELECT json_build_object('id', id, 'salt', salt, 'variantPercent', "variantPercent", 'variantRebate', "variantRebate")
    FROM "Experiment" WHERE status = 'RUNNING' AND "startedAt" <= ${at} LIMIT 1)`;
}

/** The experiment running at `at`, or null: for a reader outside the payment statement (the product page). */
export async function runningExperiment(db: Db | Tx, at: Date): Promise<RunningExperiment | null> {
  const [row] = await db.$queryRaw<{ experiment: RunningExperiment | null }[]>`SELECT ${runningExperimentSql(at)} AS experiment`;
  return row?.experiment ?? null;
}

/** The rebate settings a new anchor order of `memberId` follows, and the arm of the running experiment it belongs to. */
export function rebateArm(ctx: Pick<Ctx, "config">, memberId: number, running: RunningExperiment | null): { rebate: RebateSettings; experimentId: number | null; variant: Variant | null } {
  if (!running) return { rebate: ctx.config.rebate, experimentId: null, variant: null };
  const variant = variantFor(running.salt, memberId, running.variantPercent);
  return { rebate: variant === "B" ? (running.variantRebate as RebateSettings) : ctx.config.rebate, experimentId: running.id, variant };
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
  /** B's 推三返一 settings: any of config.rebate's keys; the rest are the rules in force. */
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
  const current = ctx.config;
  if (!current.rebate.enabled) issues.push({ path: "rebate", message: "推三返一未启用，无法做实验" });
  const checked = checkRuleSet({ ...current, rebate: { ...current.rebate, ...input.variantRebate } });
  if (!checked.ok) issues.push(...checked.issues);
  else if (JSON.stringify(checked.config.rebate) === JSON.stringify(current.rebate)) issues.push({ path: "rebate", message: "B 组规则与现行规则相同" });
  if (issues.length > 0 || !checked.ok) throw new ExperimentRefused(issues);

  // The rule savers' lock also serialises experiment starts and ends (promotion saves a version).
  await lockRules(ctx);
  if (await ctx.tx.experiment.findFirst({ where: { status: "RUNNING" }, select: { id: true } })) {
    refuse("EXPERIMENT_RUNNING", "已有实验在进行中：请先结束它");
  }
  const created = await ctx.tx.experiment.create({
    data: {
      name,
      hypothesis,
      variantPercent: input.variantPercent,
      salt: randomBytes(8).toString("hex"),
      variantRebate: checked.config.rebate as object,
      createdByStaffId: author.staffId,
      startedAt: ctx.now,
    },
  });
  await audit(ctx.tx, {
    actor: staffActor(author),
    action: "experiment.started",
    target: `experiment:${created.id}`,
    before: { rebate: current.rebate },
    after: { rebate: checked.config.rebate, variantPercent: created.variantPercent },
    data: { name, hypothesis },
    requestId: author.requestId ?? null,
    now: ctx.now,
  });
  return { id: created.id };
}

/** Ends the experiment; B as the winner becomes a new rule version (effective now) with B's settings. */
export async function endExperiment(ctx: Ctx, author: StaffActor, input: { id: number; winner: Variant; reason: string }) {
  const reason = input.reason.trim();
  if (!reason) throw new ExperimentRefused([{ path: "reason", message: "请填写结束原因" }]);
  await lockRules(ctx);
  const exp = await ctx.tx.experiment.findUnique({ where: { id: input.id } });
  if (!exp) refuse("NOT_FOUND", "实验不存在");
  if (exp.status !== "RUNNING") refuse("EXPERIMENT_ENDED", "实验已结束");
  let promotedVersion: number | null = null;
  if (input.winner === "B") {
    // Only what B changed from the rules A started on: other rebate settings changed meanwhile stay as they are now.
    const startedOn = (await loadRules(ctx.tx, exp.startedAt)).config.rebate as Record<string, unknown>;
    const bChanged = Object.fromEntries(Object.entries(exp.variantRebate as Record<string, unknown>).filter(([k, v]) => JSON.stringify(startedOn[k]) !== JSON.stringify(v)));
    const saved = await saveRuleVersion(ctx, author, {
      config: { ...ctx.config, rebate: { ...ctx.config.rebate, ...bChanged } },
      reason: `实验「${exp.name}」结束，采用 B 组规则：${reason}`.slice(0, 200),
    });
    promotedVersion = saved.version;
  }
  await ctx.tx.experiment.update({
    where: { id: exp.id },
    // ctx.config is the rules in force when this transaction began, before the promotion: what A ran on.
    data: { status: "ENDED", endedAt: ctx.now, endedByStaffId: author.staffId, winner: input.winner, promotedVersion, controlRebate: ctx.config.rebate as object },
  });
  await audit(ctx.tx, {
    actor: staffActor(author),
    action: "experiment.ended",
    target: `experiment:${exp.id}`,
    before: { status: "RUNNING" },
    after: { status: "ENDED", winner: input.winner, promotedVersion },
    data: { reason },
    requestId: author.requestId ?? null,
    now: ctx.now,
  });
  return { id: exp.id, winner: input.winner, promotedVersion };
}

export const startExperimentTx = (db: Db, author: StaffActor, input: StartExperimentInput, now: Date) =>
  inTx(db, { now }, (ctx) => startExperiment(ctx, author, input));
export const endExperimentTx = (db: Db, author: StaffActor, input: { id: number; winner: Variant; reason: string }, now: Date) =>
  inTx(db, { now }, (ctx) => endExperiment(ctx, author, input));

export interface VariantResult {
  variant: Variant;
  rebate: RebateSettings | null;
  tasks: number;
  /** Tasks that reached MET (then CONFIRMED or PAID): the primary outcome. */
  metTasks: number;
  metRate: number | null;
  metInterval: Interval | null;
  /** Members who shared: distinct anchor buyers with a task in this group. */
  sharers: number;
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
  /** cashbackFen ÷ new paying members, in fen (rounded down). */
  costPerNewPayingFen: number | null;
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
  metTest: TwoProportionTest | null;
  conversionTest: TwoProportionTest | null;
  /** B's cost per new paying member relative to A's, as shown (−0.12 = 12% less); null without both or when A's is 0. */
  costChange: number | null;
  verdict: Verdict;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/**
 * not_enough_data: fewer than MIN_TASKS_PER_VARIANT tasks in a group; no_difference: the completion
 * rates do not differ at 95%; b_better / a_better: they do, and the group with the higher rate does not
 * cost more per new paying member; mixed: they do, but that group costs more per new paying member.
 */
export type VerdictKind = "not_enough_data" | "no_difference" | "b_better" | "a_better" | "mixed";

/** B's cost per new paying member against A's, compared on the figures the page shows (whole fen). */
export interface CostComparison {
  direction: "lower" | "same" | "higher";
  /** B ÷ A − 1; null when A's cost is 0. */
  change: number | null;
}

/** What every verdict states: the tasks each group needs before anything is tested, and each group's. */
export interface VerdictTasks {
  minTasks: number;
  tasksA: number;
  tasksB: number;
}

/** The facts of a verdict on tested completion rates (every kind but not_enough_data). */
export interface TestedVerdictFacts extends VerdictTasks {
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
  /** B's cost per new paying member against A's; null when a group has no new paying member yet. */
  cost: CostComparison | null;
}

/** The verdict as plain data (serialisable over tRPC); its words come from verdictText. */
export type Verdict =
  | { kind: "not_enough_data"; facts: VerdictTasks }
  | { kind: Exclude<VerdictKind, "not_enough_data">; facts: TestedVerdictFacts };

/** null when either group has no new paying member yet (no cost figure to compare). */
export function compareCost(a: VariantResult, b: VariantResult): CostComparison | null {
  const costA = a.costPerNewPayingFen;
  const costB = b.costPerNewPayingFen;
  if (costA === null || costB === null) return null;
  if (costA === costB) return { direction: "same", change: costA === 0 ? null : 0 };
  if (costA === 0) return { direction: "higher", change: null };
  const change = costB / costA - 1;
  return { direction: change < 0 ? "lower" : "higher", change };
}

/**
 * The verdict's kind and the facts its words need (server/experiments/verdict-text.ts words them in the
 * viewer's language). Only the task completion rate is tested (two-proportion test at 95%, and its
 * interval must exclude 0 too, so the verdict never contradicts the interval shown); the cost per new
 * paying member is stated in the direction its figures show, and a group is named better only when it
 * does not cost more per new buyer (otherwise "mixed": no winner is named).
 */
export function verdictOf(a: VariantResult, b: VariantResult, metTest: TwoProportionTest | null): Verdict {
  const tasks = { minTasks: MIN_TASKS_PER_VARIANT, tasksA: a.tasks, tasksB: b.tasks };
  if (a.tasks < MIN_TASKS_PER_VARIANT || b.tasks < MIN_TASKS_PER_VARIANT || !metTest) {
    return { kind: "not_enough_data", facts: tasks };
  }
  const significant = metTest.pValue < SIGNIFICANCE;
  const intervalContainsZero = !(metTest.interval.low > 0 || metTest.interval.high < 0);
  const higher: Variant = metTest.difference > 0 ? "B" : "A";
  const cost = compareCost(a, b);
  const facts: TestedVerdictFacts = {
    ...tasks,
    pValue: metTest.pValue,
    significant,
    intervalContainsZero,
    differencePoints: Math.abs(metTest.difference) * 100,
    higher,
    cost,
  };
  if (!significant || intervalContainsZero) return { kind: "no_difference", facts };
  // The group with the higher completion rate costs more per new buyer: say so, and name no winner.
  if (cost && cost.direction === (higher === "B" ? "higher" : "lower")) return { kind: "mixed", facts };
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
  const [tasks, signups, control] = await Promise.all([
    db.$queryRaw<{ variant: Variant; tasks: number; met: number; sharers: number; new_paying: number; cashback: bigint | null }[]>`
      SELECT t.variant, count(*)::int AS tasks,
        count(*) FILTER (WHERE t.status IN ('MET', 'CONFIRMED', 'PAID'))::int AS met,
        count(DISTINCT t."memberId")::int AS sharers,
        COALESCE(sum((SELECT count(*) FROM "RebateAssignment" a WHERE a."taskId" = t.id AND a."removedAt" IS NULL)), 0)::int AS new_paying,
        sum(t."cashbackFen") FILTER (WHERE t.status IN ('MET', 'CONFIRMED', 'PAID')) AS cashback
      FROM "RebateTask" t WHERE t."experimentId" = ${id} GROUP BY t.variant`,
    db.$queryRaw<{ variant: Variant; invited: number; converted: number }[]>`
      WITH invited AS (
        SELECT DISTINCT t.variant, m.id AS member_id
        FROM "RebateTask" t JOIN "Member" m ON m."sponsorId" = t."memberId" AND m."createdAt" BETWEEN t."createdAt" AND t.deadline
        WHERE t."experimentId" = ${id})
      SELECT i.variant, count(*)::int AS invited,
        count(*) FILTER (WHERE EXISTS (
          SELECT 1 FROM "RebateAssignment" a JOIN "RebateTask" t ON t.id = a."taskId"
          WHERE a."inviteeId" = i.member_id AND a."removedAt" IS NULL AND t."experimentId" = ${id} AND t.variant = i.variant))::int AS converted
      FROM invited i GROUP BY i.variant`,
    controlRebate(db, exp, now),
  ]);
  const result = (v: Variant): VariantResult => {
    const t = tasks.find((r) => r.variant === v);
    const s = signups.find((r) => r.variant === v);
    const n = t?.tasks ?? 0;
    const met = t?.met ?? 0;
    const newPaying = t?.new_paying ?? 0;
    const cashbackFen = Number(t?.cashback ?? 0);
    const invited = s?.invited ?? 0;
    const converted = s?.converted ?? 0;
    return {
      variant: v,
      rebate: v === "B" ? (exp.variantRebate as RebateSettings) : control,
      tasks: n,
      metTasks: met,
      metRate: ratio(met, n),
      metInterval: wilson(met, n),
      sharers: t?.sharers ?? 0,
      newPaying,
      inviteesPerTask: ratio(newPaying, n),
      invited,
      converted,
      conversion: ratio(converted, invited),
      conversionInterval: wilson(converted, invited),
      kFactor: ratio(newPaying, t?.sharers ?? 0),
      cashbackFen,
      costPerNewPayingFen: newPaying > 0 ? Math.floor(cashbackFen / newPaying) : null,
    };
  };
  const a = result("A");
  const b = result("B");
  const metTest = twoProportionTest(a.metTasks, a.tasks, b.metTasks, b.tasks);
  const conversionTest = twoProportionTest(a.converted, a.invited, b.converted, b.invited);
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
    costChange: compareCost(a, b)?.change ?? null,
    verdict: verdictOf(a, b, metTest),
  };
}

/** Every experiment, newest first. */
export async function listExperiments(db: Db | Tx) {
  return db.experiment.findMany({
    orderBy: { id: "desc" },
    select: { id: true, name: true, status: true, variantPercent: true, startedAt: true, endedAt: true, winner: true, promotedVersion: true },
  });
}
