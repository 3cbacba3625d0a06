// A refused API input as one sentence in the caller's language (the tRPC error formatter's message): zod's
// own message is a JSON list of issues, English where the schema gave none. The issues themselves stay
// in the error's data (zodError) for forms that put them beside their fields.
import type { ZodError } from "zod";
import { createT, type Locale, type Translator } from "@/lib/i18n/core";
import { issueRule } from "@/lib/i18n/issue-rule";
import { MESSAGES } from "@/lib/i18n/messages";

type Issue = ZodError["issues"][number];

/** At most this many issues are worded; the rest are counted. */
const SHOWN = 3;
const HAN = /\p{Script=Han}/u;

/** The field's name for people ("排序值" for `sort`), by its last named segment; the code's name when none is known. */
function fieldName(t: Translator, path: Issue["path"]): string {
  const named = path.filter((p): p is string => typeof p === "string");
  const last = named[named.length - 1];
  return last === undefined ? path.map(String).join(".") : t.opt(`input.name.${last}`, path.map(String).join("."));
}

/**
 * The rule an issue broke: a missing field is required (zod says so only in its own message, the issue does not carry
 * the input), a field with a format of its own names it (input.format.<field>: "slug" only lower-case letters, digits
 * and hyphens), else zod's code with its bounds.
 */
function brokenRule(t: Translator, issue: Issue): string {
  if (issue.code === "invalid_type" && issue.message.endsWith("received undefined")) return t("input.rule.required");
  const last = issue.path.filter((p): p is string => typeof p === "string").at(-1);
  const format = `input.format.${last}`;
  if (issue.code === "invalid_format" && last !== undefined && t.has(format)) return t(format);
  return issueRule(t, issue);
}

/**
 * "输入有误：请填写分类名称；排序值 不能大于 10000". In Chinese a schema's own message (they are written in
 * Chinese) is used as it is; otherwise the field's name and the rule it broke. One issue per field.
 */
export function inputErrorMessage(error: ZodError, locale: Locale): string {
  const t = createT(locale, MESSAGES[locale]);
  const byField = new Map<string, Issue>();
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".");
    if (!byField.has(field)) byField.set(field, issue);
  }
  const worded = [...byField].slice(0, SHOWN).map(([field, issue]) => {
    if (locale === "zh-CN" && HAN.test(issue.message)) return issue.message;
    return field ? t("input.field", { field: fieldName(t, issue.path), rule: brokenRule(t, issue) }) : brokenRule(t, issue);
  });
  const more = byField.size > SHOWN ? t("input.more", { n: byField.size - SHOWN }) : "";
  return t("input.invalid", { issues: worded.join(t("input.separator")) }) + more;
}
