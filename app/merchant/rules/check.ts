// The rules page's own check of what was typed: the engine's config schema (the server's guard runs the same one),
// each refusal worded as the same refusal from the server is (lib/i18n/labels.ts refusalIssueText): the schema's
// Chinese message in zh-CN, "<setting>: <rule>" in English.
import { z } from "@/lib/zod-client";
import type { Translator } from "@/lib/i18n/core";
import { issueDetail, type IssueDetail } from "@/lib/i18n/issue-rule";
import { refusalIssueText } from "@/lib/i18n/labels";
import { configSchema, type MallConfig, type MallConfigInput } from "@/server/config/schema";
import { isPayToEarnKey } from "@/server/rules/compliance";
import { settingName } from "./setting-name";

type Refused = { path: PropertyKey[]; text: string };

// An unknown key naming a fee, deposit or paid membership is the guard's pay-to-earn red line (server/rules checkRuleSet), not a typo.
const detailOf = (i: z.core.$ZodIssue): IssueDetail => (i.code === "unrecognized_keys" && i.keys.some(isPayToEarnKey) ? { code: "custom", params: { rule: "payToEarn" } } : issueDetail(i));

const worded = (t: Translator, issues: readonly z.core.$ZodIssue[]): Refused[] =>
  issues.map((i) => ({ path: i.path, text: refusalIssueText(t, { path: i.path.join("."), message: i.message, detail: detailOf(i) }, settingName) }));

/** The settings the guard refuses in `values`, each with its words in the page's language; [] when accepted. */
export function checkRules(t: Translator, values: unknown): Refused[] {
  return worded(t, configSchema.safeParse(values).error?.issues ?? []);
}

/** The form's schema: the config schema, its refusals worded by checkRules. */
export function rulesFormSchema(t: Translator) {
  return z.custom<MallConfigInput>().transform((values, ctx): MallConfig => {
    const parsed = configSchema.safeParse(values);
    if (parsed.success) return parsed.data;
    for (const r of worded(t, parsed.error.issues)) ctx.addIssue({ code: "custom", path: r.path, message: r.text });
    return z.NEVER;
  });
}
