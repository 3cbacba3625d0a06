// How the rules page words a refusal of the server (server/rules saveRuleVersion): the refusals of settings are
// marked in red beside their fields; a refusal of the rules as a whole (no path) has nothing to mark.
import type { Translator } from "@/lib/i18n/core";
import { refusalIssueText, type RefusalIssue } from "@/lib/i18n/labels";

/** The line under the form: the red-marking request when settings were refused (with any whole-rules
 * reason after it); a whole-rules reason alone as it is; a save that changes nothing as a notice. */
export function refusalNotice(t: Translator, issues: readonly RefusalIssue[]): { text: string; info: boolean } {
  const whole = issues.filter((i) => i.path === "").map((i) => refusalIssueText(t, i));
  if (whole.length === issues.length) {
    // A save that changes nothing (code "unchanged", server/rules saveRuleVersion) is not an error to correct.
    return issues.every((i) => i.code === "unchanged") ? { text: t("rules.unchanged"), info: true } : { text: t("rules.refusedWhole", { reason: whole.join(t("input.separator")) }), info: false };
  }
  return { text: whole.length ? `${t("rules.refused")}${t("input.colon")}${whole.join(t("input.separator"))}` : t("rules.refused"), info: false };
}
