import { z } from "@/lib/zod-client";
import { MAX_ATTRIBUTION_DAYS } from "../auth/attribution";
import { INT4_MAX, text } from "../validation";
import { fenToYuanString } from "../money";
import { commissionTotalRefusal, DEFAULT_FORBIDDEN_CLAIMS, forbiddenClaimsIn, forbiddenClaimsMessage, isPayToEarnKey, maxCommissionTotalBps, PAY_TO_EARN_MESSAGE, shopperTexts } from "../rules/compliance";

// An unknown key is refused; one that names a fee, deposit or paid membership with the compliance message.
const strictError = {
  error: (iss: { code?: string; keys?: string[] }) =>
    iss.code === "unrecognized_keys" && iss.keys?.some(isPayToEarnKey) ? PAY_TO_EARN_MESSAGE : undefined,
};
// The largest order total (server/orders ORDER_TOO_LARGE): an amount compared with or written beside an order's fits int4.
const MAX_ORDER_YUAN = fenToYuanString(INT4_MAX);
// A refused record key (a category slug) in the key schema's own words, not zod's "Invalid key in record".
const keyRefusal = (iss: { code?: string; issues?: { message: string }[] }) => (iss.code === "invalid_key" ? iss.issues?.[0]?.message : undefined);
// Messages in Chinese only: the Chinese back office shows them as they are; English words each refusal from its detail (lib/i18n/labels.ts).
const bps = (what: string) => z.number({ error: `${what}须为整数` }).int(`${what}须为整数`).min(0, `${what}不能小于 0`).max(10000, `${what}不能超过 100%`);
/** A whole number from `min` up, worded with the setting's name `what`. */
const count = (what: string, min = 0, unit = "") => z.number({ error: `${what}须为整数` }).int(`${what}须为整数`).min(min, `${what}不能小于 ${min}${unit}`);

// Merchant configuration (SPEC §4, §5, §7, §10). Every key has the spec's default.
const rates = z
  .tuple([bps("一级佣金比例"), bps("二级佣金比例"), bps("三级佣金比例")])
  .refine(([l1, l2, l3]) => l1 >= l2 && l2 >= l3, { message: "佣金比例须满足 一级 ≥ 二级 ≥ 三级", params: { rule: "levelsDescending" } });

// Compliance red line: at most 3 levels. A longer array is refused with a clear message.
const ratesInput = z
  .array(bps("佣金比例"))
  .max(3, { message: "合规红线：最多 3 级佣金" })
  .min(1, "至少设置一级佣金")
  .transform((a) => [a[0] ?? 0, a[1] ?? 0, a[2] ?? 0] as [number, number, number])
  .pipe(rates);

/** Commission rates (bps) for levels 1..3: at most 3 levels, L1 ≥ L2 ≥ L3 (SPEC §4). */
export const commissionRatesSchema = ratesInput;
export const DISTRIBUTOR_MODES = ["everyone", "first_order", "spend"] as const;
export type DistributorMode = (typeof DISTRIBUTOR_MODES)[number];

export const MAX_STEP_BRACKETS = 10;

// Stepped sales bonus 阶梯奖励 (SPEC §7). Other keys in a bracket are ignored (stripped).
const stepBracket = z.object({
  minFen: count("月销售额门槛"),
  bps: bps("奖励比例"),
});
const stepBrackets = z
  .array(stepBracket)
  .max(MAX_STEP_BRACKETS, { message: `阶梯奖励最多 ${MAX_STEP_BRACKETS} 档` })
  .superRefine((bs, zctx) => {
    for (let i = 1; i < bs.length; i++) {
      if (bs[i].minFen <= bs[i - 1].minFen) {
        zctx.addIssue({ code: "custom", path: [i, "minFen"], message: `月销售额门槛须高于上一档（${fenToYuanString(bs[i - 1].minFen)} 元）：阶梯须逐档递增`, params: { rule: "bracketsIncreasing", previous: bs[i - 1].minFen } });
        return;
      }
    }
  });

export const MAX_TIER_NAME = 32;
export const MAX_TIER_LABEL = 32;
export const MAX_PAYMENT_TIMEOUT_MINUTES = 7 * 24 * 60;
export const MAX_AUTO_DELIVER_DAYS = 365;
/** A category override's key: a catalogue slug. */
const MAX_CATEGORY_KEY = 64;

