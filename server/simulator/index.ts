// The what-if simulator's runs (issue 11): queued by staff, performed in the background (in-process
// scheduler and the Inngest sweep), one at a time, with progress; results kept to be reopened.
import type { Db, Prisma, Tx } from "../db";
import { DomainError, inTx, loadRules, refuse, type Ctx } from "../context";
import { audit, staffActor, type StaffActor } from "../audit";
import { parseConfig, type MallConfig } from "../config/schema";
import { checkRuleSet, type RuleIssue } from "../rules";
import { issueDetail } from "@/lib/i18n/issue-rule";
import { sameRules } from "../rules/rebase";
import { generateScenario, newPopulationSchema, populationSchema, type Population } from "./population";
import { simulate, type SimulationResult } from "./run";
import { ABANDONED_ERROR, assertHeld, claimJob, ClaimLost, clockFrom, heldBy, type JobClaim } from "../jobs/claim";
import { MAX_NAME_CHARS } from "./limits";
import { applyChanges, ruleSetBSameAsA, type RuleSetChanges } from "./compare";

export { DEFAULT_POPULATION, MAX_EVENTS, MAX_MEMBERS, populationSchema, type Population } from "./population";
export { summarizeOutput, type SimulationResult } from "./run";
export { EARNING_BANDS } from "./bands";
export { applyChanges, ruleSetBSameAsA, type RuleSetChanges } from "./compare";

/**
 * A RUNNING run whose heartbeat (startedAt, refreshed with its progress) is this old has lost its
 * process and is taken again. A live run writes progress every 0.1% of its events, seconds apart.
 */
export const STALE_MS = 10 * 60_000;
/** A live run's progress is written at least this often, even when the per-mille has not moved. */
const HEARTBEAT_MS = 60_000;
const MAX_ATTEMPTS = 2;
export { MAX_NAME_CHARS } from "./limits";

/**
 * Runs queued or running at once, per member of staff and in all: runs are performed one at a time and each replays
 * its population in child processes for minutes on a 2-core machine. Two per person let one wait behind the one
 * running (a run already compares A and B); more only lengthens everyone's wait, so a double click or a script is refused.
 */
export const MAX_OPEN_RUNS_PER_STAFF = 2;
export const MAX_OPEN_RUNS = 4;


class SimulationRefused extends DomainError {
  constructor(issues: RuleIssue[]) {
    super("SIMULATION_REFUSED", `模拟未开始：${issues.map((i) => `${i.path}：${i.message}`).join("；")}`, issues);
  }
}

