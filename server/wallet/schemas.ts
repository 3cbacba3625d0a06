// Zod schemas of the money forms (issue 9), shared by the back-office forms (client bundles: no
// database or node imports here) and the tRPC inputs.
import { z } from "@/lib/zod-client";
import { text } from "@/server/validation";

/**
 * SPEC §6: `pending` is exactly the unsettled commissions and cashback, `withdrawing` mirrors payouts in
 * flight and `withdrawn` is history: the engine alone moves them, so none is corrected by hand.
 */
export const ADJUSTABLE_BUCKETS = ["available", "credit"] as const;
export const NOT_ADJUSTABLE_MESSAGE = "只能调整可提现余额或购物金：待结算、提现中、已提现由系统按佣金、返现和提现记账，不能手工调整";
export const ADJUSTMENT_STATUSES = ["PENDING_APPROVAL", "APPLIED", "REJECTED"] as const;
const MAX_ADJUSTMENT_FEN = 100_000_000; // 100 万元 per adjustment

/** The fields of a manual adjustment as finance fills them in (amount signed, in fen). */
export const adjustmentFieldsSchema = z.strictObject({
  member: text(40).trim().min(1, "请填写会员手机号或 ID"),
  bucket: z.enum(ADJUSTABLE_BUCKETS, { error: NOT_ADJUSTABLE_MESSAGE }),
  amountFen: z.number().int().min(-MAX_ADJUSTMENT_FEN).max(MAX_ADJUSTMENT_FEN).refine((v) => v !== 0, "金额不能为 0"),
  reason: text(200).trim().min(2, "请填写调账原因"),
});

/**
 * A manual adjustment request: the fields and the dialog's key for this one submission
 * (app/merchant/adjustments), which makes a resent request return the adjustment it made.
 */
export const adjustmentRequestSchema = adjustmentFieldsSchema.extend({
  requestKey: text(32).regex(/^[0-9a-f]{32}$/, "调账页面已过期，请刷新后重试"),
});
export type AdjustmentRequest = z.infer<typeof adjustmentRequestSchema>;

/** A new adjustment requestKey: 128 random bits in hex (getRandomValues, unlike randomUUID, also works on a plain-http page). */
export const newAdjustmentRequestKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

export const adjustmentFilterSchema = z.object({
  status: z.enum(ADJUSTMENT_STATUSES).optional(),
  member: text(40).trim().optional(),
});
export type AdjustmentFilter = z.infer<typeof adjustmentFilterSchema>;

/** The withdrawal fee and the two-person threshold (money in fen). */
export const moneySettingsSchema = z.strictObject({
  feeBps: z.number().int().min(0).max(10000),
  feeMinFen: z.number().int().min(0).max(9_999),
  adjustmentApprovalAboveFen: z.number().int().min(0).max(100_000_000),
});
export type MoneySettings = z.infer<typeof moneySettingsSchema>;

/**
 * 提现 (shopper): the amount, the fee the shopper was shown, and the form's key for this one intended
 * withdrawal (app/wallet/WalletView.tsx), which makes a resent request return the withdrawal it made.
 */
export const withdrawalRequestSchema = z.strictObject({
  amountFen: z.number().int().positive().max(2_000_000_000),
  expectedFeeFen: z.number().int().min(0).max(2_000_000_000).optional(),
  requestKey: text(32).regex(/^[0-9a-f]{32}$/, "提现页面已过期，请刷新后重试"),
});

export const ALIPAY_ACCOUNT_REQUIRED = "请填写支付宝账号";
export const ALIPAY_ACCOUNT_INVALID = "请填写支付宝登录账号：11 位手机号或邮箱地址";
const EMAIL_RE = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;

/**
 * An Alipay login (支付宝登录账号) as typed → the form Alipay knows it by: a mainland mobile number without
 * spaces, dashes or +86, or an e-mail address; null for anything else.
 */
export function normaliseAlipayLogon(raw: string): string | null {
  const s = raw.trim();
  if (s.includes("@")) return s.length <= 100 && EMAIL_RE.test(s) ? s : null;
  const phone = s.replace(/[\s-]/g, "").replace(/^(\+86|0086)/, "");
  return /^1[3-9]\d{9}$/.test(phone) ? phone : null;
}

export const PAYEE_CODE_INVALID = "请输入 6 位数字验证码";

/** 绑定支付宝 (shopper): the payee account of withdrawals paid by Alipay, and the SMS code sent to the account's phone. */
export const alipayAccountSchema = z.strictObject({
  account: text(100).trim().min(1, ALIPAY_ACCOUNT_REQUIRED).refine((v) => normaliseAlipayLogon(v) !== null, ALIPAY_ACCOUNT_INVALID),
  code: text(6).regex(/^\d{6}$/, PAYEE_CODE_INVALID),
});
