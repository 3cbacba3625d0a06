// The rules page's own check of what was typed: the engine's config schema (the server's guard runs the same one),
// each refusal worded as the same refusal from the server is (lib/i18n/labels.ts refusalIssueText): the schema's
// Chinese message in zh-CN, "<setting>: <rule>" in English.
import { z } from "@/lib/zod-client";
import type { Translator } from "@/lib/i18n/core";
import { issueDetail, type IssueDetail } from "@/lib/i18n/issue-rule";
import { refusalIssueText } from "@/lib/i18n/labels";
import { formatBps, formatYuan } from "@/components/money";
import { configSchema, type MallConfig, type MallConfigInput } from "@/server/config/schema";
import { isPayToEarnKey } from "@/server/rules/compliance";
import { settingName } from "./setting-name";

type Refused = { path: PropertyKey[]; text: string };

// An unknown key naming a fee, deposit or paid membership is the guard's pay-to-earn red line (server/rules checkRuleSet), not a typo.
const detailOf = (i: z.core.$ZodIssue): IssueDetail => (i.code === "unrecognized_keys" && i.keys.some(isPayToEarnKey) ? { code: "custom", params: { rule: "payToEarn" } } : issueDetail(i));

/** A bound as the refusal of it shows it (lib/i18n/labels.ts): fen in 元, bps as a percentage. */
const bound = (path: string, v: number) => (/Fen(\.|$)/.test(path) ? formatYuan(v) : /Bps(\.|$)/.test(path) ? formatBps(v) : /percent$/i.test(path) ? `${v}%` : String(v));

/** `values` with `v` at `path` (a copy). */
function withValue(values: unknown, path: readonly PropertyKey[], v: number): unknown {
  const copy = structuredClone(values) as Record<PropertyKey, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<PropertyKey, unknown>;
  at[path.at(-1)!] = v;
  return copy;
}

/**
 * An unreadable entry ("-1" or "abc" typed as a rate is NaN, app/merchant/rules/inputs.tsx) told the range its setting
 * allows, found by trying values beyond any bound at its path; null when the setting has no lower bound.
 */
function rangeRefusal(t: Translator, values: unknown, i: z.core.$ZodIssue): string | null {
  if (i.code !== "invalid_type" || i.expected !== "number" || (i as { received?: string }).received !== "NaN") return null;
  const path = i.path.join(".");
  const boundOf = (v: number, code: "too_small" | "too_big") => {
    const hit = configSchema.safeParse(withValue(values, i.path, v)).error?.issues.find((b) => b.code === code && b.path.join(".") === path);
    return hit && (hit.code === "too_small" ? Number(hit.minimum) : hit.code === "too_big" ? Number(hit.maximum) : null);
  };
  const min = boundOf(-Number.MAX_SAFE_INTEGER, "too_small");
  const max = boundOf(Number.MAX_SAFE_INTEGER, "too_big");
  if (typeof min !== "number") return null;
  const rule = typeof max === "number" ? t("input.rule.range", { min: bound(path, min), max: bound(path, max) }) : t("input.rule.numberAtLeast", { min: bound(path, min) });
  return t("error.issue.field", { field: settingName(t, path), rule });
}

/** The value at `path` in `values` (undefined where the path leads nowhere). */
function valueAt(values: unknown, path: readonly PropertyKey[]): unknown {
  let at = values;
  for (const key of path) at = at !== null && typeof at === "object" ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  return at;
}

/**
 * A rate or an amount typed with more than two decimals (10.555%: a fraction of a bps, ./inputs.tsx beyondTwoDecimals)
 * told so, not that it must be a whole number of bps or fen; null for any other refusal.
 */
function decimalsRefusal(t: Translator, values: unknown, i: z.core.$ZodIssue): string | null {
  if (i.code !== "invalid_type" || i.expected !== "int") return null;
  const path = i.path.join(".");
  const v = valueAt(values, i.path);
  if (!/(fen|bps)(\.|$)/i.test(path) || typeof v !== "number" || !Number.isFinite(v) || Number.isInteger(v)) return null;
  return t("error.issue.field", { field: settingName(t, path), rule: t("rules.rule.decimals") });
}

const worded = (t: Translator, issues: readonly z.core.$ZodIssue[], values: unknown): Refused[] =>
  issues.map((i) => ({
    path: i.path,
    text: rangeRefusal(t, values, i) || decimalsRefusal(t, values, i) || refusalIssueText(t, { path: i.path.join("."), message: i.message, detail: detailOf(i) }, settingName),
  }));

/** The settings the guard refuses in `values`, each with its words in the page's language; [] when accepted. */
export function checkRules(t: Translator, values: unknown): Refused[] {
  return worded(t, configSchema.safeParse(values).error?.issues ?? [], values);
}

/** The form's schema: the config schema, its refusals worded by checkRules. */
export function rulesFormSchema(t: Translator) {
  return z.custom<MallConfigInput>().transform((values, ctx): MallConfig => {
    const parsed = configSchema.safeParse(values);
    if (parsed.success) return parsed.data;
    const refused = worded(t, parsed.error.issues, values);
    const key = (p: readonly PropertyKey[]) => p.map(String).join(".");
    // A list's own refusal (L1 ≥ L2 ≥ L3, the total payout) beside one of an item in it (L1 over 100%) goes on the list's
    // `.root`, where the page reads it: at the list's own path it would replace the item's refusal in the form's errors.
    const hasItemRefusal = (p: readonly PropertyKey[]) => p.length > 0 && refused.some((o) => o.path.length > p.length && key(o.path).startsWith(`${key(p)}.`));
    for (const r of refused) ctx.addIssue({ code: "custom", path: hasItemRefusal(r.path) ? [...r.path, "root"] : r.path, message: r.text });
    return z.NEVER;
  });
}
