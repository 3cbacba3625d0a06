// What the promotion centre may promise about commission rates (SPEC §4): the rates the engine would pay this member
// now (server/commission createCommissionsForPaidOrder), so the one line under 佣金明细 is never more than the truth.
import type { MallConfig } from "../config/schema";
import type { Db, Tx } from "../db";
import { levelRateBps } from "../commission";
import { tierConfig } from "../tiers";

export interface CommissionRateOffer {
  /** Per level 1..3, the highest rate over the default and every category's rates, the member's tier bonus included; trailing 0 levels dropped. */
  ratesBps: number[];
  /** Some category pays other rates than the default: the figures are maxima (最高…，不同品类比例不同). */
  byCategory: boolean;
  /** `matrix`: level 1 is the matrix seat above the buyer, not necessarily the one who invited them. */
  tree: MallConfig["commission"]["tree"];
  /** Qualified directs needed before levels 2 and 3 pay, when this member has fewer; else null. */
  deepLevelsNeedDirects: number | null;
  /** While levels 2 and 3 are locked: how many more qualified directs unlock them (还差 X 位). */
  deepLevelsMissingDirects?: number;
}

/** The categories with a product on the shelf: the only ones whose override a friend's purchase can earn now. */
export async function categoriesOnSale(db: Db | Tx): Promise<Set<string>> {
  const rows = await db.product.findMany({ where: { active: true }, distinct: ["category"], select: { category: true } });
  return new Set(rows.map((r) => r.category));
}

/**
 * `onSale` (categoriesOnSale): only those categories' overrides count, so one naming no category (it pays nothing) or
 * a category with nothing to buy never raises the "最高" figure. Omitted: every override counts.
 */
export function commissionRateOffer(config: MallConfig, member: { tier: string; qualifiedDirects: number }, onSale?: ReadonlySet<string>): CommissionRateOffer {
  const c = config.commission;
  const bonus = tierConfig(config, member.tier)?.benefits?.commissionBonusBps ?? 0;
  const overrides = Object.entries(c.categoryRatesBps).filter(([slug]) => onSale?.has(slug) ?? true).map(([, rates]) => rates);
  const sets = [c.ratesBps, ...overrides];
  const ratesBps = [0, 1, 2].map((level) => Math.max(...sets.map((r) => levelRateBps(r[level] ?? 0, bonus))));
  // Rates descend by level (L1 ≥ L2 ≥ L3 in every set), so a 0 level has only 0 levels after it.
  const paid = ratesBps.filter((r) => r > 0);
  const byCategory = overrides.some((r) => r.some((bps, i) => bps !== c.ratesBps[i]));
  const locked = c.unlockDeepLevelsAtDirects > 0 && member.qualifiedDirects < c.unlockDeepLevelsAtDirects && paid.length > 1;
  return {
    ratesBps: paid,
    byCategory,
    tree: c.tree,
    deepLevelsNeedDirects: locked ? c.unlockDeepLevelsAtDirects : null,
    ...(locked ? { deepLevelsMissingDirects: c.unlockDeepLevelsAtDirects - member.qualifiedDirects } : {}),
  };
}
