// What a monthly bonus posting in the member page's 最近流水 was paid on (SPEC §7): its month, the base (the month's
// direct sales for 阶梯奖励, the depth 1..3 team's for 团队绩效) and the rate, as the shopper's notice says them
// ("2026-12 直推销售 ¥2,394.00，按 8% 发放阶梯奖励 ¥191.52"). The ledger key names the member and month
// (`step_bonus:<member>:<month>`, a top-up `…:sales:<new sales>` / `team_bonus:…:base:<new base>`, server/bonus).
import type { Db } from "../db";
import { loadConfig } from "../context";
import { zonedMidnight } from "../clock/time";

export interface BonusBasis {
  kind: "step_bonus" | "team_bonus";
  /** "2026-12", merchant calendar. */
  month: string;
  /** The sales (step) or team base (team) this posting was paid on; null when no longer known (an original since topped up). */
  baseFen: number | null;
  /** The rate in basis points; null when not known. */
  bps: number | null;
  /** A late completion's top-up: the difference up to the bonus the month's new base earns. */
  topUp: boolean;
  /** The month's whole bonus now (StepBonus / TeamBonus row), when other postings (top-ups) make it differ from this one's. */
  totalFen: number | null;
}

const KEY_RE = /^(step_bonus|team_bonus):(\d+):(\d{4}-\d{2})(?::(?:sales|base):(\d+))?$/;

/** The 1st 00:00 (merchant time) after `month`: the month's close, at which the team bonus's rate was taken. */
function monthClose(month: string, tz: string): Date {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return zonedMidnight(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1, tz);
}

/** For each bonus posting among `entries` (by entry id), what it was paid on. Two reads of the bonus rows whatever their number. */
export async function bonusBases(db: Db, timeZone: string, memberId: number, entries: { id: number; kind: string; key: string; amountFen: number }[]): Promise<Map<number, BonusBasis>> {
  const parsed = entries.flatMap((e) => {
    const m = KEY_RE.exec(e.key);
    if (!m || (e.kind !== "step_bonus" && e.kind !== "team_bonus") || Number(m[2]) !== memberId) return [];
    return [{ id: e.id, kind: m[1] as BonusBasis["kind"], month: m[3]!, topUpBase: m[4] === undefined ? null : Number(m[4]), amountFen: e.amountFen }];
  });
  const out = new Map<number, BonusBasis>();
  if (parsed.length === 0) return out;
  const months = (kind: BonusBasis["kind"]) => [...new Set(parsed.filter((p) => p.kind === kind).map((p) => p.month))];
  const [steps, teams] = await Promise.all([
    months("step_bonus").length ? db.stepBonus.findMany({ where: { memberId, month: { in: months("step_bonus") } } }) : [],
    months("team_bonus").length ? db.teamBonus.findMany({ where: { memberId, month: { in: months("team_bonus") } } }) : [],
  ]);
  const stepOf = new Map(steps.map((s) => [s.month, s]));
  const teamOf = new Map(teams.map((s) => [s.month, s]));
  // The team bonus row keeps no rate: the month was paid (and topped up) at the rules in force at its close.
  const teamRate = new Map<string, number>();
  await Promise.all(months("team_bonus").map(async (month) => teamRate.set(month, (await loadConfig(db, monthClose(month, timeZone))).teamBonusBps)));
  for (const p of parsed) {
    const row = p.kind === "step_bonus" ? stepOf.get(p.month) : teamOf.get(p.month);
    const rowBase = row ? Number(p.kind === "step_bonus" ? (row as { salesFen: bigint }).salesFen : (row as { baseFen: bigint }).baseFen) : null;
    const rowBps = p.kind === "step_bonus" ? ((row as { bps: number } | undefined)?.bps ?? null) : (teamRate.get(p.month) ?? null);
    // The row holds the month's latest base and rate: this posting's own when it is the top-up to that base, or the
    // original never topped up (its amount is still the month's whole bonus).
    const latest = row !== undefined && (p.topUpBase !== null ? p.topUpBase === rowBase : p.amountFen === row.amountFen);
    out.set(p.id, {
      kind: p.kind,
      month: p.month,
      baseFen: p.topUpBase ?? (latest ? rowBase : null),
      // A team rate is the month's whatever the base; a step rate is the bracket of the base, known for the latest only.
      bps: p.kind === "team_bonus" ? rowBps : latest ? rowBps : null,
      topUp: p.topUpBase !== null,
      totalFen: row && row.amountFen !== p.amountFen ? row.amountFen : null,
    });
  }
  return out;
}
