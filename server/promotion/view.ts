// How the promotion centre shows things that are not a task's or commission's own status (those are
// in ../rebate/view): the 推三返一 pipeline, an invitee's first order, team depths and the offer text.
import type { OrderStatus, RebateStatus } from "../db/generated/enums";
import { TASK_LABEL, type TaskDisplayStatus } from "../rebate/view";
import { createT } from "@/lib/i18n/core";
import { promoteOfferText } from "@/lib/i18n/labels";
import { zhCN } from "@/lib/i18n/messages/zh-CN";

const ZH = createT("zh-CN", zhCN);

/** 进行中 → 待确认 → 已确认 → 已到账 (SPEC §5). */
export const TASK_PIPELINE: { status: RebateStatus; label: string }[] = (["OPEN", "MET", "CONFIRMED", "PAID"] as const).map((s) => ({ status: s, label: TASK_LABEL[s] }));

/** Index of the pipeline step a task has reached; -1 for a task that will not pay (已失效) or is held. */
export function taskPipelineStep(status: TaskDisplayStatus): number {
  return TASK_PIPELINE.findIndex((p) => p.status === status);
}

/** An invitee's first order, as the sharer sees it: it counts once it is paid and becomes final when completed. */
export const INVITEE_ORDER_LABEL: Record<OrderStatus, string> = {
  PENDING_PAYMENT: "待付款",
  PAID: "已付款",
  SHIPPED: "已发货",
  DELIVERED: "已收货",
  COMPLETED: "已完成",
  CANCELLED: "已取消",
  REFUNDED: "已退款",
};

/** 直推 / 间推 / 再推, then 第 N 级. */
export function depthLabel(depth: number): string {
  return depth === 1 ? "直推" : depth === 2 ? "间推" : depth === 3 ? "再推" : `第 ${depth} 级`;
}

/** The 推三返一 offer in one line, from the configured campaign: the promotion centre's Chinese text (cap, payout and minimum included). */
export function rebateOfferText(r: Parameters<typeof promoteOfferText>[1]): string {
  return promoteOfferText(ZH, r);
}

