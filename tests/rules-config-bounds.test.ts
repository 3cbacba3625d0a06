// Program rules the engine cannot store or compute with are refused when saved, each with its setting's path and a
// clear message (a 400 through the rules page), never an internal error later: amounts written into int4 columns
// (RebateTask.capFen, the tier review's ::int[] thresholds), day and minute limits that overflow a Date, texts with a
// NUL (jsonb cannot hold one) or of any length. The largest value allowed is accepted and runs.
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { configShape, parseConfig, type MallConfig } from "../server/config/schema";
import { checkRuleSet, RulesRefused, saveRules } from "../server/rules";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder, shipOrder } from "../server/orders";
import { parseScenario, ScenarioInputError } from "../server/scenario/input";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { refusalIssueText } from "@/lib/i18n/labels";
import { settingName } from "@/app/merchant/rules/setting-name";
import { checkRules } from "@/app/merchant/rules/check";
import { freshDatabase } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";
import { teaShop } from "./helpers/shop";

const en = createT("en", MESSAGES.en);

/** 2^31 − 1: the largest int4, and the largest order total (createOrder refuses a larger one, ORDER_TOO_LARGE). */
const INT4 = 2_147_483_647;

/** The guard's refusals of `raw` as { path: message }; {} when accepted. */
function refused(raw: unknown): Record<string, string> {
  const r = checkRuleSet(raw);
  return r.ok ? {} : Object.fromEntries(r.issues.map((i) => [i.path, i.message]));
}

const withTier = (tier: Record<string, unknown>) => ({ tiers: [{ name: "member" }, { name: "promoter", minDirects: 3, ...tier }] });

// [what, refused config, its path, its message (zh-CN, as the rules page shows it), the same setting at its largest allowed value]
const CASES: [string, unknown, string, string, unknown][] = [
  ["cashback cap of 21 474 836.48 元", { rebate: { capFen: INT4 + 1 } }, "rebate.capFen", "返现封顶最多 21474836.47 元（单笔订单金额的上限）", { rebate: { capFen: INT4 } }],
  ["cashback cap of 3 千万元", { rebate: { capFen: 3_000_000_000 } }, "rebate.capFen", "返现封顶最多 21474836.47 元（单笔订单金额的上限）", { rebate: { capFen: INT4 } }],
  ["task minimum above the largest order", { rebate: { minAnchorFen: INT4 + 1 } }, "rebate.minAnchorFen", "开任务的最低订单金额最多 21474836.47 元（单笔订单金额的上限）", { rebate: { minAnchorFen: INT4 } }],
  ["directs threshold beyond int4", withTier({ minDirects: INT4 + 1 }), "tiers.1.minDirects", "直推人数门槛不能大于 2147483647", withTier({ minDirects: INT4 })],
  ["team threshold beyond int4", withTier({ minTeam: INT4 + 1 }), "tiers.1.minTeam", "团队人数门槛不能大于 2147483647", withTier({ minTeam: INT4 })],
  ["automatic receipt after 366 days", { autoDeliverDays: 366 }, "autoDeliverDays", "自动确认收货最多 365 天", { autoDeliverDays: 365 }],
  ["automatic receipt after 100 000 000 days", { autoDeliverDays: 100_000_000 }, "autoDeliverDays", "自动确认收货最多 365 天", { autoDeliverDays: 365 }],
  ["payment time limit of a week and a minute", { paymentTimeoutMinutes: 7 * 24 * 60 + 1 }, "paymentTimeoutMinutes", "支付时限最多 10080 分钟（7 天）", { paymentTimeoutMinutes: 7 * 24 * 60 }],
  ["payment time limit of 10^12 minutes", { paymentTimeoutMinutes: 1e12 }, "paymentTimeoutMinutes", "支付时限最多 10080 分钟（7 天）", { paymentTimeoutMinutes: 7 * 24 * 60 }],
  ["tier name with a NUL", withTier({ name: "vip\u0000" }), "tiers.1.name", "不能包含空字符 (NUL)", withTier({ name: "v".repeat(32) })],
  ["tier name of 33 characters", withTier({ name: "v".repeat(33) }), "tiers.1.name", "等级标识最多 32 个字符", withTier({ name: "v".repeat(32) })],
  ["tier name of 1 000 000 characters", withTier({ name: "推".repeat(1_000_000) }), "tiers.1.name", "等级标识最多 32 个字符", withTier({ name: "推".repeat(32) })],
  ["tier label with a NUL", withTier({ label: "推广\u0000员" }), "tiers.1.label", "不能包含空字符 (NUL)", withTier({ label: "推".repeat(32) })],
  ["tier label of 33 characters", withTier({ label: "推".repeat(33) }), "tiers.1.label", "等级名称最多 32 个字", withTier({ label: "推".repeat(32) })],
  ["category key with a NUL", { commission: { categoryRatesBps: { "tea\u0000": [300, 100, 50] } } }, "commission.categoryRatesBps.tea\u0000", "不能包含空字符 (NUL)", { commission: { categoryRatesBps: { ["t".repeat(64)]: [300, 100, 50] } } }],
  ["category key of 65 characters", { commission: { categoryRatesBps: { ["t".repeat(65)]: [300, 100, 50] } } }, `commission.categoryRatesBps.${"t".repeat(65)}`, "最多 64 个字符", { commission: { categoryRatesBps: { ["t".repeat(64)]: [300, 100, 50] } } }],
  ["campaign title with a NUL", { campaign: { title: "春季\u0000活动" } }, "campaign.title", "不能包含空字符 (NUL)", { campaign: { title: " 春季活动 " } }],
  ["forbidden claim with a NUL", { compliance: { forbiddenClaims: ["稳\u0000赚"] } }, "compliance.forbiddenClaims.0", "不能包含空字符 (NUL)", { compliance: { forbiddenClaims: ["稳赚"] } }],
];

