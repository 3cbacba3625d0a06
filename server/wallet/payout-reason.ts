// Why a payout failed, read from the reason the payout adapters store (server/payments/providers: their own Chinese
// text, WeChat 商家转账's fail_reason or error code, Alipay fund.trans.uni.transfer's sub_code; the sandbox's text):
// for staff a case of their own (`PayoutReason`, worded mw.failure.<case> in zh and en, the stored text kept as the
// detail), for the shopper a coarser case in their words (`PayoutFailure`, the wallet and the failure notification).
// No dependencies: the wallet view, the payout result and the back-office queue all read it.

/** The shopper's cases (server/wallet/view.ts PAYOUT_FAILURE_LABEL, notice withdrawal.failed.<case>). */
export type PayoutFailure = "unbound" | "identity" | "limit" | "account" | "unconfirmed" | "lostConfirmation" | "other";

/**
 * The stored provider reason by case, first match wins; anything else, the merchant's side included, is `other`
 * (the merchant's permissions or balance are not the shopper's to fix).
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

/** The shopper's case of a stored failure reason. */
export function payoutFailure(failReason: string | null): PayoutFailure {
  return PAYOUT_FAILURES.find(([, re]) => re.test(failReason ?? ""))?.[0] ?? "other";
}

/** Staff's cases: each worded mw.failure.<case> (zh and en). */
export const PAYOUT_REASONS = [
  "unbound", "unverified", "nameMismatch", "accountNotFound", "accountFrozen", "payeeRejected", "limit",
  "merchantBalance", "merchantPermission", "risk", "unconfirmed", "lostConfirmation", "noTransfer", "other",
] as const;
export type PayoutReason = (typeof PAYOUT_REASONS)[number];

/**
 * Whose move it is before a 重新打款 can succeed: the member's (their payee account: a retry fails again until they
 * fix it), the merchant's (its balance or its transfer permissions), time's (a receiving limit resets), or nobody's known.
 */
export type PayoutReasonSide = "payee" | "merchant" | "later" | null;

const SIDE: Record<PayoutReason, PayoutReasonSide> = {
  unbound: "payee", unverified: "payee", nameMismatch: "payee", accountNotFound: "payee", accountFrozen: "payee", payeeRejected: "payee",
  limit: "later", merchantBalance: "merchant", merchantPermission: "merchant", risk: null, unconfirmed: null, lostConfirmation: null, noTransfer: null, other: null,
};

/**
 * The stored reason by staff's case, first match wins. WeChat's codes (商家转账 fail_reason and the create API's
 * error codes) and Alipay's sub_codes as the adapters store them ("微信转账失败 NAME_NOT_CORRECT",
 * "支付宝转账失败 PAYEE_USER_INFO_ERROR 支付宝账号和姓名不匹配"); the adapters' own Chinese for a payee they cannot pay.
 */
const PAYOUT_REASON_PATTERNS: readonly (readonly [PayoutReason, RegExp])[] = [
  ["unbound", /^未绑定/],
  ["unverified", /^未实名认证|\b(REAL_NAME_CHECK_FAIL|PAYEE_NOT_RELNAME_CERTIFY|PERM_AML_NOT_REALNAME_REV|EXCEED_LIMIT_UNRN_DM_AMOUNT)\b/],
  ["nameMismatch", /\b(NAME_NOT_CORRECT|ID_CARD_NOT_CORRECT|PAYEE_USER_INFO_ERROR|PAYEE_CERT_INFO_ERROR)\b/],
  ["lostConfirmation", /^转账确认信息丢失/],
  // 确认打款失败 (server/wallet/withdrawals.ts confirmPayoutFailed) when the provider holds no transfer under the number.
  ["noTransfer", /^支付渠道无此转账/],
  ["unconfirmed", /^微信转账已撤销|\bOVERDUE_CLOSE\b/],
  ["merchantBalance", /\b(NOT_ENOUGH|PAYER_BALANCE_NOT_ENOUGH|BALANCE_IS_NOT_ENOUGH)\b/],
  ["merchantPermission", /\b(PRODUCT_AUTH_CHECK_FAIL|NO_AUTH|PAYER_ACCOUNT_ABNORMAL|TRANSFER_SCENE_UNAVAILABLE|TRANSFER_SCENE_INVALID|PAYCARD_UNABLE_PAYMENT|PERMIT_[A-Z_]+)\b/],
  ["risk", /\b(TRANSFER_RISK|RISK_[A-Z_]+)\b/],
  ["limit", /\b(TRANSFER_QUOTA_EXCEED|DAY_RECEIVED_QUOTA_EXCEED|MONTH_RECEIVED_QUOTA_EXCEED|DAY_RECEIVED_COUNT_EXCEED|REALNAME_ACCOUNT_RECEIVED_QUOTA_EXCEED|PAYEE_TRUSTEESHIP_ACC_OVER_LIMIT|BLOCK_B2C_[A-Z_]+|EXCEED_LIMIT_[A-Z_]+)\b/],
  ["accountNotFound", /\b(ACCOUNT_NOT_EXIST|OPENID_INVALID|PAYEE_NOT_EXIST|PAYEE_ACCOUNT_NOT_EXSIT|PAYEE_ACCOUNT_NOT_EXIST)\b/],
  ["accountFrozen", /\b(ACCOUNT_FROZEN|PAYEE_ACCOUNT_STATUS_ERROR|PAYEE_ACCOUNT_ABNORMAL|RECEIVE_ACCOUNT_NOT_PERMMIT|PAYEE_USERINFO_STATUS_ERROR)\b/],
  // Any other payee code, and the sandbox's refusal of its test payee (server/payments/sandbox.ts).
  ["payeeRejected", /\bPAYEE_[A-Z_]+\b|^sandbox: payee account rejected/],
];

/**
 * A failed payout's reason for staff: its case (`other` when no known code is in it), whose move a retry waits for,
 * and the provider's own text, kept for support (shown as the detail, never instead of the case).
 */
export function payoutReasonOf(failReason: string | null): { code: PayoutReason; side: PayoutReasonSide; raw: string | null } {
  const code = PAYOUT_REASON_PATTERNS.find(([, re]) => re.test(failReason ?? ""))?.[0] ?? "other";
  return { code, side: SIDE[code], raw: failReason };
}
