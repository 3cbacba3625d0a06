// The what-if simulator's run: the generated scenario replayed through the real engine (SPEC §10
// runner, a throwaway embedded database) once per rule set, and the figures the merchant compares.
// `npm run scenario -- FILE.json --figures` on the downloaded scenario gives the same numbers (scenarioFigures).
import { fork } from "node:child_process";
import path from "node:path";
import type { Db } from "../db";
import type { MallConfig } from "../config/schema";
import { runScenario, type RunOptions, type ScenarioOutput } from "../scenario/run";
import { generateScenario, type Population } from "./population";
import { EARNING_BANDS } from "./bands";

const PAID_STATUSES = new Set(["PAID", "SHIPPED", "DELIVERED", "COMPLETED"]);

export interface OutputSummary {
  members: number;
  /** Orders paid and not refunded, and their goods amount. */
  orders: number;
  gmvFen: number;
  refundedOrders: number;
  /** Members with at least one paid, unrefunded order. */
  payingMembers: number;
  /** Commissions not voided, by level (1..3) and in all. */
  commissionsFen: number;
  commissionsByLevelFen: number[];
  /** Cashback paid or due (tasks MET, CONFIRMED, PAID). */
  cashbackFen: number;
  tasksOpened: number;
  tasksMet: number;
  /** Sum of every member's final wallet (commissions, cashback and bonuses, pending or paid). */
  walletTotalFen: number;
  tiers: Record<string, number>;
  /** Members per EARNING_BANDS band. */
  earnings: number[];
}

/** The figures of one replay, from its SPEC §10 output and the scenario replayed (who placed each order). */
export function summarizeOutput(out: ScenarioOutput, scenario: { events: readonly Record<string, unknown>[] }): OutputSummary {
  const orderUser = new Map<string, string>();
  for (const e of scenario.events) if (e.type === "order") orderUser.set(String(e.order), String(e.user));
  const payingUsers = new Set<string>();
  let orders = 0;
  let gmvFen = 0;
  let refundedOrders = 0;
  for (const [name, o] of Object.entries(out.orders)) {
    if (PAID_STATUSES.has(o.status)) {
      orders++;
      gmvFen += o.goodsFen;
      const user = orderUser.get(name);
      if (user !== undefined) payingUsers.add(user);
    } else if (o.status === "REFUNDED") refundedOrders++;
  }
  const commissionsByLevelFen = [0, 0, 0];
  for (const c of out.commissions) {
    if (c.status === "VOID" || c.status === "FORFEITED") continue;
    commissionsByLevelFen[c.level - 1] = (commissionsByLevelFen[c.level - 1] ?? 0) + c.amountFen;
  }
  const tiers: Record<string, number> = {};
  const earnings = EARNING_BANDS.map(() => 0);
  let walletTotalFen = 0;
  for (const u of Object.values(out.users)) {
    tiers[u.tier] = (tiers[u.tier] ?? 0) + 1;
    const w = u.wallet;
    const total = w.pending + w.available + w.withdrawing + w.withdrawn + w.credit;
    walletTotalFen += total;
    const band = EARNING_BANDS.findIndex(([lo, hi]) => total >= lo && (hi === null || total < hi));
    earnings[band === -1 ? 0 : band]++;
  }
  return {
    members: Object.keys(out.users).length,
    orders,
    gmvFen,
    refundedOrders,
    payingMembers: payingUsers.size,
    commissionsFen: commissionsByLevelFen.reduce((a, b) => a + b, 0),
    commissionsByLevelFen,
    cashbackFen: out.rebateTasks.reduce((s, t) => s + t.amountFen, 0),
    tasksOpened: out.rebateTasks.length,
    tasksMet: out.rebateTasks.filter((t) => t.status === "MET" || t.status === "CONFIRMED" || t.status === "PAID").length,
    walletTotalFen,
    tiers,
    earnings,
  };
}

export interface CashFlowDay {
  date: string;
  /** Rewards owed at the end of the day (members' pending balances). */
  liabilityFen: number;
  /** Rewards paid into members' available or credit balances that day. */
  paidFen: number;
}

