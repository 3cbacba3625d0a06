// A domain schema's refusal (server/**: the catalogue, the simulator's population, the money settings)
// worded beside a back-office field. The schemas write their messages in Chinese: zh-CN shows them as
// they are (the most precise wording); another language words the rule from zod's issue code with the
// API's own wording (lib/i18n/issue-rule.ts, shared with server/api/input-errors.ts).
import type { z } from "@/lib/zod-client";
import type { Translator } from "@/lib/i18n/core";
import { issueRule, upperFirst } from "@/lib/i18n/issue-rule";
import { formatBps, formatYuan } from "@/components/money";

type Issue = z.core.$ZodIssue;

/** What a field's numbers are in: fen (shown in 元) or bps (shown in %); plain numbers otherwise. */
export type IssueUnit = "fen" | "bps";

const HAN = /\p{Script=Han}/u;

/**
 * `unit`: what the field's bounds are in. `wording`: the form's own words for this refusal where zod's code
 * says too little (a custom rule of the schema, a required field), for the languages that do not show the
 * schema's message.
 */
export function issueText(t: Translator, issue: Issue, { unit, wording }: { unit?: IssueUnit; wording?: string } = {}): string {
  if (t.locale === "zh-CN" && HAN.test(issue.message)) return issue.message;
  if (wording !== undefined) return wording;
  return upperFirst(issueRule(t, issue, unit === "fen" ? formatYuan : unit === "bps" ? formatBps : undefined));
}