describe("the guard refuses each value by its setting, and takes the largest allowed one", () => {
  it.each(CASES)("%s", (_, raw, path, message, largest) => {
    expect(refused(raw)).toEqual({ [path]: message });
    expect(refused(largest)).toEqual({});
  });

  it("trims a campaign title before counting it: 40 characters between blanks are within its 40", () => {
    expect(parseConfig({ campaign: { title: ` ${"春".repeat(40)} ` } }).campaign.title).toBe("春".repeat(40));
  });
});

describe("English words the refusals from their detail, as the rules page shows them", () => {
  const words = (raw: unknown) => {
    const r = checkRuleSet(raw);
    if (r.ok) throw new Error("expected a refusal");
    return r.issues.map((i) => refusalIssueText(en, JSON.parse(JSON.stringify(i)), settingName));
  };
  it.each([
    [{ rebate: { capFen: 3_000_000_000 } }, "Cashback cap: must be at most ¥21474836.47"],
    [withTier({ minDirects: INT4 + 1 }), "Tier 2 direct referrals: must be at most 2147483647"],
    [{ autoDeliverDays: 366 }, "Automatic receipt after (days): must be at most 365"],
    [{ paymentTimeoutMinutes: 10_081 }, "Payment time limit (minutes): must be at most 10080"],
    [withTier({ name: "vip\u0000" }), "Tier 2 name: must not contain a NUL character"],
    [withTier({ label: "推".repeat(33) }), "Tier 2 label: must be at most 32 characters"],
    [{ campaign: { title: "春季\u0000活动" } }, "Campaign title: must not contain a NUL character"],
  ])("%j → %s", (raw, text) => {
    expect(words(raw)).toEqual([text]);
    expect(checkRules(en, raw).map((r) => r.text)).toEqual([text]);
  });
});

