// How withdrawals and wallet buckets show to shoppers (SPEC §6). Pages and routers take labels from
// here instead of mapping statuses themselves.
import type { Db, Tx } from "../db";
import type { WithdrawalStatus } from "../db/generated/enums";
import type { Bucket } from "./ledger";
import { MIN_WITHDRAWAL_FEN, AUTO_APPROVE_MAX_FEN, TWO_APPROVERS_FROM_FEN } from "./withdrawals";
import { payeePlatformOf } from "./payee";
import { payoutProviderName } from "../payments/registry";
import { wechatOAuthConfigFromEnv } from "../wechat/oauth";
import { payoutFailure, type PayoutFailure } from "./payout-reason";

export const WITHDRAWAL_LABEL: Record<WithdrawalStatus, string> = {
  PENDING_REVIEW: "待审核",
  APPROVED: "已批准",
  PAYING: "打款中",
  PAID: "已到账",
  REJECTED: "已驳回",
  FAILED: "打款失败",
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

export const PAYOUT_DESTINATION_LABEL = { wechat: "微信零钱", alipay: "支付宝账户" } as const;

/** An Alipay user id or open id (set up outside the wallet) shown like a login: its ends only. */
export const maskPlatformId = (id: string) => `${id.slice(0, 4)}****${id.slice(-4)}`;

/**
 * Where the member's withdrawals go, by the payout provider: Alipay with the bound account masked (null: none
 * bound yet), WeChat with whether an openid is linked and how to link one; null for the sandbox.
 */
export async function payoutDestination(db: Tx | Db, memberId: number, providerName = payoutProviderName()) {
  const payee = payeePlatformOf(providerName);
  if (payee?.platform === "alipay") {
    const a = await db.externalAccount.findUnique({ where: { memberId_platform_appId: { memberId, ...payee } }, select: { subject: true, subjectMasked: true } });
    return { kind: "alipay" as const, label: PAYOUT_DESTINATION_LABEL.alipay, account: a ? (a.subjectMasked ?? maskPlatformId(a.subject)) : null };
  }
  if (payee?.platform === "wechat") {
    const [a, m] = await Promise.all([
      db.externalAccount.findUnique({ where: { memberId_platform_appId: { memberId, ...payee } }, select: { id: true } }),
      db.member.findUniqueOrThrow({ where: { id: memberId }, select: { phoneMasked: true } }),
    ]);
    // The openid is linked by WeChat sign-in (WECHAT_LOGIN) once the shopper proves this account's phone by SMS.
    return { kind: "wechat" as const, label: PAYOUT_DESTINATION_LABEL.wechat, bound: Boolean(a), signIn: Boolean(wechatOAuthConfigFromEnv()), phoneMasked: m.phoneMasked };
  }
  return null;
}

/** Why a payout failed, in the shopper's words: the provider's own text (its codes, its account names) is for staff. */
export const PAYOUT_FAILURE_LABEL: Record<PayoutFailure, string> = {
  unbound: "未绑定收款账户，款项已退回可提现余额",
  identity: "收款账户实名校验未通过，款项已退回可提现余额",
  limit: "超出收款账户的收款限额，款项已退回可提现余额",
  account: "收款账户异常，款项已退回可提现余额",
  unconfirmed: "未在 24 小时内确认收款，款项已退回可提现余额",
  lostConfirmation: "转账确认信息已失效，款项已退回可提现余额，请重新申请提现",
  other: "打款未成功，款项已退回可提现余额",
};
// The stored provider reason by case: server/wallet/payout-reason.ts (the failure notification reads it too).
export { payoutFailure, type PayoutFailure } from "./payout-reason";

/** The shopper's 确认收款 in WeChat (wx.requestMerchantTransfer): only while their own payout waits for it. */
function payeeConfirmation(w: { status: WithdrawalStatus; confirmParams?: unknown; confirmIssuedAt?: Date | null }) {
  const p = w.confirmParams as { mchId?: unknown; appId?: unknown; package?: unknown } | null | undefined;
  if (w.status !== "PAYING" || !p || typeof p.package !== "string" || typeof p.mchId !== "string" || typeof p.appId !== "string") return null;
  return { mchId: p.mchId, appId: p.appId, package: p.package, issuedAt: w.confirmIssuedAt ?? null };
}

export function withdrawalView(w: {
  id: number; amountFen: number; feeFen: number; status: WithdrawalStatus; createdAt: Date; decidedAt: Date | null; payoutNo: string | null; failReason: string | null;
  confirmParams?: unknown; confirmIssuedAt?: Date | null;
}) {
  const failure = w.status === "FAILED" ? payoutFailure(w.failReason) : null;
  return {
    id: w.id,
    payoutNo: w.payoutNo ?? `WD${w.id}`,
    amountFen: w.amountFen,
    feeFen: w.feeFen,
    netFen: w.amountFen - w.feeFen,
    status: w.status,
    label: WITHDRAWAL_LABEL[w.status],
    tone: withdrawalTone(w.status),
    // A rejection's reason is the reviewer's note to the shopper; a failed payout's is worded by `failure`.
    reason: failure ? PAYOUT_FAILURE_LABEL[failure] : w.status === "REJECTED" ? w.failReason : null,
    failure,
    createdAt: w.createdAt,
    decidedAt: w.decidedAt,
    confirm: payeeConfirmation(w),
  };
}
