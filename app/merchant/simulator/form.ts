// The simulator form's own checks, before anything is sent, and where each refusal of the server is shown.
import { z } from "@/lib/zod-client";
import { percentToBps } from "@/components/money";
import { yuanInputToFen } from "@/app/wallet/amount";
import { duplicateRows, MAX_NAME_CHARS } from "@/server/simulator/limits";

const n = (label = "请填写数字") => z.number({ error: label });
// The server takes these as whole numbers: a decimal is refused here, beside its field.
const whole = () => n().int("请填写整数");
const rate = z.string().refine((s) => percentToBps(s) !== null, "比例格式不对（如 10 或 2.5）");

export const simulatorForm = z.object({
  name: z.string().trim().min(1, "请填写名称").max(MAX_NAME_CHARS, `名称最多 ${MAX_NAME_CHARS} 字`),
  members: whole(),
  sharerPercent: n(),
  invitesPerSharer: n(),
  firstOrderPercent: n(),
  refundPercent: n(),
  repeatOrders: n(),
  horizonDays: whole(),
  seed: whole(),
  categories: z
    .array(z.object({ category: z.string().trim(), price: z.string().refine((s) => yuanInputToFen(s) !== null, "金额格式不对"), weight: n() }))
    .superRefine((cs, ctx) => {
      for (const i of duplicateRows(cs.map((c) => c.category))) ctx.addIssue({ code: "custom", path: [i, "category"], message: `类目重复：${cs[i]!.category}` });
    }),
  compare: z.boolean(),
  l1: rate,
  l2: rate,
  l3: rate,
  /** B: the categories with rates of their own take B's rates per level too. */
  uniformRates: z.boolean().optional(),
  rebateN: whole(),
  rebatePercent: whole(),
  rebateWindow: whole(),
});
export type SimulatorForm = z.infer<typeof simulatorForm>;

/** B's changes to the rules in force, as the server takes them; null when only A is run. */
export function ruleChanges(v: Pick<SimulatorForm, "compare" | "l1" | "l2" | "l3" | "uniformRates" | "rebateN" | "rebatePercent" | "rebateWindow">) {
  if (!v.compare) return null;
  const ratesBps = [v.l1, v.l2, v.l3].map((p) => percentToBps(p)!);
  return {
    // No rates of their own in B: every category then follows B's rates per level.
    commission: v.uniformRates ? { ratesBps, categoryRatesBps: {} } : { ratesBps },
    rebate: { n: v.rebateN, percent: v.rebatePercent, windowDays: v.rebateWindow },
  };
}

const FIELD_OF: Record<string, keyof SimulatorForm> = {
  name: "name",
  "population.members": "members",
  "population.sharerPercent": "sharerPercent",
  "population.invitesPerSharer": "invitesPerSharer",
  "population.firstOrderPercent": "firstOrderPercent",
  "population.refundPercent": "refundPercent",
  "population.repeatOrders": "repeatOrders",
  "population.horizonDays": "horizonDays",
  "population.seed": "seed",
  "population.categories": "categories",
  "commission.ratesBps": "l1",
  "rebate.n": "rebateN",
  "rebate.percent": "rebatePercent",
  "rebate.windowDays": "rebateWindow",
};
const ROW_FIELD = { category: "category", priceFen: "price", weight: "weight" } as const;

/** The form field a refusal of the server belongs to (a category row's own cell when it names one), else "root". */
export function formFieldOf(path: string): `categories.${number}.${"category" | "price" | "weight"}` | keyof SimulatorForm | "root" {
  const row = /^population\.categories\.(\d+)\.(category|priceFen|weight)$/.exec(path);
  if (row) return `categories.${Number(row[1])}.${ROW_FIELD[row[2] as keyof typeof ROW_FIELD]}`;
  const key = Object.keys(FIELD_OF).find((k) => path === k || path.startsWith(`${k}.`));
  return key ? FIELD_OF[key]! : "root";
}
