// A failed payout's reason as staff read it (server/wallet/payout-reason.ts): the provider's code → a case worded in
// zh and en, whose move a 重新打款 waits for; an unknown reason → `other`, the provider's text kept as the detail.
import { describe, expect, it } from "vitest";
import { payoutReasonOf, PAYOUT_REASONS } from "../server/wallet/payout-reason";
import { zhCN } from "../lib/i18n/messages/zh-CN";
import { en } from "../lib/i18n/messages/en";

describe("payoutReasonOf", () => {
  // The reasons as server/payments/providers store them: their own Chinese, WeChat's fail_reason / error code, Alipay's sub_code.
  const cases: [string, string, string | null][] = [
    ["未绑定微信，无法转账到零钱", "unbound", "payee"],
    ["未绑定支付宝账户，无法转账", "unbound", "payee"],
    ["未实名认证，无法转账到支付宝登录账号", "unverified", "payee"],
    ["微信转账失败 REAL_NAME_CHECK_FAIL", "unverified", "payee"],
    ["微信转账失败 NAME_NOT_CORRECT", "nameMismatch", "payee"],
    ["支付宝转账失败 PAYEE_USER_INFO_ERROR 支付宝账号和姓名不匹配", "nameMismatch", "payee"],
    ["微信转账失败 ACCOUNT_NOT_EXIST", "accountNotFound", "payee"],
    ["支付宝转账失败 PAYEE_NOT_EXIST 收款账号不存在", "accountNotFound", "payee"],
    ["微信转账失败 OPENID_INVALID", "accountNotFound", "payee"],
    ["微信转账失败 ACCOUNT_FROZEN", "accountFrozen", "payee"],
    ["支付宝转账失败 PAYEE_ACCOUNT_STATUS_ERROR 收款方账户状态异常", "accountFrozen", "payee"],
    ["支付宝转账失败 PAYEE_ACC_OCUPIED 该手机号对应多个支付宝账户", "payeeRejected", "payee"],
    ["sandbox: payee account rejected", "payeeRejected", "payee"],
    ["微信转账失败 DAY_RECEIVED_QUOTA_EXCEED", "limit", "later"],
    ["支付宝转账失败 EXCEED_LIMIT_PERSONAL_SM_AMOUNT 转账给个人支付宝账户单笔最多5万元", "limit", "later"],
    ["微信转账失败 NOT_ENOUGH 资金不足", "merchantBalance", "merchant"],
    ["支付宝转账失败 PAYER_BALANCE_NOT_ENOUGH 余额不足", "merchantBalance", "merchant"],
    ["微信转账失败 PRODUCT_AUTH_CHECK_FAIL", "merchantPermission", "merchant"],
    ["微信转账失败 TRANSFER_RISK", "risk", null],
    ["微信转账已撤销 CANCELLED", "unconfirmed", null],
    ["转账确认信息丢失，已撤销，请重新申请提现", "lostConfirmation", null],
    ["支付宝转账失败 PAYER_PAYEE_CANNOT_SAME 收付款方不能相同", "other", null],
    ["支付渠道无此转账，财务已确认打款失败，款项已退回可提现余额", "noTransfer", null],
    ["微信转账失败 SOMETHING_NEW 新的原因", "other", null],
  ];
  it.each(cases)("%s → %s", (raw, code, side) => {
    expect(payoutReasonOf(raw)).toEqual({ code, side, raw });
  });

  it("keeps no reason as none", () => {
    expect(payoutReasonOf(null)).toEqual({ code: "other", side: null, raw: null });
  });

  it("words every case in zh and en", () => {
    const zh = zhCN as Record<string, string>;
    const english = en as Record<string, string>;
    expect(zh["mw.failure.nameMismatch"]).toBe("收款人姓名与收款账户实名不符");
    expect(english["mw.failure.nameMismatch"]).toBe("Payee name does not match the account's real name");
    for (const code of PAYOUT_REASONS) {
      expect(zh[`mw.failure.${code}`], code).toBeTruthy();
      expect(english[`mw.failure.${code}`], code).toBeTruthy();
    }
  });
});
