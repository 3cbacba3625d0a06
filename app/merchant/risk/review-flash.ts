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
 * commissions and 推三返一 tasks (only the kinds it touched), a rejection's voided ones and, when it froze the account, that too.
 */
export function reviewFlashText(t: Translator, f: ReviewFlash): string {
  const kind = f.decision === "approve" ? "approved" : "rejected";
  const items = [
    f.commissions ? t(`mr.flash.${kind}.commissions`, { n: f.commissions }) : null,
    f.tasks ? t(`mr.flash.${kind}.tasks`, { n: f.tasks }) : null,
  ].filter((s): s is string => s !== null);
  const text = items.length ? t(`mr.flash.${kind}`, { name: f.name, items: items.join(t("mr.flash.sep")) }) : t(`mr.flash.${kind}None`, { name: f.name });
  return f.frozen && f.decision === "reject" ? `${text}${t("mr.flash.frozen")}` : text;
}
