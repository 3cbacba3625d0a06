// What the case page's decision did, told once on the queue it returns to (RiskCase → RiskQueueClient). Kept in this
// module, not in the URL or in storage: a client navigation keeps it, a reload or a later visit to the queue shows none.
import type { Translator } from "@/lib/i18n/core";

export type ReviewFlash = { decision: "approve" | "reject"; name: string; commissions: number; tasks: number; frozen: boolean };

let pending: ReviewFlash | null = null;

export function setReviewFlash(f: ReviewFlash): void {
  pending = f;
}

/** The decision to tell, left in place: the queue reads it when it mounts, then clears it (clearReviewFlash). */
export function peekReviewFlash(): ReviewFlash | null {
  return pending;
}

export function clearReviewFlash(): void {
  pending = null;
}

/**
 * The confirmation in words: who was decided and what it did to the money their review held — an approval's released
 * commissions and 推三返一 tasks, a rejection's voided ones and, when it froze the account, that too.
 */
export function reviewFlashText(t: Translator, f: ReviewFlash): string {
  const vars = { name: f.name, commissions: f.commissions, tasks: f.tasks };
  if (f.decision === "approve") return t(f.commissions || f.tasks ? "mr.flash.approved" : "mr.flash.approvedNone", vars);
  const text = t(f.commissions || f.tasks ? "mr.flash.rejected" : "mr.flash.rejectedNone", vars);
  return f.frozen ? `${text}${t("mr.flash.frozen")}` : text;
}
