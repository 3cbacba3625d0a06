// How withdrawals and wallet buckets show to shoppers (SPEC §6). Pages and routers take labels from
// here instead of mapping statuses themselves.
import type { Db, Tx } from "../db";
import type { WithdrawalStatus } from "../db/generated/enums";
import type { Bucket } from "./ledger";
import { MIN_WITHDRAWAL_FEN, AUTO_APPROVE_MAX_FEN, TWO_APPROVERS_FROM_FEN } from "./withdrawals";
import { payeePlatformOf } from "./payee";
import { payoutProviderName } from "../payments/registry";
import { wechatOAuthConfigFromEnv } from "../wechat/oauth";

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
const maskPlatformId = (id: string) => `${id.slice(0, 4)}****${id.slice(-4)}`;

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
export const PAYOUT_FAILURE_LABEL = {
  unbound: "未绑定收款账户，款项已退回可提现余额",
  identity: "收款账户实名校验未通过，款项已退回可提现余额",
  limit: "超出收款账户的收款限额，款项已退回可提现余额",
  account: "收款账户异常，款项已退回可提现余额",
  unconfirmed: "未在 24 小时内确认收款，款项已退回可提现余额",
  lostConfirmation: "转账确认信息已失效，款项已退回可提现余额，请重新申请提现",
  other: "打款未成功，款项已退回可提现余额",
} as const;
export type PayoutFailure = keyof typeof PAYOUT_FAILURE_LABEL;

/**
 * The stored provider reason (server/payments/providers: 未绑定…, WeChat's transfer fail_reason, Alipay's
 * sub_code) by case, first match wins; anything else, the merchant's side included, is `other`.
 */
const PAYOUT_FAILURES: readonly (readonly [PayoutFailure, RegExp])[] = [
  ["unbound", /^未绑定/],
  // server/payments/calls.ts LOST_CONFIRMATION_REASON; WeChat's own cancel of a bill left unconfirmed for 24 hours.
  ["lostConfirmation", /^转账确认信息丢失/],
  ["unconfirmed", /^微信转账已撤销/],
  ["identity", /\b(NAME_NOT_CORRECT|REAL_NAME_CHECK_FAIL|ID_CARD_NOT_CORRECT|PAYEE_USER_INFO_ERROR|PAYEE_CERT_INFO_ERROR|PAYEE_NOT_RELNAME_CERTIFY|EXCEED_LIMIT_UNRN_DM_AMOUNT)\b/],
  ["limit", /\b(TRANSFER_QUOTA_EXCEED|DAY_RECEIVED_QUOTA_EXCEED|MONTH_RECEIVED_QUOTA_EXCEED|DAY_RECEIVED_COUNT_EXCEED|REALNAME_ACCOUNT_RECEIVED_QUOTA_EXCEED|PAYEE_TRUSTEESHIP_ACC_OVER_LIMIT)\b/],
  ["account", /\b(ACCOUNT_FROZEN|ACCOUNT_NOT_EXIST|OPENID_INVALID|PAYEE_ACCOUNT_ABNORMAL|RECEIVE_ACCOUNT_NOT_PERMMIT|CARD_BIN_ERROR|PAYEE_[A-Z_]+)\b/],
];

export function payoutFailure(failReason: string | null): PayoutFailure {
  return PAYOUT_FAILURES.find(([, re]) => re.test(failReason ?? ""))?.[0] ?? "other";
}

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