// A stored version may hold longer texts and larger counts than a save now takes (their maxima: configBounds), never a NUL
// (jsonb cannot hold one, so no version was stored with it): text without a length bound, a count without a maximum.
const storedText = () => text(Infinity);
const storedCount = () => z.number({ error: "必须是数字" }).int("必须是整数").min(0, "不能小于 0");

// Thresholds of directs and team size go to int4 arrays (server/tiers); gmv90 to bigint.
export const tierSchema = z.strictObject({
  name: storedText().min(1, "请填写等级标识"),
  label: storedText().optional(),
  minDirects: storedCount().optional(),
  minTeam: storedCount().optional(),
  minGmv90Fen: count("90 天业绩门槛").optional(),
  benefits: z
    .strictObject(
      {
        discountBps: bps("自购折扣").default(0),
        commissionBonusBps: bps("佣金加成").default(0),
        priorityShipping: z.boolean().default(false),
      },
      strictError,
    )
    .partial()
    .optional(),
}, strictError);

export const MAX_CAMPAIGN_TITLE = 40;
export const MAX_CAMPAIGN_RULES = 2000;
export const MAX_POSTER_SLOGAN = 40;

/** The settings, their ranges and defaults as a stored version (a rules version, the MallConfig row) is read: parseConfig. */
const storedShape = z
  .strictObject({
    commission: z
      .strictObject({
        enabled: z.boolean().default(true),
        tree: z.enum(["sponsor", "matrix"], { error: "请选择佣金关系树" }).default("sponsor"),
        ratesBps: ratesInput.default([1000, 500, 200]),
        unlockDeepLevelsAtDirects: count("解锁所需直推人数").max(1000, "解锁所需直推人数最多 1000 人").default(0),
        // Keys are category slugs (64 characters at most, as the catalogue's); a refused key says why in its own words.
        categoryRatesBps: z.record(storedText(), ratesInput, { error: keyRefusal }).default({}),
        // Who may earn 分销资格 (SPEC §4).
        distributorMode: z.enum(DISTRIBUTOR_MODES, { error: "请选择分销资格" }).default("everyone"),
        distributorMinSpendFen: count("消费门槛").default(0),
      }, strictError)
      .superRefine((c, zctx) => {
        if (c.distributorMode === "spend" && c.distributorMinSpendFen < 1) {
          zctx.addIssue({ code: "custom", path: ["distributorMinSpendFen"], message: "“累计消费”模式下消费门槛至少 0.01 元", params: { rule: "distributorMinSpend" } });
        }
      })
      .prefault({}),
    rebate: z
      .strictObject({
        enabled: z.boolean().default(true),
        n: z.number({ error: "邀请人数须为整数" }).int("邀请人数须为整数").min(1, "邀请人数至少 1 人").max(100, "邀请人数最多 100 人").default(3),
        percent: z.number({ error: "返现比例须为整数" }).int("返现比例须为整数").min(0, "返现比例不能小于 0%").max(100, "返现比例不能超过 100%").default(100),
        windowDays: z.number({ error: "任务期限须为整数" }).int("任务期限须为整数").min(1, "任务期限至少 1 天").max(3650, "任务期限最多 3650 天").default(30),
        // Written into RebateTask.capFen (int4); a cap above the largest order caps nothing.
        capFen: storedCount().nullable().default(null),
        // No order is above the largest order total: a higher minimum would open no task at all.
        minAnchorFen: storedCount().default(0),
        payout: z.enum(["cash", "credit"], { error: "请选择返现方式" }).default("cash"),
      }, strictError)
      .prefault({}),
    tiers: z
      .array(tierSchema)
      .min(1, "至少设置一个会员等级")
      .default([
        { name: "member", label: "会员" },
        { name: "promoter", label: "推广员", minDirects: 3 },
        { name: "partner", label: "合伙人", minDirects: 10, minGmv90Fen: 5_000_000 },
      ]),
    teamBonusBps: bps("团队绩效比例").default(200),
    stepBonus: z
      .strictObject({ brackets: stepBrackets.default([]) }, strictError)
      .prefault({}),
    returnWindowDays: z.number({ error: "售后期须为整数" }).int("售后期须为整数").min(0, "售后期不能小于 0 天").max(365, "售后期最多 365 天").default(7),
    matrix: z
      .strictObject({ width: z.number({ error: "矩阵宽度须为整数" }).int("矩阵宽度须为整数").min(2, "矩阵宽度至少 2").max(10, "矩阵宽度最多 10").default(3) }, strictError)
      .prefault({}),
    timeZone: z
      .string()
      .default("Asia/Shanghai")
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat("en-US", { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, { message: "未知的时区", params: { rule: "timeZone" } }),
    // Withdrawal fee (issue 9): max(floor(amount × feeBps / 10000), feeMinFen), 0 when both are 0.
    // The minimum stays below the 100 元 minimum withdrawal (SPEC §6), so every withdrawal nets money.
    withdrawal: z
      .object({
        feeBps: bps("提现手续费率").default(0),
        feeMinFen: count("最低手续费").max(9_999, "最低手续费最多 99.99 元（低于最低提现金额）").default(0),
      })
      .strict()
      .prefault({}),
    // Manual ledger adjustments larger than this (absolute fen) need a second finance/owner account.
    adjustment: z
      .object({ approvalAboveFen: count("调账审批门槛").default(100_000) })
      .strict()
      .prefault({}),
    /// Minutes before an unpaid order is cancelled (SPEC §1): it holds its stock meanwhile, so a week at most.
    paymentTimeoutMinutes: count("支付时限", 1, " 分钟").default(30),
    /// Days after shipping that receipt is confirmed (SPEC §1): a year at most, like the return window.
    autoDeliverDays: count("自动确认收货", 1, " 天").default(10),
    /// SPEC §2: days after visiting a share link that signing up still binds to its sharer.
    attributionDays: z.number({ error: "归因期须为整数" }).int("归因期须为整数").min(1, "归因期至少 1 天").max(MAX_ATTRIBUTION_DAYS, `归因期最多 ${MAX_ATTRIBUTION_DAYS} 天`).default(7),
    /// Texts shoppers see on the promotion page, the share landing and the poster (empty: the built-in texts).
    campaign: z
      .strictObject({
        // Trimmed first; a NUL would make the version unstorable (jsonb).
        title: z.string().trim().pipe(text(MAX_CAMPAIGN_TITLE, `活动标题最多 ${MAX_CAMPAIGN_TITLE} 字`)).default(""),
        rulesText: z.string().trim().pipe(text(MAX_CAMPAIGN_RULES, `活动规则最多 ${MAX_CAMPAIGN_RULES} 字`)).default(""),
        posterSlogan: z.string().trim().pipe(text(MAX_POSTER_SLOGAN, `海报标语最多 ${MAX_POSTER_SLOGAN} 字`)).default(""),
      }, strictError)
      .prefault({}),
    compliance: z
      .strictObject({
        /// Earnings claims refused in campaign texts (the fixed core in server/rules/compliance.ts always applies).
        forbiddenClaims: z.array(z.string().trim().pipe(text(20, "禁用词最多 20 个字").min(1, "禁用词不能为空"))).max(200, "禁用词最多 200 个").default([...DEFAULT_FORBIDDEN_CLAIMS]),
      }, strictError)
      .prefault({}),
  }, strictError);

type StoredConfig = z.output<typeof storedShape>;

/**
 * The maxima added after versions were stored (tier names, category keys, int4 amounts and counts, time limits): refused at
 * save and in a scenario, each as zod's own check words it (same path, message and detail), while a stored version is read.
 */
function configBounds(c: StoredConfig, zctx: z.RefinementCtx<StoredConfig>) {
  const tooBig = (path: (string | number)[], value: number | string | null | undefined, maximum: number, message: string) => {
    if (value === null || value === undefined || (typeof value === "string" ? value.length : value) <= maximum) return;
    zctx.addIssue({ code: "too_big", origin: typeof value === "string" ? "string" : "number", maximum, inclusive: true, input: value, path, message });
  };
  for (const key of Object.keys(c.commission.categoryRatesBps)) {
    if (key.length <= MAX_CATEGORY_KEY) continue;
    const message = `最多 ${MAX_CATEGORY_KEY} 个字符`;
    const issues = [{ code: "too_big" as const, origin: "string" as const, maximum: MAX_CATEGORY_KEY, inclusive: true, input: key, path: [], message }];
    zctx.addIssue({ code: "invalid_key", origin: "record", issues, input: key, path: ["commission", "categoryRatesBps", key], message });
  }
  tooBig(["rebate", "capFen"], c.rebate.capFen, INT4_MAX, `返现封顶最多 ${MAX_ORDER_YUAN} 元（单笔订单金额的上限）`);
  tooBig(["rebate", "minAnchorFen"], c.rebate.minAnchorFen, INT4_MAX, `开任务的最低订单金额最多 ${MAX_ORDER_YUAN} 元（单笔订单金额的上限）`);
  c.tiers.forEach((t, i) => {
    tooBig(["tiers", i, "name"], t.name, MAX_TIER_NAME, `等级标识最多 ${MAX_TIER_NAME} 个字符`);
    tooBig(["tiers", i, "label"], t.label, MAX_TIER_LABEL, `等级名称最多 ${MAX_TIER_LABEL} 个字`);
    tooBig(["tiers", i, "minDirects"], t.minDirects, INT4_MAX, `直推人数门槛不能大于 ${INT4_MAX}`);
    tooBig(["tiers", i, "minTeam"], t.minTeam, INT4_MAX, `团队人数门槛不能大于 ${INT4_MAX}`);
  });
  tooBig(["paymentTimeoutMinutes"], c.paymentTimeoutMinutes, MAX_PAYMENT_TIMEOUT_MINUTES, `支付时限最多 ${MAX_PAYMENT_TIMEOUT_MINUTES} 分钟（7 天）`);
  tooBig(["autoDeliverDays"], c.autoDeliverDays, MAX_AUTO_DELIVER_DAYS, `自动确认收货最多 ${MAX_AUTO_DELIVER_DAYS} 天`);
}

/**
 * The settings within every bound: the scenario replay's config (SPEC §10: malformed only when ill-typed or out of range;
 * the compliance guard below is the merchant's, not the contract's).
 */
export const configShape = storedShape.superRefine(configBounds);

/**
 * The settings within every bound, with the compliance guard across them: what every save, experiment variant and scenario
 * is checked with. A version saved under an earlier, looser guard is still read (parseConfig) and runs; the
 * rules page shows what the guard refuses in it, and the next save must fix it.
 */
export const configSchema = configShape.superRefine((c, zctx) => {
  // Compliance guard: no text shoppers see may promise earnings (seed 004 合规底线).
  for (const { path, text } of shopperTexts(c)) {
    const hits = forbiddenClaimsIn(text, c.compliance.forbiddenClaims);
    if (hits.length > 0) zctx.addIssue({ code: "custom", path, message: forbiddenClaimsMessage(hits), params: { rule: "forbiddenClaims", words: hits } });
  }
  // Compliance guard: commissions (with the largest tier bonus at every paid level), team and step bonuses never exceed the sale.
  // A rate already refused as out of range is left out: one message per mistake.
  const inRange = (b: number) => (b >= 0 && b <= 10000 ? b : 0);
  const bonuses = {
    tierBonusBps: Math.max(0, ...c.tiers.map((t) => inRange(t.benefits?.commissionBonusBps ?? 0))),
    teamBonusBps: c.tiers.some(isTeamBonusTier) ? inRange(c.teamBonusBps) : 0,
    stepBonusBps: Math.max(0, ...c.stepBonus.brackets.map((b) => inRange(b.bps))),
  };
  const rateSets: [(string | number)[], readonly number[]][] = [
    [["commission", "ratesBps"], c.commission.ratesBps],
    ...Object.entries(c.commission.categoryRatesBps).map(([slug, r]): [(string | number)[], readonly number[]] => [["commission", "categoryRatesBps", slug], r]),
  ];
  for (const [path, r] of rateSets) {
    const message = commissionTotalRefusal(r, bonuses);
    if (message) zctx.addIssue({ code: "custom", path, message, params: { rule: "commissionTotal", totalBps: maxCommissionTotalBps(r, bonuses) } });
  }
});

export type MallConfig = z.output<typeof configSchema>;
export type MallConfigInput = z.input<typeof configSchema>;
export type TierConfig = MallConfig["tiers"][number];
export type StepBracket = MallConfig["stepBonus"]["brackets"][number];

/** Reads a stored configuration (a rules version, the scenario runner's checked input): shape and defaults. */
export function parseConfig(input: unknown): MallConfig {
  return storedShape.parse(input ?? {});
}

export const defaultConfig: MallConfig = parseConfig({});

/** Commission rates (bps) of a category for levels 1..3. */
export function ratesFor(config: MallConfig, category: string): [number, number, number] {
  return config.commission.categoryRatesBps[category] ?? config.commission.ratesBps;
}

/** The tier that earns the monthly team bonus (SPEC §7: `partner`). */
export function isTeamBonusTier(t: TierConfig | undefined): boolean {
  return t?.name === "partner";
}