export interface RuleSetResult extends OutputSummary {
  teamBonusFen: number;
  stepBonusFen: number;
  /** (commissions + cashback + bonuses) ÷ GMV, in basis points. */
  payoutRatioBps: number | null;
  cashFlow: CashFlowDay[];
}

const PAYOUT_KINDS = ["commission_settle", "rebate_pay", "team_bonus", "step_bonus"];

/** The merchant-local day (YYYY-MM-DD) of an instant. */
const localDay = (t: number, timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(t);

/** Every calendar day from `from` to `to` (YYYY-MM-DD, both included). */
function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += 86_400_000) days.push(new Date(d).toISOString().slice(0, 10));
  return days;
}

/**
 * Bonuses and the daily cash flow, read from the replay's ledger before its database is closed. `span`: the
 * scenario's first and last instants (null without events); every local day of it has a point, so the chart's axis
 * misses no date. The last instant is the horizon's exclusive end: its day has a point only with entries of its own.
 */
async function ledgerFigures(db: Db, timeZone: string, span: { first: number; last: number } | null) {
  // The merchant-local day in SQL: an hour truncated in UTC can fall on the day before in a +5:30 zone.
  const rows = await db.$queryRaw<{ kind: string; bucket: string; day: string; amount: bigint }[]>`
    SELECT t.kind, e.bucket, to_char(e."createdAt" AT TIME ZONE ${timeZone}, 'YYYY-MM-DD') AS day, sum(e."amountFen") AS amount
    FROM "LedgerEntry" e JOIN "LedgerTxn" t ON t.id = e."txnId"
    WHERE e."memberId" IS NOT NULL
    GROUP BY 1, 2, 3 ORDER BY 3`;
  const days = new Map<string, { pending: number; paid: number }>();
  const bounds = [...(span ? [localDay(span.first, timeZone), localDay(Math.max(span.first, span.last - 1), timeZone)] : []), ...rows.map((r) => r.day)].sort();
  if (bounds.length > 0) for (const day of daysBetween(bounds[0]!, bounds.at(-1)!)) days.set(day, { pending: 0, paid: 0 });
  let teamBonusFen = 0;
  let stepBonusFen = 0;
  for (const r of rows) {
    const amount = Number(r.amount);
    const d = days.get(r.day)!;
    if (r.bucket === "pending") d.pending += amount;
    if ((r.bucket === "available" || r.bucket === "credit") && PAYOUT_KINDS.includes(r.kind)) d.paid += amount;
    if (r.kind === "team_bonus" && r.bucket !== "pending") teamBonusFen += amount;
    if (r.kind === "step_bonus" && r.bucket !== "pending") stepBonusFen += amount;
  }
  let liability = 0;
  const cashFlow = [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([date, d]) => {
      liability += d.pending;
      return { date, liabilityFen: liability, paidFen: d.paid };
    });
  return { teamBonusFen, stepBonusFen, cashFlow };
}

export interface SimulationResult {
  /** Labelled on every page that shows it: a projection from a synthetic population, not a promise. */
  projection: true;
  events: number;
  ruleSets: RuleSetResult[];
}

/**
 * Every figure of one rule set from a scenario's replay (the scenario's output and its ledger): what a
 * simulator run shows, and what `npm run scenario -- FILE.json --figures` prints for a downloaded one.
 */
export async function scenarioFigures(
  scenario: { events: readonly Record<string, unknown>[] },
  timeZone: string,
  opts: Pick<RunOptions, "open" | "onProgress" | "simulation"> = {},
): Promise<RuleSetResult> {
  let ledger: Awaited<ReturnType<typeof ledgerFigures>> | undefined;
  // A loop, not Math.min(...times): a long scenario has more events than a call takes arguments.
  let span: { first: number; last: number } | null = null;
  for (const e of scenario.events) {
    const t = Date.parse(String(e.at));
    span = span === null ? { first: t, last: t } : { first: Math.min(span.first, t), last: Math.max(span.last, t) };
  }
  const out = await runScenario(scenario, {
    ...opts,
    inspect: async (db) => {
      ledger = await ledgerFigures(db, timeZone, span);
    },
    progressEvery: 250,
  });
  const summary = summarizeOutput(out, scenario);
  const rewards = summary.commissionsFen + summary.cashbackFen + ledger!.teamBonusFen + ledger!.stepBonusFen;
  return { ...summary, ...ledger!, payoutRatioBps: summary.gmvFen > 0 ? Math.round((rewards * 10_000) / summary.gmvFen) : null };
}

