// The promotion centre's 会员等级 card (SPEC §7): the member's tier with its benefits and what the next tier still needs,
// from the counters and the gmv90 sum the tier engine itself reads (server/tiers tierMetrics), so the card never
// promises a tier the engine would not give.
import type { Db } from "../db";
import { isTeamBonusTier, type MallConfig, type TierConfig } from "../config/schema";
import { meetsTier, tierFor, tierMetrics, type TierMetrics } from "../tiers";

export interface TierBenefitsView {
  discountBps: number;
  commissionBonusBps: number;
  priorityShipping: boolean;
  /** The monthly team bonus rate this tier earns (团队绩效); 0 when it earns none. */
  teamBonusBps: number;
}

export interface TierStepView {
  name: string;
  label: string;
  benefits: TierBenefitsView;
}

export interface TierProgressView {
  current: TierStepView;
  /** The counters the tier is decided on: qualified directs, team size, gmv90 in fen. */
  metrics: TierMetrics;
  /** false: the current tier's thresholds no longer all hold (gmv90 left the window, a direct refunded, rules raised), so it may fall. */
  holds: boolean;
  /** The tier above the current one, null at the highest. */
  next: (TierStepView & {
    /** How much of each threshold is still missing (0: that one holds). */
    missing: { directs: number; team: number; gmv90Fen: number };
    /** Every threshold holds already: the tier is given at the next review (a rules change lowered one, no event of the member's since). */
    reached: boolean;
  }) | null;
}

function step(config: MallConfig, t: TierConfig): TierStepView {
  const b = t.benefits ?? {};
  return {
    name: t.name,
    label: t.label ?? t.name,
    benefits: {
      discountBps: b.discountBps ?? 0,
      commissionBonusBps: b.commissionBonusBps ?? 0,
      priorityShipping: b.priorityShipping ?? false,
      teamBonusBps: isTeamBonusTier(t) ? config.teamBonusBps : 0,
    },
  };
}

/**
 * The card for a member whose stored tier is `tierName`. A tier no longer in the rules counts as the one the counters
 * give now (tierFor), as the next review would set it.
 */
export function tierProgress(config: MallConfig, tierName: string, metrics: TierMetrics): TierProgressView {
  const stored = config.tiers.findIndex((t) => t.name === tierName);
  const at = stored >= 0 ? stored : config.tiers.indexOf(tierFor(config, metrics));
  const current = config.tiers[at];
  const above = config.tiers[at + 1];
  return {
    current: step(config, current),
    metrics,
    holds: meetsTier(current, metrics),
    next: above
      ? {
          ...step(config, above),
          missing: {
            directs: Math.max(0, (above.minDirects ?? 0) - metrics.directs),
            team: Math.max(0, (above.minTeam ?? 0) - metrics.team),
            gmv90Fen: Math.max(0, (above.minGmv90Fen ?? 0) - metrics.gmv90),
          },
          reached: meetsTier(above, metrics),
        }
      : null,
  };
}

/** The member's tier card as of `now` (gmv90 over the 90 days up to it). */
export async function myTierProgress(db: Db, config: MallConfig, memberId: number, now: Date): Promise<TierProgressView> {
  const [member, metrics] = await Promise.all([
    db.member.findUniqueOrThrow({ where: { id: memberId }, select: { tier: true } }),
    tierMetrics({ tx: db, now }, memberId),
  ]);
  return tierProgress(config, member.tier, metrics);
}
