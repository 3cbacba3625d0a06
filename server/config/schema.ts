import { z } from "zod";

// Merchant configuration (SPEC §4, §5, §7, §10). Every key has the spec's default.
const rates = z
  .tuple([z.number().int().min(0).max(10000), z.number().int().min(0).max(10000), z.number().int().min(0).max(10000)])
  .refine(([l1, l2, l3]) => l1 >= l2 && l2 >= l3, { message: "rates must satisfy L1 ≥ L2 ≥ L3" });

// Compliance red line: at most 3 levels. A longer array is refused with a clear message.
const ratesInput = z
  .array(z.number().int().min(0).max(10000))
  .max(3, { message: "at most 3 commission levels are allowed (三级分销 red line)" })
  .min(1)
  .transform((a) => [a[0] ?? 0, a[1] ?? 0, a[2] ?? 0] as [number, number, number])
  .pipe(rates);

/** Commission rates (bps) for levels 1..3: at most 3 levels, L1 ≥ L2 ≥ L3 (SPEC §4). */
export const commissionRatesSchema = ratesInput;
export const DISTRIBUTOR_MODES = ["everyone", "first_order", "spend"] as const;
export type DistributorMode = (typeof DISTRIBUTOR_MODES)[number];

export const MAX_STEP_BRACKETS = 10;

// Stepped sales bonus 阶梯奖励 (SPEC §7). Other keys in a bracket are ignored (stripped).
const stepBracket = z.object({
  minFen: z.number().int().min(0),
  bps: z.number().int().min(0).max(10000),
});
const stepBrackets = z
  .array(stepBracket)
  .max(MAX_STEP_BRACKETS, { message: `at most ${MAX_STEP_BRACKETS} brackets are allowed` })
  .superRefine((bs, zctx) => {
    for (let i = 1; i < bs.length; i++) {
      if (bs[i].minFen <= bs[i - 1].minFen) {
        zctx.addIssue({ code: "custom", path: [i, "minFen"], message: `must be greater than the previous bracket's minFen (${bs[i - 1].minFen}): brackets must be strictly increasing` });
        return;
      }
    }
  });

export const tierSchema = z.object({
  name: z.string().min(1),
  label: z.string().optional(),
  minDirects: z.number().int().min(0).optional(),
  minTeam: z.number().int().min(0).optional(),
  minGmv90Fen: z.number().int().min(0).optional(),
  benefits: z
    .object({
      discountBps: z.number().int().min(0).max(10000).default(0),
      commissionBonusBps: z.number().int().min(0).max(10000).default(0),
      priorityShipping: z.boolean().default(false),
    })
    .partial()
    .optional(),
});

export const configSchema = z
  .object({
    commission: z
      .object({
        enabled: z.boolean().default(true),
        tree: z.enum(["sponsor", "matrix"]).default("sponsor"),
        ratesBps: ratesInput.default([1000, 500, 200]),
        unlockDeepLevelsAtDirects: z.number().int().min(0).default(0),
        categoryRatesBps: z.record(z.string(), ratesInput).default({}),
        // Who may earn 分销资格 (SPEC §4).
        distributorMode: z.enum(DISTRIBUTOR_MODES).default("everyone"),
        distributorMinSpendFen: z.number().int().min(0).default(0),
      })
      .strict()
      .superRefine((c, zctx) => {
        if (c.distributorMode === "spend" && c.distributorMinSpendFen < 1) {
          zctx.addIssue({ code: "custom", path: ["distributorMinSpendFen"], message: "must be an integer ≥ 1 when distributorMode is 'spend'" });
        }
      })
      .prefault({}),
    rebate: z
      .object({
        enabled: z.boolean().default(true),
        n: z.number().int().min(1).max(100).default(3),
        percent: z.number().int().min(0).max(100).default(100),
        windowDays: z.number().int().min(1).max(3650).default(30),
        capFen: z.number().int().min(0).nullable().default(null),
        minAnchorFen: z.number().int().min(0).default(0),
        payout: z.enum(["cash", "credit"]).default("cash"),
      })
      .strict()
      .prefault({}),
    tiers: z
      .array(tierSchema)
      .min(1)
      .default([
        { name: "member", label: "会员" },
        { name: "promoter", label: "推广员", minDirects: 3 },
        { name: "partner", label: "合伙人", minDirects: 10, minGmv90Fen: 5_000_000 },
      ]),
    teamBonusBps: z.number().int().min(0).max(10000).default(200),
    stepBonus: z
      .object({ brackets: stepBrackets.default([]) })
      .strict()
      .prefault({}),
    returnWindowDays: z.number().int().min(0).max(365).default(7),
    matrix: z
      .object({ width: z.number().int().min(2).max(10).default(3) })
      .strict()
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
      }, "unknown time zone"),
    // Withdrawal fee (issue 9): max(floor(amount × feeBps / 10000), feeMinFen), 0 when both are 0.
    // The minimum stays below the 100 元 minimum withdrawal (SPEC §6), so every withdrawal nets money.
    withdrawal: z
      .object({
        feeBps: z.number().int().min(0).max(10000).default(0),
        feeMinFen: z.number().int().min(0).max(9_999).default(0),
      })
      .strict()
      .prefault({}),
    // Manual ledger adjustments larger than this (absolute fen) need a second finance/owner account.
    adjustment: z
      .object({ approvalAboveFen: z.number().int().min(0).default(100_000) })
      .strict()
      .prefault({}),
    /// Minutes before an unpaid order is cancelled (SPEC §1).
    paymentTimeoutMinutes: z.number().int().min(1).default(30),
    autoDeliverDays: z.number().int().min(1).default(10),
  })
  .strict();

export type MallConfig = z.output<typeof configSchema>;
export type MallConfigInput = z.input<typeof configSchema>;
export type TierConfig = MallConfig["tiers"][number];
export type StepBracket = MallConfig["stepBonus"]["brackets"][number];

export function parseConfig(input: unknown): MallConfig {
  return configSchema.parse(input ?? {});
}

export const defaultConfig: MallConfig = parseConfig({});

/** Commission rates (bps) of a category for levels 1..3. */
export function ratesFor(config: MallConfig, category: string): [number, number, number] {
  return config.commission.categoryRatesBps[category] ?? config.commission.ratesBps;
}
