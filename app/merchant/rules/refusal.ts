// How the rules page words a refusal of the server (server/rules saveRuleVersion): the refusals of settings are
// marked in red beside their fields; a refusal of the rules as a whole (no path) has nothing to mark.
import type { Translator } from "@/lib/i18n/core";

/** The engine's refusal of a save that changes nothing (server/rules saveRuleVersion): not an error to correct. */
const UNCHANGED = "规则没有变化";

/** The line under the form: the red-marking request when settings were refused (with any whole-rules
 * reason after it); a whole-rules reason alone as it is; a save that changes nothing as a notice. */
export function refusalNotice(t: Translator, issues: readonly { path: string; message: string }[]): { text: string; info: boolean } {
  const whole = issues.filter((i) => i.path === "").map((i) => i.message);
  if (whole.length === issues.length) {
    return whole.every((m) => m === UNCHANGED) ? { text: t("rules.unchanged"), info: true } : { text: t("rules.refusedWhole", { reason: whole.join("；") }), info: false };
  }
  return { text: whole.length ? `${t("rules.refused")}：${whole.join("；")}` : t("rules.refused"), info: false };
}

