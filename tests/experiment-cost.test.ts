// A/B experiments (issue 11): the cost per new paying member gets its own test (delta method for a ratio
// of means, members as units), and decides the verdict only when that difference is significant; an
// experiment cannot change the minimum anchor order, which picks the test's units.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Database } from "../server/db";
import { DomainError } from "../server/context";
import { saveRules } from "../server/rules";
import { DAY } from "../server/clock/time";
import { startExperimentTx, verdictOf, type VariantResult } from "../server/experiments";
import { ratioDifferenceTest, ratioVariance, twoProportionTest, type RatioSums } from "../server/experiments/stats";
import { verdictText } from "../server/experiments/verdict-text";
import { refusalIssueText } from "@/lib/i18n/labels";
import { settingName } from "@/app/merchant/rules/setting-name";
import { MESSAGES } from "@/lib/i18n/messages";
import { createT } from "@/lib/i18n/core";
import { freshDatabase } from "./helpers/db";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

/** The sums of members' (cashback fen, new paying members). */
function sumsOf(units: [x: number, y: number][]): RatioSums {
  const sum = (f: (u: [number, number]) => number) => units.reduce((s, u) => s + f(u), 0);
  return { units: units.length, sumX: sum(([x]) => x), sumY: sum(([, y]) => y), sumXX: sum(([x]) => x * x), sumXY: sum(([x, y]) => x * y), sumYY: sum(([, y]) => y * y) };
}
/** `count` copies of one member's (x, y). */
const times = (count: number, unit: [number, number]): [number, number][] => Array.from({ length: count }, () => unit);

/** A group as experimentReport gives it, from its members' (x, y) and how many completed a task. */
function group(variant: "A" | "B", units: [number, number][], metMembers: number): VariantResult {
  const costSums = sumsOf(units);
  const members = units.length;
  return {
    variant, rebate: null, tasks: members, members, metMembers, metRate: metMembers / members, metInterval: null,
    newPaying: costSums.sumY, inviteesPerTask: null, invited: 0, converted: 0, conversion: null, conversionInterval: null, kFactor: null,
    cashbackFen: costSums.sumX, settledNewPaying: costSums.sumY, settledCashbackFen: costSums.sumX, costPerNewPayingFen: costSums.sumY > 0 ? Math.floor(costSums.sumX / costSums.sumY) : null, costSums,
  };
}
const verdict = (a: VariantResult, b: VariantResult) =>
  verdictOf(a, b, twoProportionTest(a.metMembers, a.members, b.metMembers, b.members), ratioDifferenceTest(a.costSums, b.costSums));

describe("the cost per new paying member's test", () => {
  it("delta method on a ratio of means, worked by hand", () => {
    // A: members (300, 2), (100, 1), (200, 1): R = 600 / 4 = 150; residuals x − R·y = 0, −50, 50: Σ = 5 000;
    //   Var = 3/2 · 5 000 / 4² = 468.75. (From the sums: 140 000 − 2·150·900 + 150²·6 = 5 000.)
    const a = sumsOf([[300, 2], [100, 1], [200, 1]]);
    expect(a).toEqual({ units: 3, sumX: 600, sumY: 4, sumXX: 140_000, sumXY: 900, sumYY: 6 });
    expect(ratioVariance(a)).toBeCloseTo(468.75, 9);
    // B: (120, 1), (80, 1), (200, 2), (0, 0): R = 400 / 4 = 100; residuals 20, −20, 0, 0: Σ = 800; Var = 4/3 · 800 / 16 = 66.6667.
    const b = sumsOf([[120, 1], [80, 1], [200, 2], [0, 0]]);
    expect(ratioVariance(b)).toBeCloseTo(66.666667, 5);
    // B − A = −50 fen; SE = √(468.75 + 66.6667) = √535.4167 = 23.1391; z = −2.1609; p = 2·(1 − Φ(2.1609)) = 2·(1 − 0.98464) = 0.0307;
    //   interval −50 ± 1.959964·23.1391 = −50 ± 45.352 → [−95.352, −4.648].
    const t = ratioDifferenceTest(a, b)!;
    expect(t.difference).toBeCloseTo(-50, 9);
    expect(t.z).toBeCloseTo(-2.1609, 3);
    expect(t.pValue).toBeCloseTo(0.0307, 3);
    expect(t.interval.low).toBeCloseTo(-95.352, 2);
    expect(t.interval.high).toBeCloseTo(-4.648, 2);
  });

  it("cannot be tested without two members and a new paying member in each group, and is no evidence without variance", () => {
    const some = sumsOf([[300, 2], [100, 1]]);
    expect(ratioDifferenceTest(sumsOf([[300, 2]]), some)).toBeNull();
    expect(ratioDifferenceTest(some, sumsOf([[0, 0], [0, 0]]))).toBeNull();
    // Every member's cost exactly ¥1.00 and ¥2.00 per new buyer: no variance to judge the difference by.
    expect(ratioDifferenceTest(sumsOf([[100, 1], [200, 2]]), sumsOf([[200, 1], [400, 2]]))).toMatchObject({ difference: 100, pValue: 1 });
  });
});

