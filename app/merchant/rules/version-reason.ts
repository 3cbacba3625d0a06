// A rule version's reason as the history shows it: a person's words as written; the one reason the system
// writes itself (server/rules INITIAL_VERSION_REASON, also the 20261201103951 migration's) in the reader's language.
import type { Translator } from "@/lib/i18n/core";

/** Stored in Chinese on version 1 by the system; history rows stay as written (the server module is not for the browser). */
const INITIAL_VERSION_REASON = "启用规则版本管理前的规则";

export function versionReason(t: Translator, v: { author: string | null; reason: string }): string {
  return v.author === null && v.reason === INITIAL_VERSION_REASON ? t("rules.h.reason.initial") : v.reason;
}
