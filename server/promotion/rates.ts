// What the promotion centre may promise about commission rates (SPEC §4): the rates the engine would pay this member
// now (server/commission createCommissionsForPaidOrder), so the one line under 佣金明细 is never more than the truth.
import type { MallConfig } from "../config/schema";
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
}

export function commissionRateOffer(config: MallConfig, member: { tier: string; qualifiedDirects: number }): CommissionRateOffer {
  const c = config.commission;
  const bonus = tierConfig(config, member.tier)?.benefits?.commissionBonusBps ?? 0;
  const sets = [c.ratesBps, ...Object.values(c.categoryRatesBps)];
  const ratesBps = [0, 1, 2].map((level) => Math.max(...sets.map((r) => levelRateBps(r[level] ?? 0, bonus))));
  // Rates descend by level (L1 ≥ L2 ≥ L3 in every set), so a 0 level has only 0 levels after it.
  const paid = ratesBps.filter((r) => r > 0);
  const byCategory = Object.values(c.categoryRatesBps).some((r) => r.some((bps, i) => bps !== c.ratesBps[i]));
  const locked = c.unlockDeepLevelsAtDirects > 0 && member.qualifiedDirects < c.unlockDeepLevelsAtDirects && paid.length > 1;
  return { ratesBps: paid, byCategory, tree: c.tree, deepLevelsNeedDirects: locked ? c.unlockDeepLevelsAtDirects : null };
}