/** One rule set's replay: its scenario's events and figures; progress as (events applied, total). */
export async function simulateRuleSet(
  pop: Population,
  config: MallConfig,
  onProgress?: (done: number, total: number) => Promise<void> | void,
  open?: RunOptions["open"],
): Promise<{ events: number; result: RuleSetResult }> {
  const scenario = generateScenario(pop, config);
  return { events: scenario.events.length, result: await scenarioFigures(scenario, config.timeZone, { open, onProgress, simulation: true }) };
}

export interface ChildRequest {
  pop: Population;
  config: MallConfig;
}
export type ChildMessage =
  | { type: "progress"; done: number; total: number }
  | { type: "result"; events: number; result: RuleSetResult }
  | { type: "error"; message: string };

// Run by tsx from the checkout (cwd), not from the server bundle: the app runs from its checkout (README, Deploy).
const CHILD = path.resolve(process.cwd(), "server/simulator/child.ts");

/** One rule set replayed in a child process of its own (rule sets then run on separate cores). */
function simulateInChild(pop: Population, config: MallConfig, onProgress: (done: number, total: number) => void) {
  const child = fork(/* turbopackIgnore: true */ CHILD, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const done = new Promise<{ events: number; result: RuleSetResult }>((resolve, reject) => {
    let settled = false;
    child.on("message", (m: ChildMessage) => {
      if (m.type === "progress") onProgress(m.done, m.total);
      else if (m.type === "result") {
        settled = true;
        resolve({ events: m.events, result: m.result });
      } else {
        settled = true;
        reject(new Error(m.message));
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (!settled) reject(new Error(`simulator child exited (${signal ?? code}) before its result`));
    });
  });
  child.send({ pop, config } satisfies ChildRequest);
  return { done, kill: () => child.kill() };
}

/**
 * Replays the population's scenario once per rule set, all rule sets at once, each in a child process
 * (`open`, a test hook, replays them one after the other in this process instead). Progress goes from
 * 0 to 1 over all of them.
 */
export async function simulate(
  pop: Population,
  configs: MallConfig[],
  onProgress?: (fraction: number) => Promise<void> | void,
  open?: RunOptions["open"],
): Promise<SimulationResult> {
  const runs: { events: number; result: RuleSetResult }[] = [];
  if (open) {
    for (const [k, config] of configs.entries()) {
      runs.push(await simulateRuleSet(pop, config, onProgress ? (done, total) => onProgress((k + done / total) / configs.length) : undefined, open));
    }
  } else {
    const fractions = configs.map(() => 0);
    // Reports one at a time, in order: a slow callback (a database write) is never run twice at once.
    let reported: Promise<void> = Promise.resolve();
    let progressFailed!: (e: unknown) => void;
    // A failed report (the worker lost its claim) ends the run at once: the children are killed below.
    const stopped = new Promise<never>((_, reject) => (progressFailed = reject));
    const children = configs.map((config, k) =>
      simulateInChild(pop, config, (done, total) => {
        fractions[k] = done / total;
        const fraction = fractions.reduce((a, b) => a + b, 0) / configs.length;
        if (onProgress) (reported = reported.then(() => onProgress(fraction))).catch(progressFailed);
      }),
    );
    try {
      runs.push(...(await Promise.race([Promise.all(children.map((c) => c.done)), stopped])));
    } finally {
      for (const c of children) c.kill();
    }
    await reported;
  }
  await onProgress?.(1);
  return { projection: true, events: runs.at(-1)?.events ?? 0, ruleSets: runs.map((r) => r.result) };
}
