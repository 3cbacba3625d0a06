// A refused API input as one sentence in the caller's language (the tRPC error formatter's message): zod's
// own message is a JSON list of issues, English where the schema gave none. The issues themselves stay
// in the error's data (zodError) for forms that put them beside their fields.
import type { ZodError } from "zod";
import { createT, type Locale, type Translator } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";

type Issue = ZodError["issues"][number];

/** At most this many issues are worded; the rest are counted. */
const SHOWN = 3;
const HAN = /\p{Script=Han}/u;

const bound = (origin: string, value: number | bigint) => (origin === "date" ? new Date(Number(value)).toISOString().slice(0, 10) : String(value));

/** What is wrong with one field, from zod's issue code (its own wording is English). */
function rule(t: Translator, issue: Issue): string {
  switch (issue.code) {
    case "too_big": {
      const max = bound(issue.origin, issue.maximum);
      if (issue.origin === "string") return t("input.rule.tooLong", { max });
      if (issue.origin === "array" || issue.origin === "set") return t("input.rule.tooMany", { max });
      return t(issue.inclusive === false ? "input.rule.tooBigExclusive" : "input.rule.tooBig", { max });
    }
    case "too_small": {
      const min = bound(issue.origin, issue.minimum);
      const sized = issue.origin === "string" || issue.origin === "array" || issue.origin === "set";
      if (sized && Number(issue.minimum) <= 1) return t("input.rule.required");
      if (issue.origin === "string") return t("input.rule.tooShort", { min });
      if (sized) return t("input.rule.tooFew", { min });
      return t(issue.inclusive === false ? "input.rule.tooSmallExclusive" : "input.rule.tooSmall", { min });
    }
    case "not_multiple_of":
      return t("input.rule.multipleOf", { n: String(issue.divisor) });
    case "invalid_type":
    case "invalid_format":
    case "invalid_union":
      return t("input.rule.format");
    case "invalid_value":
      return t("input.rule.choice");
    case "unrecognized_keys":
      return t("input.rule.unknownKeys", { keys: issue.keys.join(", ") });
    default:
      return t("input.rule.other");
  }
}

/** The field's name for people ("排序值" for `sort`), by its last named segment; the code's name when none is known. */
function fieldName(t: Translator, path: Issue["path"]): string {
  const named = path.filter((p): p is string => typeof p === "string");
  const last = named[named.length - 1];
  return last === undefined ? path.map(String).join(".") : t.opt(`input.name.${last}`, path.map(String).join("."));
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
    return field ? t("input.field", { field: fieldName(t, issue.path), rule: rule(t, issue) }) : rule(t, issue);
  });
  const more = byField.size > SHOWN ? t("input.more", { n: byField.size - SHOWN }) : "";
  return t("input.invalid", { issues: worded.join(t("input.separator")) }) + more;
}
