// A domain schema's refusal (server/**: the catalogue, the simulator's population, the money settings)
// worded beside a back-office field. The schemas write their messages in Chinese: zh-CN shows them as
// they are (the most precise wording); another language words the rule from zod's issue code, as the
// API's refusals are worded (server/api/input-errors.ts).
import type { z } from "@/lib/zod-client";
import type { Translator } from "@/lib/i18n/core";
import { formatBps, formatYuan } from "@/components/money";

type Issue = z.core.$ZodIssue;

/** What a field's numbers are in: fen (shown in 元) or bps (shown in %); plain numbers otherwise. */
export type IssueUnit = "fen" | "bps";

const HAN = /\p{Script=Han}/u;

function bound(value: number | bigint, unit: IssueUnit | undefined): string {
  const n = Number(value);
  return unit === "fen" ? formatYuan(n) : unit === "bps" ? formatBps(n) : String(n);
}

/**
 * `unit`: what the field's bounds are in. `wording`: the form's own words for this refusal where zod's code
 * says too little (a custom rule of the schema, a required field), for the languages that do not show the
 * schema's message.
 */
export function issueText(t: Translator, issue: Issue, { unit, wording }: { unit?: IssueUnit; wording?: string } = {}): string {
  if (t.locale === "zh-CN" && HAN.test(issue.message)) return issue.message;
  if (wording !== undefined) return wording;
  switch (issue.code) {
    case "too_small": {
      const sized = issue.origin === "string" || issue.origin === "array" || issue.origin === "set";
      if (sized && Number(issue.minimum) <= 1) return t("m.issue.required");
      if (issue.origin === "string") return t("m.issue.tooShort", { min: Number(issue.minimum) });
      if (sized) return t("m.issue.tooFew", { min: Number(issue.minimum) });
      return t(issue.inclusive === false ? "m.issue.tooSmallExclusive" : "m.issue.tooSmall", { min: bound(issue.minimum, unit) });
    }
    case "too_big": {
      if (issue.origin === "string") return t("m.issue.tooLong", { max: Number(issue.maximum) });
      if (issue.origin === "array" || issue.origin === "set") return t("m.issue.tooMany", { max: Number(issue.maximum) });
      return t(issue.inclusive === false ? "m.issue.tooBigExclusive" : "m.issue.tooBig", { max: bound(issue.maximum, unit) });
    }
    case "invalid_type":
      return issue.expected === "int" ? t("m.issue.whole") : issue.expected === "number" ? t("m.issue.number") : t("m.issue.format");
    case "invalid_format":
    case "invalid_union":
    case "invalid_value":
      return t("m.issue.format");
    default:
      return t("m.issue.other");
  }
}
