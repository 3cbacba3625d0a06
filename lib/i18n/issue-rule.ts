// The wording of zod's issue codes (its own messages are English, or a schema's Chinese), one set of
// input.rule.* keys for both: the API's refusal sentence (server/api/input-errors.ts, after the field's
// name) and the back office's message beside a field (components/merchant/issue-text.ts); a domain refusal's
// issue words its detail with it (lib/i18n/labels.ts refusalIssueText).
import type { z } from "zod";
import type { Translator } from "./core";

/**
 * What a refused value breaks, without the words: the part of a zod issue its wording needs, small and
 * serialisable so a server refusal can carry it to the page (server/rules RuleIssue.detail); a custom rule
 * names itself in `params.rule` with its parameters (zod's `params`, e.g. { rule: "forbiddenClaims", words }).
 */
export type IssueDetail = {
  code: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  expected?: string;
  divisor?: number | bigint;
  keys?: readonly string[];
  params?: Readonly<Record<string, unknown>>;
};

/** A zod issue's detail (bigints as numbers, so it crosses JSON). */
export function issueDetail(issue: z.core.$ZodIssue): IssueDetail {
  const i = issue as IssueDetail;
  const num = (v: number | bigint | undefined) => (v === undefined ? undefined : Number(v));
  const detail: IssueDetail = { code: i.code, origin: i.origin, minimum: num(i.minimum), maximum: num(i.maximum), inclusive: i.inclusive, expected: i.expected, divisor: num(i.divisor), keys: i.keys, params: i.params };
  return Object.fromEntries(Object.entries(detail).filter(([, v]) => v !== undefined)) as IssueDetail;
}

/** How a bound is shown: the forms pass formatYuan / formatBps for fen and bps fields. */
export type BoundFormat = (value: number) => string;

function shown(origin: string | undefined, value: number | bigint | undefined, format: BoundFormat | undefined): string {
  if (origin === "date") return new Date(Number(value)).toISOString().slice(0, 10);
  return format ? format(Number(value)) : String(value);
}

/** What is wrong with the value, as a clause ("must be at most 100", "不能大于 100"): after a field's name, or capitalised on its own. */
export function issueRule(t: Translator, issue: IssueDetail, format?: BoundFormat): string {
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
      return t("input.rule.unknownKeys", { keys: (issue.keys ?? []).join(", ") });
    default:
      return t("input.rule.other");
  }
}

/** "must not be empty" → "Must not be empty" (a message on its own, beside its field). */
export function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
