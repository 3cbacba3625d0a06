// The wording of zod's issue codes (its own messages are English, or a schema's Chinese), one set of
// input.rule.* keys for both: the API's refusal sentence (server/api/input-errors.ts, after the field's
// name) and the back office's message beside a field (components/merchant/issue-text.ts).
import type { z } from "zod";
import type { Translator } from "./core";

type Issue = z.core.$ZodIssue;

/** How a bound is shown: the forms pass formatYuan / formatBps for fen and bps fields. */
export type BoundFormat = (value: number) => string;

function shown(origin: string, value: number | bigint, format: BoundFormat | undefined): string {
  if (origin === "date") return new Date(Number(value)).toISOString().slice(0, 10);
  return format ? format(Number(value)) : String(value);
}

/** What is wrong with the value, as a clause ("must be at most 100", "不能大于 100"): after a field's name, or capitalised on its own. */
export function issueRule(t: Translator, issue: Issue, format?: BoundFormat): string {
  switch (issue.code) {
    case "too_big": {
      if (issue.origin === "string") return t("input.rule.tooLong", { max: String(issue.maximum) });
      if (issue.origin === "array" || issue.origin === "set") return t("input.rule.tooMany", { max: String(issue.maximum) });
      const max = shown(issue.origin, issue.maximum, format);
      return t(issue.inclusive === false ? "input.rule.tooBigExclusive" : "input.rule.tooBig", { max });
    }
    case "too_small": {
      const sized = issue.origin === "string" || issue.origin === "array" || issue.origin === "set";
      if (sized && Number(issue.minimum) <= 1) return t("input.rule.required");
      if (issue.origin === "string") return t("input.rule.tooShort", { min: String(issue.minimum) });
      if (sized) return t("input.rule.tooFew", { min: String(issue.minimum) });
      const min = shown(issue.origin, issue.minimum, format);
      return t(issue.inclusive === false ? "input.rule.tooSmallExclusive" : "input.rule.tooSmall", { min });
    }
    case "not_multiple_of":
      return t("input.rule.multipleOf", { n: String(issue.divisor) });
    case "invalid_type":
      return issue.expected === "int" ? t("input.rule.whole") : issue.expected === "number" ? t("input.rule.number") : t("input.rule.format");
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

/** "must not be empty" → "Must not be empty" (a message on its own, beside its field). */
export function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
