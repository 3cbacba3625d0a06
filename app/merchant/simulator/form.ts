// The simulator form: its own checks of what was typed, then the domain's rules for a population and for
// rule set B, all in one pass before anything is sent, each refusal in the page's language; and where each
// refusal of the server is shown.
// lib/zod-client comes first: it makes zod CSP-safe before server/simulator/population builds its schemas.
import { z } from "@/lib/zod-client";
import type { Translator } from "@/lib/i18n/core";
import { percentToBps } from "@/components/money";
import { issueText, type IssueUnit } from "@/components/merchant/issue-text";
import { yuanInputToFen } from "@/app/wallet/amount";
import { configSchema, type MallConfig } from "@/server/config/schema";
import { duplicateRows, MAX_NAME_CHARS } from "@/server/simulator/limits";
import { expectedEvents, MAX_EVENTS, newPopulationSchema } from "@/server/simulator/population";
import { applyChanges, ruleSetBSameAsA } from "@/server/simulator/compare";

function fieldsOf(t: Translator) {
  const n = () => z.number({ error: t("m.issue.number") });
  // The server takes these as whole numbers: a decimal is refused here, beside its field.
  const whole = () => n().int(t("m.issue.whole"));
  const rate = z.string().refine((s) => percentToBps(s) !== null, t("sim.err.rate"));
  return z.object({
    name: z.string().trim().min(1, t("sim.err.nameRequired")).max(MAX_NAME_CHARS, t("sim.err.nameMax", { max: MAX_NAME_CHARS })),
    members: whole(),
    sharerPercent: n(),
    invitesPerSharer: n(),
    firstOrderPercent: n(),
    refundPercent: n(),
    repeatOrders: n(),
    horizonDays: whole(),
    seed: whole(),
    categories: z
      .array(z.object({ category: z.string().trim(), price: z.string().refine((s) => yuanInputToFen(s) !== null, t("m.issue.amount")), weight: n() }))
      .superRefine((cs, ctx) => {
        for (const i of duplicateRows(cs.map((c) => c.category))) ctx.addIssue({ code: "custom", path: [i, "category"], message: t("sim.err.duplicate", { category: cs[i]!.category }) });
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
}
export type SimulatorForm = z.infer<ReturnType<typeof fieldsOf>>;

/** The population as the server takes it (a price that is not an amount stays unreadable: NaN). */
export function populationOf(v: SimulatorForm) {
  return {
    members: v.members,
    sharerPercent: v.sharerPercent,
    invitesPerSharer: v.invitesPerSharer,
    firstOrderPercent: v.firstOrderPercent,
    refundPercent: v.refundPercent,
    repeatOrders: v.repeatOrders,
    horizonDays: v.horizonDays,
    seed: v.seed,
    categories: v.categories.map((c) => ({ category: c.category, priceFen: yuanInputToFen(c.price) ?? Number.NaN, weight: c.weight })),
  };
}


/** The units of a domain field's bounds (the form shows 元 and %). */
function unitOf(path: string): IssueUnit | undefined {
  if (/^population\.categories\.\d+\.priceFen$/.test(path)) return "fen";
  return path.startsWith("commission.ratesBps") ? "bps" : undefined;
}

/** A custom refusal of the domain's rules (no zod code names it), by where it is. */
function customText(t: Translator, issue: z.core.$ZodIssue, path: string, v: SimulatorForm): string | undefined {
  if (issue.code !== "custom") return undefined;
  if (path === "population.categories") return t("sim.err.weights");
  if (path === "population.invitesPerSharer") return t("sim.err.invites");
  if (path === "population") {
    const events = expectedEvents(v);
    // Minutes at ~150 replayed events/s, as the server says it (server/simulator/population MAX_EVENTS).
    return t("sim.err.events", { events, max: MAX_EVENTS, minutes: Math.round(MAX_EVENTS / 150 / 60) });
  }
  if (path === "commission.ratesBps") {
    const [l1, l2, l3] = [v.l1, v.l2, v.l3].map((p) => percentToBps(p) ?? 0);
    if (!(l1! >= l2! && l2! >= l3!)) return t("sim.err.ratesOrder");
  }
  // Otherwise the red line over commissions and bonuses together (server/config/schema configSchema).
  return path.startsWith("commission.") ? t("sim.err.ratesTotal") : undefined;
}

/**
 * The form's schema over the rules in force: each field's own check, then the domain's population rules
 * and (when B is run) the rule guard over B, every refusal on its field at once. A field the form's own
 * check refused keeps that message.
 */
export function simulatorForm(rules: MallConfig, t: Translator) {
  return fieldsOf(t).superRefine(
    (v, ctx) => {
      const refused = new Set(ctx.issues.map((i) => (i.path ?? []).join(".")));
      const report = (issues: readonly z.core.$ZodIssue[], prefix: string) => {
        for (const i of issues) {
          const path = [prefix, ...i.path].filter((p) => p !== "").join(".");
          const field = formFieldOf(path);
          const message = issueText(t, i, { unit: unitOf(path), wording: customText(t, i, path, v) });
          if (!refused.has(field)) ctx.addIssue({ code: "custom", path: field.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message });
          refused.add(field);
        }
      };
      report(newPopulationSchema.safeParse(populationOf(v)).error?.issues ?? [], "population");
      const changes = ruleChanges(v);
      // B's rates cannot be built from a rate the form refused.
      if (changes && !["l1", "l2", "l3"].some((k) => refused.has(k))) report(configSchema.safeParse(applyChanges(rules, changes)).error?.issues ?? [], "");
    },
    // Runs even when a field could not be read, so the other fields' refusals come with it.
    { when: () => true },
  );
}
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

/** Whether the B being edited has exactly the rules in force (as the server would build it): running it repeats A. */
export function bSameAsRules(rules: MallConfig, v: Parameters<typeof ruleChanges>[0]): boolean {
  const changes = ruleChanges(v);
  return changes !== null && ruleSetBSameAsA(rules, applyChanges(rules, changes));
}
