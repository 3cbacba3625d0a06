// The 通过 and 重新打款 dialogs of the withdrawal queue (app/merchant/withdrawals/WithdrawalsClient.tsx), rendered in zh
// and en: 通过 names where the money goes (channel, masked account, masked verified name, identity status); 重新打款
// shows why the last payout failed and, when the payee's account caused it, that a retry will likely fail again.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MESSAGES } from "@/lib/i18n/messages";
import { I18nProvider } from "@/lib/i18n/client";
import { ApproveSummary, RetrySummary } from "@/app/merchant/withdrawals/WithdrawalsClient";

type Row = Parameters<typeof ApproveSummary>[0]["row"];

const base = {
  id: 7, payoutNo: "WD7", memberId: 12, amountFen: 300_000, feeFen: 300, netFen: 299_700, status: "PENDING_REVIEW", approvedCount: 0, approvalsNeeded: 1,
  member: { id: 12, username: "u12", nickname: "周姐", phoneMasked: "138****5678", frozen: false, realNameMasked: "周*云", verifiedAt: new Date() },
  payee: { channel: "alipay", account: "138****5678", realNameMasked: "周*云", verified: true },
  failure: null,
} as unknown as Row;

const text = (locale: "zh-CN" | "en", el: ReturnType<typeof createElement>) =>
  renderToStaticMarkup(createElement(I18nProvider, { locale, messages: MESSAGES[locale], children: el })).replace(/<[^>]+>/g, "|").replace(/\|+/g, "|").replace(/&#x27;/g, "'");

describe("the 通过 dialog", () => {
  it("names the payout account and the verified name, masked", () => {
    expect(text("zh-CN", createElement(ApproveSummary, { row: base }))).toContain("|收款账户|支付宝|138****5678|实名|周*云|已实名认证|");
    expect(text("en", createElement(ApproveSummary, { row: base }))).toContain("|Payout account|Alipay|138****5678|Real name|周*云|Identity verified|");
  });

  it("says when no account is bound, and when the identity is not verified", () => {
    const row = { ...base, payee: { channel: "wechat", account: null, realNameMasked: null, verified: false } } as unknown as Row;
    expect(text("zh-CN", createElement(ApproveSummary, { row }))).toContain("|收款账户|微信零钱|未绑定（打款将失败）|实名|未实名认证|");
  });
});

describe("the 重新打款 dialog", () => {
  it("shows the failure's case and warns when the payee's account caused it", () => {
    const row = { ...base, status: "FAILED", failure: { code: "nameMismatch", side: "payee", raw: "微信转账失败 NAME_NOT_CORRECT" } } as unknown as Row;
    const zh = text("zh-CN", createElement(RetrySummary, { row }));
    expect(zh).toContain("|失败原因：|收款人姓名与收款账户实名不符|");
    expect(zh).toContain("会员修正收款账户（实名、账号）之前，重新打款很可能再次失败");
    // The provider's own text is the detail (tooltip), for support.
    expect(renderToStaticMarkup(createElement(I18nProvider, { locale: "zh-CN", messages: MESSAGES["zh-CN"], children: createElement(RetrySummary, { row }) }))).toContain('title="支付渠道原文：微信转账失败 NAME_NOT_CORRECT"');
    expect(text("en", createElement(RetrySummary, { row }))).toContain("|Failure reason:|Payee name does not match the account's real name|");
    expect(text("en", createElement(RetrySummary, { row }))).toContain("a retry will most likely fail again");
  });

  it("gives no warning when nobody's move is known", () => {
    const row = { ...base, status: "FAILED", failure: { code: "other", side: null, raw: "支付宝转账失败 PAYER_PAYEE_CANNOT_SAME" } } as unknown as Row;
    const zh = text("zh-CN", createElement(RetrySummary, { row }));
    expect(zh).toContain("|失败原因：|打款失败（渠道原因见详情）|");
    expect(zh).not.toContain("很可能再次失败");
  });
});
