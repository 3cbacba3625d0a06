// Compliance guard (issue 11, SPEC §4, §7) and the tier commission bonus: the engine adds a tier's bonus alike to each
// level it pays (server/commission levelRateBps), so a config the guard accepts keeps L1 ≥ L2 ≥ L3 for every tier and
// category, and no effective rate passes 100%: that is reached only through the 100% guard, refused on the rates.
import { describe, expect, it } from "vitest";
import { configSchema, ratesFor } from "../server/config/schema";
import { levelRateBps } from "../server/commission";
import { checkRuleSet } from "../server/rules";

/** The issues the guard reports for a config, as { path: message }. */
function refusals(raw: unknown): Record<string, string> {
  const r = checkRuleSet(raw);
  return r.ok ? {} : Object.fromEntries(r.issues.map((i) => [i.path, i.message]));
}

describe("tier commission bonus under the compliance guard", () => {
  it("every tier's effective rates stay L1 ≥ L2 ≥ L3, in every category; an unpaid level stays unpaid", () => {
    const raw = {
      commission: { categoryRatesBps: { digital: [300, 100, 50], gift: [1000, 500, 0] } },
      tiers: [
        { name: "member" },
        { name: "promoter", minDirects: 3, benefits: { commissionBonusBps: 300 } },
        { name: "partner", minDirects: 10, benefits: { commissionBonusBps: 500 } },
      ],
    };
    expect(checkRuleSet(raw).ok).toBe(true);
    const config = configSchema.parse(raw);
    const effective = (category: string) =>
      Object.fromEntries(config.tiers.map((t) => [t.name, ratesFor(config, category).map((r) => levelRateBps(r, t.benefits?.commissionBonusBps ?? 0))]));
    // Default rates 1000/500/200: + 300 for a promoter, + 500 for a partner at each level.
    expect(effective("tea")).toEqual({ member: [1000, 500, 200], promoter: [1300, 800, 500], partner: [1500, 1000, 700] });
    expect(effective("digital")).toEqual({ member: [300, 100, 50], promoter: [600, 400, 350], partner: [800, 600, 550] });
    // A two-level category stays two levels (the bonus is not a third one).
    expect(effective("gift")).toEqual({ member: [1000, 500, 0], promoter: [1300, 800, 0], partner: [1500, 1000, 0] });
  });

  it("an effective rate of exactly 100% is accepted; one fen of bonus beyond is refused on the rates it is added to", () => {
    const tiers = (bonus: number) => [{ name: "member", benefits: { commissionBonusBps: bonus } }];
    // One level at 95% + a 5% bonus = 100% (no partner tier: no team bonus).
    expect(checkRuleSet({ commission: { ratesBps: [9500, 0, 0] }, tiers: tiers(500) }).ok).toBe(true);
    expect(refusals({ commission: { ratesBps: [9500, 0, 0] }, tiers: tiers(501) })).toEqual({
      "commission.ratesBps": "合规红线：佣金与奖励合计不能超过成交额的 100%：各级佣金之和 95%，加每级最高等级佣金加成 5.01% × 1 级，合计 100.01%",
    });
    // Only the category it breaks: the defaults 1000 + 500 + 200 + 3 × 501 = 32.03%.
    expect(refusals({ commission: { categoryRatesBps: { tea: [9500, 0, 0] } }, tiers: tiers(501) })).toEqual({
      "commission.categoryRatesBps.tea": "合规红线：佣金与奖励合计不能超过成交额的 100%：各级佣金之和 95%，加每级最高等级佣金加成 5.01% × 1 级，合计 100.01%",
    });
  });
});
