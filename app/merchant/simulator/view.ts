// The simulator page's display rules: which run is shown (its address, to bookmark or share), how the
// run list pages, how rule set A is named, and which categories B's rates per level do not reach.
import { formatBps, formatFenGrouped, formatYuanGrouped } from "@/components/money";
import type { MessageKey, Translator, Vars } from "@/lib/i18n/core";
import { tierLabel } from "@/lib/i18n/labels";

export const SIMULATOR_PATH = "/merchant/simulator";
const INT4_MAX = 2_147_483_647;

/** The run named by the page's `?run=` (a run id), else null (the page then shows the newest run). */
export function runParam(raw: string | string[] | null | undefined): number | null {
  const s = Array.isArray(raw) ? raw[0] : raw;
  if (!s || !/^[1-9]\d{0,9}$/.test(s)) return null;
  const id = Number(s);
  return id <= INT4_MAX ? id : null;
}

/** The page's address showing run `id`. */
export function runHref(id: number | null): string {
  return id === null ? SIMULATOR_PATH : `${SIMULATOR_PATH}?run=${id}`;
}

/** The run shown: the one the address names (even one on a page not loaded yet), else the newest. */
export function shownRun(fromUrl: number | null, runs: readonly { id: number }[]): number | null {
  return fromUrl ?? runs[0]?.id ?? null;
}

/** The run list's infinite-query options, the same on the server (prefetch) and in the browser. */
export const runPages = {
  initialCursor: null,
  getNextPageParam: (last: { nextCursor: number | null }) => last.nextCursor,
};

/** Rule set i's column heading (message key and values): A by the rule version it ran on, when known. */
export function ruleSetHeading(index: number, ruleVersion: number | null): [key: MessageKey, vars?: Vars] {
  if (index > 0) return ["sim.col.b"];
  return ruleVersion === null ? ["sim.col.a"] : ["sim.col.aVersion", { v: ruleVersion }];
}

/**
 * The categories with rates of their own (config.commission.categoryRatesBps), named and with those
 * rates: B's rates per level do not apply to them. In the shop's category order, unknown codes last.
 */
export function ownRateCategories(categoryRatesBps: Readonly<Record<string, readonly number[]>>, categories: readonly { slug: string; name: string }[]) {
  const order = new Map(categories.map((c, i) => [c.slug, i]));
  const rank = (slug: string) => order.get(slug) ?? order.size;
  return Object.entries(categoryRatesBps)
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([slug, rates]) => ({ slug, name: categories.find((c) => c.slug === slug)?.name ?? slug, rates: rates.map(formatBps).join(" / ") }));
}

/**
 * The cash-flow chart's points: one per day from the first day any rule set has (rows are contiguous days), named by
 * their number in the simulation (its calendar is a fixed year, not the merchant's); a rule set missing a day keeps its
 * liability and paid nothing that day. The replay's last instant is the horizon's exclusive end (00:00 after its last
 * day): what falls due then is written on the next date, so a 30-day run can have 31 dates. Given the horizon, a date
 * past it is the close (null), not a 31st day.
 */
export function cashFlowPoints(sets: readonly { cashFlow: readonly { date: string; liabilityFen: number; paidFen: number }[] }[], horizonDays?: number) {
  const dates = [...new Set(sets.flatMap((s) => s.cashFlow.map((d) => d.date)))].sort();
  return {
    days: dates.map((_, i) => (horizonDays !== undefined && i >= horizonDays ? null : i + 1)),
    sets: sets.map((s) => {
      const by = new Map(s.cashFlow.map((d) => [d.date, d]));
      let last = 0;
      return { owedFen: dates.map((d) => (last = by.get(d)?.liabilityFen ?? last)), paidFen: dates.map((d) => by.get(d)?.paidFen ?? 0) };
    }),
  };
}

/** A cash-flow point's name on the chart's axis: 第n天, or the close of the horizon. */
export function cashFlowDayLabel(t: Translator, day: number | null): string {
  return day === null ? t("sim.dayClose") : t("sim.day", { n: day });
}

/**
 * An earnings band of server/simulator/bands (fen, [lower, upper)) as the merchant reads it: the upper bound is
 * excluded, so [1, 1000) is ¥0.01–9.99 and the next band starts at ¥10.00; no two bands share an edge.
 */
export function earningBandLabel([lo, hi]: readonly [number, number | null]): string {
  return hi === null ? `${formatYuanGrouped(lo)}+` : `${formatYuanGrouped(lo)}–${formatFenGrouped(hi - 1)}`;
}

/** The earnings distribution's cell: each band (after "nothing", shown on its own row) with its members, in the reader's punctuation. */
export function earningsText(t: Translator, bands: readonly (readonly [number, number | null])[], members: readonly number[]): string {
  return bands
    .slice(1)
    .map((band, i) => `${earningBandLabel(band)}${t("input.colon")}${members[i + 1] ?? 0}`)
    .join(t("input.separator"));
}

/**
 * Members per tier by the tiers' display names (lib/i18n tierLabel: the message for a known code, else the name the
 * rules give it), in the rules' tier order, then codes the rules do not name; in the reader's list punctuation.
 */
export function tiersText(t: Translator, counts: Readonly<Record<string, number>>, tiers: readonly { name: string; label?: string }[]): string {
  const order = new Map(tiers.map((x, i) => [x.name, i]));
  const rank = (code: string) => order.get(code) ?? order.size;
  return Object.entries(counts)
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, n]) => `${tierLabel(t, code, tiers.find((x) => x.name === code)?.label ?? code)} ${n}`)
    .join(t("input.list"));
}

/** The form's category shares add up to this (%); the replay takes them in proportion, so a total other than 100 is said. */
export function weightTotal(categories: readonly { weight: number }[]): number {
  return Math.round(categories.reduce((s, c) => s + (Number.isFinite(c.weight) ? c.weight : 0), 0) * 100) / 100;
}

/** What the form says of the run it queued: its state (a run not listed yet was queued a moment ago), and whether its bar only moves. */
export function queuedRunState(queuedId: number | null, runs: readonly { id: number; status: string; progress: number }[]) {
  if (queuedId === null) return null;
  const run = runs.find((r) => r.id === queuedId);
  const status = run?.status ?? "QUEUED";
  const progress = run?.progress ?? 0;
  return { id: queuedId, status, progress, waiting: (status === "QUEUED" || status === "RUNNING") && progress === 0 };
}