describe("the scenario contract (SPEC §10)", () => {
  it("still reads SPEC §10's example config, every key given", () => {
    const config = {
      commission: { enabled: true, tree: "sponsor", ratesBps: [1000, 500, 200], unlockDeepLevelsAtDirects: 0, categoryRatesBps: { digital: [300, 100, 50] }, distributorMode: "everyone", distributorMinSpendFen: 0 },
      rebate: { enabled: true, n: 3, percent: 100, windowDays: 30, capFen: null, minAnchorFen: 0, payout: "cash" },
      tiers: [{ name: "member" }, { name: "promoter", minDirects: 3 }, { name: "partner", minDirects: 10, minGmv90Fen: 5000000 }],
      teamBonusBps: 200,
      stepBonus: { brackets: [] },
      returnWindowDays: 7,
      matrix: { width: 3 },
      timeZone: "Asia/Shanghai",
    };
    expect(configShape.safeParse(config).success).toBe(true);
  });

  it("keeps amounts the SPEC leaves open beyond int4 where the engine holds them in bigint (gmv90, bracket thresholds, spend)", () => {
    const big = 10_000_000_000; // 1 亿元
    const config = parseConfig({
      tiers: [{ name: "member" }, { name: "partner", minGmv90Fen: big }],
      stepBonus: { brackets: [{ minFen: 0, bps: 100 }, { minFen: big, bps: 200 }] },
      commission: { distributorMode: "spend", distributorMinSpendFen: big },
    });
    expect([config.tiers[1].minGmv90Fen, config.stepBonus.brackets[1].minFen, config.commission.distributorMinSpendFen]).toEqual([big, big, big]);
  });

  it("refuses a cap beyond any order as malformed input naming the field", () => {
    let error: unknown;
    try {
      parseScenario({ config: { rebate: { capFen: 3_000_000_000 } }, products: [], events: [] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioInputError);
    expect((error as Error).message).toBe("config: field 'rebate.capFen': 返现封顶最多 21474836.47 元（单笔订单金额的上限）");
  });
});

describe("through the rules page and the shop", () => {
  let database: Database;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(() => database.close());

  it("a save of a refused value is a 400 naming the setting, and nothing is saved", async () => {
    const db = database.prisma;
    const { caller } = await signedInStaff(db, "owner");
    const open = await caller.merchantRules.overview();
    const form = open.latest as MallConfig;
    for (const [config, path, message] of [
      [{ ...form, rebate: { ...form.rebate, capFen: 3_000_000_000 } }, "rebate.capFen", "返现封顶最多 21474836.47 元（单笔订单金额的上限）"],
      [{ ...form, autoDeliverDays: 100_000_000 }, "autoDeliverDays", "自动确认收货最多 365 天"],
      [{ ...form, tiers: form.tiers.map((t, i) => (i === 1 ? { ...t, name: "vip\u0000" } : t)) }, "tiers.1.name", "不能包含空字符 (NUL)"],
      [{ ...form, commission: { ...form.commission, categoryRatesBps: { "tea\u0000": [300, 100, 50] } } }, "commission.categoryRatesBps.tea\u0000", "不能包含空字符 (NUL)"],
      [{ ...form, campaign: { ...form.campaign, title: "春季\u0000活动" } }, "campaign.title", "不能包含空字符 (NUL)"],
    ] as const) {
      const error = await caller.merchantRules.save({ config: config as unknown as Record<string, unknown>, reason: "越界", baseVersion: open.baseVersion }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TRPCError);
      expect(getHTTPStatusCodeFromError(error as TRPCError)).toBe(400);
      const cause = (error as TRPCError).cause;
      expect(cause).toBeInstanceOf(RulesRefused);
      expect((cause as RulesRefused).issues.map((i) => [i.path, i.message])).toEqual([[path, message]]);
    }
    expect(await db.ruleVersion.count()).toBe(0);
  });

  it("the largest cap, task minimum, payment time limit and receipt delay are saved, and an order is placed, paid and shipped under them", async () => {
    const db = database.prisma;
    await teaShop(db);
    const now = new Date();
    const config = { rebate: { capFen: INT4, minAnchorFen: 10_000 }, paymentTimeoutMinutes: 10_080, autoDeliverDays: 365 };
    await saveRules(db, null, { config, reason: "上限" }, now);
    const buyer = await inTx(db, { now }, (ctx) => registerMember(ctx, { username: "a" }));
    const order = await inTx(db, { now }, (ctx) => createOrder(ctx, { memberId: buyer.id, lines: [{ sku: "tea", qty: 1 }] }));
    const paid = await inTx(db, { now }, (ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: `t${order.id}`, amountFen: order.payableFen, currency: "CNY" }));
    expect(paid).toEqual({ outcome: "paid" });
    // The 100 元 tea at 100%: 10 000 fen of cashback, under the cap, on a task that records the cap.
    expect(await db.rebateTask.findMany({ select: { capFen: true, cashbackFen: true } })).toEqual([{ capFen: INT4, cashbackFen: 10_000 }]);
    expect(await inTx(db, { now }, (ctx) => shipOrder(ctx, order.id))).toBe(true);
  });
});
