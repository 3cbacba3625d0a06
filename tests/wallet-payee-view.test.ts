// The wallet's 提现到 block (app/wallet/PayeeSection.tsx), rendered as the browser's first render shows it: where
// withdrawals go, the bound Alipay account masked or the form to bind one, and how to link WeChat; the withdraw
// form stays hidden while the provider has nowhere to pay (the server would refuse PAYEE_MISSING).
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import type { Locale } from "../lib/i18n/core";
import { PayeeSection, payeeReady } from "../app/wallet/PayeeSection";
import { walletErrorText } from "../app/wallet/WalletView";
import { MESSAGES } from "../lib/i18n/messages";
import { PAYOUT_DESTINATION_LABEL } from "../server/wallet/view";
import { renderInProviders } from "./helpers/render";

type Payee = Parameters<typeof PayeeSection>[0]["payee"];
const wechat = (over: Partial<Extract<Payee, { kind: "wechat" }>> = {}): Payee => ({ kind: "wechat", label: "微信零钱", bound: false, signIn: true, phoneMasked: "139****5678", ...over });
const alipay = (account: string | null): Payee => ({ kind: "alipay", label: "支付宝账户", account });

const render = (payee: Payee, realName: string | null = "张*丰", locale: Locale = "zh-CN") =>
  renderInProviders(createElement(PayeeSection, { payee, realName, onBound() {}, errorText: walletErrorText }), locale).html.replaceAll("<!-- -->", "");

describe("提现到", () => {
  it("WeChat without a link: how to get one, naming the phone to prove", () => {
    const html = render(wechat());
    expect(html).toContain("提现到");
    expect(html).toContain("微信零钱");
    expect(html).toContain("请在微信中打开本店并用微信登录（若在微信中已登录，请先在「我的」退出登录），在「绑定手机号」页输入本账号的手机号 139****5678 和短信验证码，即可绑定。");
  });

  it("WeChat where the shop has no WeChat sign-in: customer service; linked: where the money goes", () => {
    expect(render(wechat({ signIn: false }))).toContain("本店暂未开通微信登录，请联系客服");
    expect(render(wechat({ bound: true }))).toContain("已绑定微信，提现打款到本人的微信零钱");
  });

  it("Alipay bound: the account masked and a way to change it, no form until asked", () => {
    const html = render(alipay("138****8000"));
    expect(html).toContain("支付宝账户");
    expect(html).toMatch(/data-testid="payee-account">138\*\*\*\*8000</);
    expect(html).toContain("更换");
    expect(html).not.toContain("<input");
  });

  it("Alipay unbound: the form, saying whose name Alipay checks; before 实名认证 only that it comes first", () => {
    const html = render(alipay(null));
    expect(html).toContain("尚未绑定支付宝账户，绑定后才能提现");
    expect(html).toContain("支付宝按实名认证的姓名 张*丰 核对收款人");
    expect(html).toContain('placeholder="支付宝账号：手机号或邮箱"');
    const unverified = render(alipay(null), null);
    expect(unverified).toContain("完成实名认证后即可绑定支付宝账户");
    expect(unverified).not.toContain("<input");
  });

  it("binding takes an SMS code to the account's own phone: 获取验证码, the code field, then 绑定", () => {
    const html = render(alipay(null));
    expect(html).toContain("为确认是你本人操作，绑定或更换支付宝账户需要发送到本账号手机号的验证码");
    expect(html).toMatch(/<input[^>]*autoComplete="one-time-code"[^>]*placeholder="短信验证码"/i);
    expect(html).toMatch(/data-testid="payee-send-code"[^>]*>获取验证码</);
    expect(html).toContain(">绑定</button>");
    // Before 实名认证 there is nothing to send a code for.
    expect(render(alipay(null), null)).not.toContain("获取验证码");
    expect(render(alipay(null), "Z*", "en")).toMatch(/data-testid="payee-send-code"[^>]*>Get code</);
  });

  it("names each destination as the engine's label does", () => {
    for (const [kind, label] of Object.entries(PAYOUT_DESTINATION_LABEL)) expect(MESSAGES["zh-CN"][`wallet.payee.${kind}` as keyof (typeof MESSAGES)["zh-CN"]]).toBe(label);
  });

  it("speaks English on an English page", () => {
    const html = render(alipay(null), "Z*", "en");
    expect(html).toContain("Withdrawals go to");
    expect(html).toContain("Alipay account");
    expect(render(wechat({ bound: true }), null, "en")).toContain("WeChat Balance");
  });

  it("the withdraw form shows only where the provider can pay (nothing to bind for the sandbox)", () => {
    expect(payeeReady(null)).toBe(true);
    expect(payeeReady(alipay(null))).toBe(false);
    expect(payeeReady(alipay("138****8000"))).toBe(true);
    expect(payeeReady(wechat())).toBe(false);
    expect(payeeReady(wechat({ bound: true }))).toBe(true);
  });
});
