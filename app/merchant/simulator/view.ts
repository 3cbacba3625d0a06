// The simulator page's display rules: which run is shown (its address, to bookmark or share), how the
// run list pages, how rule set A is named, and which categories B's rates per level do not reach.
import { formatBps } from "@/components/money";
import type { MessageKey, Vars } from "@/lib/i18n/core";

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
 * liability and paid nothing that day.
 */
export function cashFlowPoints(sets: readonly { cashFlow: readonly { date: string; liabilityFen: number; paidFen: number }[] }[]) {
  const dates = [...new Set(sets.flatMap((s) => s.cashFlow.map((d) => d.date)))].sort();
  return {
    days: dates.map((_, i) => i + 1),
    sets: sets.map((s) => {
      const by = new Map(s.cashFlow.map((d) => [d.date, d]));
      let last = 0;
      return { owedFen: dates.map((d) => (last = by.get(d)?.liabilityFen ?? last)), paidFen: dates.map((d) => by.get(d)?.paidFen ?? 0) };
    }),
  };
}
