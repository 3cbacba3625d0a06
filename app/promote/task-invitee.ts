// An invitee on a 推三返一 task card. One taken off the task (its first order refunded, or a review's outcome) is still
// listed, saying it does not count, so a lost count is not a silent drop; the task's x/n counts only the others.
import type { Translator } from "@/lib/i18n/core";

export function taskInviteeLine(
  t: Translator,
  inv: { name: string; orderStatus: string | null; removed: boolean; removedReason: "refunded" | "notCounted" | null },
): { text: string; removed: boolean } {
  if (inv.removed) return { text: t("promote.tasks.inviteeRemoved", { name: inv.name, reason: t(`promote.tasks.removed.${inv.removedReason ?? "notCounted"}`) }), removed: true };
  return { text: t("promote.tasks.invitee", { name: inv.name, status: inv.orderStatus ? t.opt(`inviteeOrder.${inv.orderStatus}`, inv.orderStatus) : "" }), removed: false };
}
