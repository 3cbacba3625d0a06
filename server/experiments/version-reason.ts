// What an experiment writes into the rules' version history, and how the history reads it back in the
// reader's language. Pure, shared by client and server (like verdict-text.ts).
//
// The promoted version's reason is stored as one Chinese sentence (the audit log and its CSV show it as
// stored): promotedReason builds it and promotedReasonParts takes it apart again, so the history words it
// in the reader's language from its parts (experiment name, the merchant's own reason). Rows saved before
// this module were written by the same template, so they read the same way.
import type { Translator } from "@/lib/i18n/core";
import type { StaffRole } from "@/server/staff/roles";

/** RuleVersion.reason's limit (server/rules MAX_REASON_CHARS), in code points. */
const MAX_REASON_CHARS = 200;
const PREFIX = "实验「";
const MIDDLE = "」结束，采用 B 组规则：";

/** The stored reason of the version an experiment ending with B saves, cut by code points (a UTF-16 cut could split an emoji). */
export function promotedReason(name: string, reason: string): string {
  return Array.from(`${PREFIX}${name}${MIDDLE}${reason}`).slice(0, MAX_REASON_CHARS).join("");
}

/** The parts of a reason promotedReason wrote, or null for any other reason (a person's own words). */
export function promotedReasonParts(stored: string): { name: string; reason: string } | null {
  if (!stored.startsWith(PREFIX)) return null;
  // The first separator after the prefix: a name ends there (names are at most 40 characters, so the cut never reaches it).
  const at = stored.indexOf(MIDDLE, PREFIX.length);
  if (at < 0) return null;
  return { name: stored.slice(PREFIX.length, at), reason: stored.slice(at + MIDDLE.length) };
}

/** A version's reason in the reader's language when an experiment wrote it; null when a person did (shown as written). */
export function promotedReasonText(t: Translator, stored: string): string | null {
  const parts = promotedReasonParts(stored);
  return parts ? t("exp.versionReason", parts) : null;
}

/** The roles' Chinese names (lib/i18n/messages/merchant.zh-CN.ts m.role.*; tests/experiment-version-text.test.ts checks they agree). */
export const ROLE_BY_CHINESE_NAME: Readonly<Record<string, StaffRole>> = { 店主: "owner", 运营: "operator", 财务: "finance", 风控: "risk", 客服: "support" };

/**
 * A version's author as the history shows it ("<display name> (<username>)", server/rules listRuleVersions):
 * an account named after its role (the seeded 店主) is named by the role in the reader's language; a
 * person's own name and the username stay as they are.
 */
export function versionAuthorText(t: Translator, author: string): string {
  const m = /^(.*) (\([^()]*\))$/s.exec(author);
  const name = m ? m[1]! : author;
  const role = Object.hasOwn(ROLE_BY_CHINESE_NAME, name) ? ROLE_BY_CHINESE_NAME[name]! : null;
  if (role === null) return author;
  return m ? `${t(`m.role.${role}`)} ${m[2]}` : t(`m.role.${role}`);
}