/** Queues a run on the rules in force (A) and, when `changes` is given, an edited copy (B) through the compliance guard. */
export async function queueSimulation(ctx: Ctx, actor: StaffActor, input: { name: string; population: unknown; changes?: RuleSetChanges | null }) {
  const issues: RuleIssue[] = [];
  const name = input.name.trim();
  if (!name) issues.push({ path: "name", message: "请填写名称" });
  if (Array.from(name).length > MAX_NAME_CHARS) issues.push({ path: "name", message: `名称最多 ${MAX_NAME_CHARS} 字` });
  const pop = newPopulationSchema.safeParse(input.population);
  if (!pop.success) issues.push(...pop.error.issues.map((i) => ({ path: ["population", ...i.path].join("."), message: i.message, detail: issueDetail(i) })));
  const configs: MallConfig[] = [ctx.config];
  if (input.changes && Object.keys(input.changes).length > 0) {
    const b = checkRuleSet(applyChanges(ctx.config, input.changes));
    if (!b.ok) issues.push(...b.issues);
    else configs.push(b.config);
  }
  if (issues.length > 0) throw new SimulationRefused(issues);
  // Counted under one lock: two requests at once count in turn, so both cannot pass the caps.
  await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('SimulationRunQueue'))`;
  const open = await ctx.tx.simulationRun.groupBy({ by: ["staffId"], where: { status: { in: ["QUEUED", "RUNNING"] } }, _count: { _all: true } });
  const mine = open.find((g) => g.staffId === actor.staffId)?._count._all ?? 0;
  if (mine >= MAX_OPEN_RUNS_PER_STAFF) refuse("TOO_MANY_SIMULATIONS", `进行中的模拟已达上限（每人 ${MAX_OPEN_RUNS_PER_STAFF} 个），请等已有模拟完成后再试`);
  if (open.reduce((n, g) => n + g._count._all, 0) >= MAX_OPEN_RUNS) refuse("SIMULATOR_BUSY", "模拟队列已满，请等其他模拟完成后再试");
  const run = await ctx.tx.simulationRun.create({
    data: { staffId: actor.staffId, name, population: pop.data as object, configs: configs as object[], createdAt: ctx.now },
  });
  await audit(ctx.tx, { actor: staffActor(actor), action: "simulation.queued", target: `simulation:${run.id}`, after: { population: pop.data, ruleSets: configs.length }, requestId: actor.requestId ?? null, now: ctx.now });
  return { id: run.id };
}

export const queueSimulationTx = (db: Db, actor: StaffActor, input: Parameters<typeof queueSimulation>[2], now: Date) =>
  inTx(db, { now }, (ctx) => queueSimulation(ctx, actor, input));

const configsOf = (raw: unknown): MallConfig[] => (raw as unknown[]).map((c) => parseConfig(c));

/** Performs one claimed run; throws ClaimLost once another worker has the run. */
async function perform(db: Db, claim: JobClaim, clock: () => Date): Promise<void> {
  const run = await db.simulationRun.findUniqueOrThrow({ where: { id: claim.id } });
  const write = async (data: Prisma.SimulationRunUpdateManyMutationInput) => assertHeld("SimulationRun", claim, await db.simulationRun.updateMany({ where: heldBy(claim), data }));
  try {
    const pop = populationSchema.parse(run.population);
    let last = 0;
    let beat = Date.now();
    const result = await simulate(pop, configsOf(run.configs), async (fraction) => {
      const progress = Math.min(999, Math.floor(fraction * 1000));
      if (progress > last || Date.now() - beat >= HEARTBEAT_MS) {
        last = Math.max(last, progress);
        beat = Date.now();
        // startedAt doubles as the heartbeat: claimJob takes a run back only after STALE_MS without progress.
        await write({ progress: last, startedAt: clock() });
      }
    });
    await write({ status: "DONE", progress: 1000, result: result as object, finishedAt: clock() });
  } catch (e) {
    if (e instanceof ClaimLost) throw e;
    const error = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : "simulation failed";
    // Fenced too: a run another worker took meanwhile is theirs to finish or fail.
    await db.simulationRun.updateMany({ where: heldBy(claim), data: { status: claim.attempt >= MAX_ATTEMPTS ? "FAILED" : "QUEUED", error } });
    console.error(`[simulator] run ${claim.id} failed (attempt ${claim.attempt})`);
  }
}

/** Performs queued runs one at a time; returns how many it took. */
export async function runQueuedSimulations(db: Db, now = new Date(), limit = 1): Promise<number> {
  // Claims and heartbeats on the caller's clock (the e2e test clock, a sweep's instant) moved on by the time spent since.
  const clock = clockFrom(now);
  let ran = 0;
  for (; ran < limit; ran++) {
    const claim = await claimJob(db, "SimulationRun", { now: clock(), staleMs: STALE_MS, maxAttempts: MAX_ATTEMPTS });
    if (claim === null) break;
    try {
      await perform(db, claim, clock);
    } catch (e) {
      if (!(e instanceof ClaimLost)) throw e;
      // This worker stalled past the stale window and another took the run: that one finishes it.
      console.error(`[simulator] run ${claim.id}: attempt ${claim.attempt} lost its claim and stopped`);
    }
  }
  return ran;
}

/** Runs listed per page; older ones are reached page by page, every run stays reachable. */
export const RUNS_PER_PAGE = 30;

/** A page of runs, newest first: those before `cursor` (the last id of the previous page); `nextCursor` null on the last page. */
export async function listSimulations(db: Db | Tx, cursor: number | null = null, take = RUNS_PER_PAGE) {
  const rows = await db.simulationRun.findMany({
    where: cursor === null ? undefined : { id: { lt: cursor } },
    orderBy: { id: "desc" },
    // One more than the page: whether an older page exists, without a count.
    take: take + 1,
    select: { id: true, name: true, status: true, progress: true, createdAt: true, finishedAt: true, error: true },
  });
  const runs = rows.slice(0, take);
  return { runs, nextCursor: rows.length > take ? runs.at(-1)!.id : null };
}

/**
 * The rule version rule set A was: the run's A is the rules in force when it was queued (loadRules at its
 * createdAt), so it is the version in force then, provided its rules are the ones stored (a version
 * committed while the run was being queued is not taken for it). null: rules from before versioning.
 */
async function versionOfA(db: Db | Tx, createdAt: Date, a: MallConfig): Promise<number | null> {
  const v = await db.ruleVersion.findFirst({
    where: { effectiveAt: { lte: createdAt } },
    orderBy: [{ effectiveAt: "desc" }, { version: "desc" }],
    select: { version: true, config: true },
  });
  return v && sameRules(parseConfig(v.config), a) ? v.version : null;
}

export async function simulationRun(db: Db | Tx, id: number) {
  const run = await db.simulationRun.findUnique({ where: { id } });
  if (!run) return null;
  const configs = configsOf(run.configs);
  return {
    id: run.id,
    name: run.name,
    status: run.status,
    progress: run.progress,
    population: populationSchema.parse(run.population),
    configs,
    /** B was queued with A's very settings: the page says its figures only repeat A's. */
    bSameAsA: configs.length > 1 && ruleSetBSameAsA(configs[0], configs[1]),
    ruleVersion: await versionOfA(db, run.createdAt, configs[0]!),
    result: (run.result as SimulationResult | null) ?? null,
    error: run.status !== "FAILED" ? null : run.error === ABANDONED_ERROR ? "模拟多次中断未能完成，请减少会员数、天数或复购次数后重试" : "模拟失败，请重试",
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
  };
}

/** The scenario of rule set `index` of a run (regenerated from the stored seed), for `npm run scenario`. */
export async function simulationScenario(db: Db | Tx, id: number, index: number) {
  const run = await db.simulationRun.findUnique({ where: { id }, select: { population: true, configs: true } });
  if (!run) return null;
  const config = configsOf(run.configs)[index];
  if (!config) refuse("NOT_FOUND", "没有这组规则");
  return generateScenario(populationSchema.parse(run.population) as Population, config);
}

/** The rules in force now, for the simulator form's rule set A. */
export async function currentRules(db: Db | Tx, now: Date) {
  return (await loadRules(db, now)).config;
}

let kicked: Promise<unknown> | null = null;

/** Starts performing queued runs in the background unless this process already is (a run takes minutes: never awaited by a sweep). */
export function kickSimulations(db: Db): void {
  if (kicked) return;
  kicked = runQueuedSimulations(db, new Date(), 5)
    .catch(() => console.error("[simulator] background run failed"))
    .finally(() => {
      kicked = null;
    });
}