describe("the verdict on cost", () => {
  // 40/200 against 60/200 members completing (p = 0.021, Newcombe interval [0.015, 0.183] excludes 0): B's rate is higher.
  // A: 40 met members owe ¥150 for 3 new buyers each, 30 more members brought 1 new buyer each and owe nothing:
  //   600 000 fen / 150 = ¥40.00 per new buyer; residuals 15 000 − 4 000·3 = 3 000 (×40) and −4 000 (×30):
  //   Σ = 3.6e8 + 4.8e8 = 8.4e8; Var = 200/199 · 8.4e8 / 150² = 37 521, SE ≈ ¥1.94 per new buyer.
  const a = group("A", [...times(40, [15_000, 3]), ...times(30, [0, 1]), ...times(130, [0, 0])], 40);
  // B: 60 met members with 3 new buyers each and 30 with 1: 210 new buyers; cashback makes ¥39.99 or ¥40.01 per new buyer.
  const b = (costPerBuyerFen: number) => {
    const total = 210 * costPerBuyerFen;
    const each = Math.floor(total / 60);
    return group("B", [[total - 59 * each, 3], ...times(59, [each, 3]), ...times(30, [0, 1]), ...times(110, [0, 0])], 60);
  };

  it("2 fen per new buyer no longer flips it: both ways B is better on the tested rate, the cost only a direction", () => {
    // ±1 fen against a standard error of about ¥2.32 (A's ¥1.94; B's, worked alike, ¥1.28): z ≈ 0.004, far from significant.
    const lower = verdict(a, b(3_999));
    const higher = verdict(a, b(4_001));
    expect(lower).toMatchObject({ kind: "b_better", facts: { cost: { direction: "lower", significant: false } } });
    expect(higher).toMatchObject({ kind: "b_better", facts: { cost: { direction: "higher", significant: false } } });
    expect(verdictText(zh, lower)).toBe("B 组会员达成率比 A 组高 10.0 个百分点（95% 置信度，p = 0.021），每位新付费会员成本略低（不到 0.1%）（方向参考，未达统计显著）");
    expect(verdictText(zh, higher)).toBe("B 组会员达成率比 A 组高 10.0 个百分点（95% 置信度，p = 0.021），每位新付费会员成本略高（不到 0.1%）（方向参考，未达统计显著）");
    expect(verdictText(en, higher)).toBe(
      "Group B's member completion rate is 10.0 percentage points higher than group A's (95% confidence, p = 0.021), and group B's cost per new paying member is slightly higher (by less than 0.1%) (a direction only, not statistically significant)",
    );
  });

  it("a significant cost difference names the cheaper group: B costs 12% less per new buyer, 95% confidence", () => {
    // Rates alike (60/200 each, p = 1). A: 30 members owe ¥200 and 30 owe ¥100, 3 new buyers each: 900 000 / 180 = ¥50.00;
    //   residuals ±5 000 (×60): Σ = 1.5e9, Var = 200/199 · 1.5e9 / 180² = 46 528.9.
    // B: 30 owe ¥176 and 30 owe ¥88: 792 000 / 180 = ¥44.00 = 12% less; residuals ±4 400 (×60): Σ = 1.1616e9, Var = 36 032.0.
    // B − A = −600 fen; SE = √82 560.9 = 287.33; z = −2.0882; p = 2·(1 − Φ(2.0882)) = 2·(1 − 0.98161) = 0.037.
    const cheapA = group("A", [...times(30, [20_000, 3]), ...times(30, [10_000, 3]), ...times(140, [0, 0])], 60);
    const cheapB = group("B", [...times(30, [17_600, 3]), ...times(30, [8_800, 3]), ...times(140, [0, 0])], 60);
    const t = ratioDifferenceTest(cheapA.costSums, cheapB.costSums)!;
    expect(t.difference).toBeCloseTo(-600, 9);
    expect(t.z).toBeCloseTo(-2.0882, 3);
    expect(t.pValue).toBeCloseTo(0.0368, 3);
    const v = verdict(cheapA, cheapB);
    expect(v).toMatchObject({ kind: "b_better", facts: { significant: false, cost: { direction: "lower", significant: true, change: expect.closeTo(-0.12, 9) } } });
    expect(verdictText(zh, v)).toBe("两组会员达成率的差异尚不显著（p = 1.000），但 B 组每位新付费会员成本低 12.0%（95% 置信度，p = 0.037）");
    expect(verdictText(en, v)).toBe(
      "The difference in member completion rates is not significant yet (p = 1.000), but group B's cost per new paying member is 12.0% lower (95% confidence, p = 0.037)",
    );
    // Reversed, A is the cheaper: A is named.
    expect(verdict({ ...cheapB, variant: "A" }, { ...cheapA, variant: "B" }).kind).toBe("a_better");
  });
});

