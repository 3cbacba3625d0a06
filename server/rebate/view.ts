// How a task or a commission shows to people and in the scenario output (SPEC §5, §8, §10).
import type { RebateStatus, CommissionStatus } from "../db/generated/enums";

export type TaskDisplayStatus = RebateStatus | "ON_HOLD";
export type CommissionDisplayStatus = CommissionStatus | "ON_HOLD";

/** A live task touched by a flagged member (anchor buyer or current invitee) shows ON_HOLD. */
export function taskDisplayStatus(status: RebateStatus, heldParty: boolean): TaskDisplayStatus {
  const live = status === "OPEN" || status === "MET" || status === "CONFIRMED";
  return live && heldParty ? "ON_HOLD" : status;
}

/** The cashback paid or due: the amount once MET (also while held), else 0. */
export function taskAmountFen(task: { status: RebateStatus; cashbackFen: number }): number {
  return task.status === "MET" || task.status === "CONFIRMED" || task.status === "PAID" ? task.cashbackFen : 0;
}

/** An unsettled commission from a flagged buyer's order shows ON_HOLD. */
export function commissionDisplayStatus(status: CommissionStatus, buyerHeld: boolean): CommissionDisplayStatus {
  return (status === "PENDING" || status === "CONFIRMED") && buyerHeld ? "ON_HOLD" : status;
}

export const TASK_LABEL: Record<TaskDisplayStatus, string> = {
  OPEN: "进行中",
  MET: "待确认",
  CONFIRMED: "已确认",
  PAID: "已到账",
  EXPIRED: "已失效",
  VOID: "已失效",
  ON_HOLD: "审核中",
};

export const COMMISSION_LABEL: Record<CommissionDisplayStatus, string> = {
  PENDING: "待确认",
  CONFIRMED: "已确认",
  SETTLED: "已结算",
  VOID: "已作废",
  FORFEITED: "未获得",
  ON_HOLD: "审核中",
};

/** Why a task will not pay, in the shopper's words. */
export function taskEndReason(task: { status: RebateStatus; endReason: string | null; n: number }): string | null {
  if (task.status === "EXPIRED") {
    if (task.endReason === "invitee removed after the deadline") return "截止后有好友退款，未达成邀请人数";
    if (task.endReason === "invitee rejected in risk review after the deadline") return "截止后有好友首单未通过风控审核，未达成邀请人数";
    return `截止前未邀满 ${task.n} 位好友首单`;
  }
  if (task.status === "VOID") {
    if (task.endReason === "anchor order refunded") return "本单已退款，返现任务作废";
    if (task.endReason === "risk review rejected") return "风控审核未通过";
    return "任务已作废";
  }
  return null;
}
