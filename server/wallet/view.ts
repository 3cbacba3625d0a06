// How withdrawals and wallet buckets show to shoppers (SPEC §6). Pages and routers take labels from
// here instead of mapping statuses themselves.
import type { WithdrawalStatus } from "../db/generated/enums";
import type { Bucket } from "./ledger";
import { MIN_WITHDRAWAL_FEN, AUTO_APPROVE_MAX_FEN, TWO_APPROVERS_FROM_FEN } from "./withdrawals";

export const WITHDRAWAL_LABEL: Record<WithdrawalStatus, string> = {
  PENDING_REVIEW: "待审核",
  APPROVED: "已批准",
  PAYING: "打款中",
  PAID: "已到账",
  REJECTED: "已驳回",
  FAILED: "失败",
};

/** Tone of a status for display: in progress, done, or returned to available. */
export function withdrawalTone(status: WithdrawalStatus): "progress" | "done" | "returned" {
  if (status === "PAID") return "done";
  if (status === "REJECTED" || status === "FAILED") return "returned";
  return "progress";
}

export const BUCKET_LABEL: Record<Bucket, string> = {
  pending: "待结算",
  available: "可提现",
  withdrawing: "提现中",
  withdrawn: "已提现",
  credit: "购物金",
};

/** The withdrawal rules as a shopper reads them (SPEC §6). */
export const WITHDRAWAL_RULES = {
  minFen: MIN_WITHDRAWAL_FEN,
  autoApproveMaxFen: AUTO_APPROVE_MAX_FEN,
  twoApproversFromFen: TWO_APPROVERS_FROM_FEN,
} as const;

export function withdrawalView(w: { id: number; amountFen: number; feeFen: number; status: WithdrawalStatus; createdAt: Date; decidedAt: Date | null; payoutNo: string | null; failReason: string | null }) {
  return {
    id: w.id,
    payoutNo: w.payoutNo ?? `WD${w.id}`,
    amountFen: w.amountFen,
    feeFen: w.feeFen,
    netFen: w.amountFen - w.feeFen,
    status: w.status,
    label: WITHDRAWAL_LABEL[w.status],
    tone: withdrawalTone(w.status),
    reason: w.status === "REJECTED" || w.status === "FAILED" ? (w.failReason ?? null) : null,
    createdAt: w.createdAt,
    decidedAt: w.decidedAt,
  };
}