describe("an experiment cannot change the minimum anchor order", () => {
  let database: Database;
  const t0 = new Date("2026-06-01T02:00:00Z");
  beforeEach(async () => {
    database = await freshDatabase();
    await saveRules(database.prisma, { staffId: 1 }, { config: { rebate: { minAnchorFen: 5_000 } }, reason: "满 50 元开任务" }, new Date(t0.getTime() - DAY));
  });
  afterEach(() => database.close());
  const start = (variantRebate: Record<string, unknown>) =>
    startExperimentTx(database.prisma, { staffId: 1, requestId: "req-exp-cost" }, { name: "大单返现", hypothesis: "", variantPercent: 50, variantRebate }, t0);

  it("refuses it with a message per field (B counting only large buyers would read a selection effect as B's)", async () => {
    const e = await start({ minAnchorFen: 50_000, percent: 50 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DomainError);
    const issues = (e as DomainError).issues!;
    expect(issues).toEqual([
      {
        path: "rebate.minAnchorFen",
        message: "实验中不能改开任务最低订单金额：它决定谁能开返现任务，两组会比较不同的买家；请在规则页修改",
        detail: { code: "custom", params: { rule: "experimentMinAnchor" } },
      },
    ]);
    expect(refusalIssueText(en, issues[0]!, settingName)).toMatch(/: cannot change in an experiment: it decides who opens a cashback task, so the groups would compare different buyers; change it on the rules page$/);
    expect(await database.prisma.experiment.count()).toBe(0);
  });

  it("accepts the value in force alongside a change (the form sends every setting)", async () => {
    await start({ minAnchorFen: 5_000, percent: 50 });
    expect(await database.prisma.experiment.findFirstOrThrow()).toMatchObject({ status: "RUNNING", variantRebate: { percent: 50 } });
  });
});
