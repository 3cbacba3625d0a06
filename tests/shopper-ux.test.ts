// Shopper-facing wording and states (UX review, s8): wallet refusals in English and the sign of each
// history row, the leaderboard's one empty message, the landing page's next step for a member, the
// address form's required fields, checkout's empty cart and missing address, the login fields' labels.
// Components render with react-dom/server inside the providers they need (no request is made).
import { readFileSync } from "node:fs";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { createT, type Locale } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { errorText } from "../lib/i18n/labels";
import { renderInProviders } from "./helpers/render";
import { formatYuan } from "../components/money";
import { MIN_WITHDRAWAL_FEN } from "../server/wallet/withdrawals";
import { WalletView, walletErrorText } from "../app/wallet/WalletView";
import { BUCKET_LABEL, WITHDRAWAL_RULES } from "../server/wallet/view";
import { historyDirection, signedYuan } from "../app/wallet/direction";
import { LeaderboardBlock } from "../app/promote/DistributionSection";
import { InviteActions, InviteSteps } from "../app/r/[code]/InviteActions";
import { ADDRESS_LIMITS } from "../server/members/address-limits";
import { validateAddress } from "../server/members/addresses";
import { addressFormSchema } from "../components/address/address-form-schema";
import { RegionPicker } from "../components/address/RegionPicker";
import { nothingToCheckOut } from "../app/checkout/nothing";
import { CheckoutView } from "../app/checkout/CheckoutView";
import { LoginForm } from "../app/login/LoginForm";

const en = createT("en", MESSAGES.en);
const zh = createT("zh-CN", MESSAGES["zh-CN"]);

const renderShop = renderInProviders;

describe("wallet refusals in the shopper's language", () => {
  const refusal = (domainCode: string, message: string) => ({ message, data: { domainCode, zodError: null } });

  it("English words every withdrawal and identity refusal by its code; amounts as ¥100.00", () => {
    const codes = new Set<string>();
    for (const file of ["server/wallet/withdrawals.ts", "server/wallet/identity.ts"]) {
      const source = readFileSync(file, "utf8");
      const shopper = file.endsWith("withdrawals.ts") ? source.slice(source.indexOf("export async function requestWithdrawal"), source.indexOf("async function lockWithdrawal")) : source;
      for (const m of shopper.matchAll(/refuse\("([A-Z_]+)"/g)) codes.add(m[1]!);
    }
    expect(codes.has("BELOW_MINIMUM")).toBe(true);
    for (const code of codes) expect(walletErrorText(en, refusal(code, "中文")), code).not.toBe(en("error.generic"));
    expect(walletErrorText(en, refusal("BELOW_MINIMUM", "单笔提现最低 ¥100.00"))).toBe(`The minimum withdrawal is ${formatYuan(MIN_WITHDRAWAL_FEN)}`);
    expect(errorText(en, refusal("INSUFFICIENT_BALANCE", "可提现余额不足"))).toBe("Not enough withdrawable balance");
  });

  it("zh-CN shows the server's own message; the identity form's INVALID_NAME is not the address form's", () => {
    expect(walletErrorText(zh, refusal("BELOW_MINIMUM", "单笔提现最低 ¥100.00"))).toBe("单笔提现最低 ¥100.00");
    expect(walletErrorText(en, refusal("INVALID_NAME", "请输入真实姓名（2-20 个汉字）"))).toBe(en("wallet.error.INVALID_NAME"));
    expect(walletErrorText(en, { message: "x", data: { zodError: {}, domainCode: null } })).toBe(en("wallet.badInput"));
  });
});

describe("wallet history: the sign follows the money's direction", () => {
  it.each([
    ["commission accrued", { netFen: 295, from: null, to: "pending" }, 295, "+¥2.95"],
    ["commission settled (待结算 → 可提现)", { netFen: 0, from: "pending", to: "available" }, 1_035, "+¥10.35"],
    ["withdrawal requested (可提现 → 提现中)", { netFen: 0, from: "available", to: "withdrawing" }, 250_000, "\u2212¥2,500.00"],
    ["withdrawal returned (提现中 → 可提现)", { netFen: 0, from: "withdrawing", to: "available" }, 250_000, "+¥2,500.00"],
    ["withdrawal fee", { netFen: -300, from: "available", to: null }, 300, "\u2212¥3.00"],
    ["store credit used", { netFen: -500, from: "credit", to: null }, 500, "\u2212¥5.00"],
    ["withdrawal paid (提现中 → 已提现)", { netFen: 0, from: "withdrawing", to: "withdrawn" }, 250_000, "¥2,500.00"],
  ])("%s", (_name, row, amountFen, shown) => {
    expect(signedYuan(historyDirection(row), amountFen)).toBe(shown);
  });
});

describe("the wallet's 待到账 rows", () => {
  const summary = {
    expected: {
      totalFen: 27_790,
      rows: [
        { kind: "commission", id: 1, amountFen: 990, orderNo: "FM202611166187075860", expectedAt: null, why: "awaiting_shipment" },
        { kind: "cashback", id: 2, amountFen: 26_800, orderNo: "FM202611162724718523", expectedAt: null, why: "awaiting_invitees" },
      ],
      more: 0,
    },
    balances: { pending: 27_790, available: 4_214, withdrawing: 0, withdrawn: 0, credit: 0 },
    bucketLabels: BUCKET_LABEL,
    history: [],
    withdrawals: [],
    identity: null,
    frozen: false,
    rules: WITHDRAWAL_RULES,
  };
  const render = (locale: Locale, data: unknown = summary) =>
    renderShop(createElement(WalletView), locale, (trpc, qc) => qc.setQueryData(trpc.wallet.summary.queryKey(), data as never)).html.replaceAll("<!-- -->", "");

  it("show each amount in yuan with its sign, like every other amount on the page", () => {
    for (const locale of ["zh-CN", "en"] as const) {
      const rows = [...render(locale).matchAll(/data-testid="expected-row"[\s\S]*?<\/li>/g)].map((m) => m[0]);
      expect(rows).toHaveLength(2);
      expect(rows[0]).toContain(">+¥9.90<");
      expect(rows[1]).toContain(">+¥268.00<");
    }
  });

  it("keep the order number in one piece", () => {
    expect(render("zh-CN")).toMatch(/<span class="[^"]*whitespace-nowrap[^"]*">订单 FM202611162724718523<\/span>/);
    expect(render("zh-CN")).not.toContain('data-testid="expected-more"');
  });

  it("count the rows not sent, and say when an after-sales request holds the date", () => {
    const bounded = {
      ...summary,
      expected: { totalFen: 60_000, rows: [{ kind: "commission", id: 3, amountFen: 990, orderNo: "FM1", expectedAt: null, why: "awaiting_aftersale" }], more: 7 },
    };
    const zhHtml = render("zh-CN", bounded);
    expect(zhHtml).toMatch(/data-testid="expected-more"[^>]*>还有 7 笔</);
    expect(zhHtml).toMatch(/data-testid="expected-when"[^>]*>售后处理中</);
    expect(zhHtml).toMatch(/data-testid="expected-total"[^>]*>合计 ¥600.00</);
    const enHtml = render("en", bounded);
    expect(enHtml).toMatch(/data-testid="expected-more"[^>]*>7 more</);
    expect(enHtml).toMatch(/data-testid="expected-when"[^>]*>After-sales request open</);
  });
});

describe("the distributor leaderboard", () => {
  it("an empty board says so once, without 本月暂未上榜 beside it", () => {
    const html = renderToString(createElement(LeaderboardBlock, { board: { top: [], me: null }, t: zh }));
    expect(html).toContain("本月暂无分销员上榜，快去分享吧");
    expect(html).not.toContain("本月暂未上榜");
    expect(html).not.toContain('data-testid="leaderboard-me"');
  });

  it("says what the amounts are (本月直推销售额), once there are rows", () => {
    const board = { top: [{ rank: 1, name: "王*长", salesFen: 120_000, me: false }], me: null } as never;
    expect(renderToString(createElement(LeaderboardBlock, { board, t: zh }))).toMatch(/data-testid="leaderboard-amount-label"[^>]*>金额为本月直推销售额（直接邀请的好友已完成的订单）</);
    expect(renderToString(createElement(LeaderboardBlock, { board, t: en }))).toMatch(/data-testid="leaderboard-amount-label"[^>]*>Amounts: direct sales this month \(completed orders of the friends each one invited\)</);
    expect(renderToString(createElement(LeaderboardBlock, { board: { top: [], me: null }, t: zh }))).not.toContain("leaderboard-amount-label");
  });

  it("a board without the shopper says they are not ranked", () => {
    const html = renderToString(createElement(LeaderboardBlock, { board: { top: [{ rank: 1, name: "王*长", salesFen: 120_000, me: false }], me: null } as never, t: zh }));
    expect(html).toContain("本月暂未上榜");
    expect(html).not.toContain("本月暂无分销员上榜");
  });
});

describe("the share-link landing page's call to action", () => {
  it("a visitor is asked to accept the invitation and sign up", () => {
    const html = renderToString(createElement(InviteActions, { t: zh, viewer: "visitor", campaign: true, product: { id: 5 }, returnTo: "/product/5?joined=1" }));
    expect(html).toContain('data-testid="accept-invite"');
    expect(html).toContain("/login?callbackUrl=%2Fproduct%2F5%3Fjoined%3D1");
  });

  it("a member (back after signing up) is sent to the product or the mall, never to sign up again", () => {
    const product = renderToString(createElement(InviteActions, { t: zh, viewer: "member", campaign: true, product: { id: 5 }, returnTo: "/product/5?joined=1" }));
    expect(product).not.toContain("accept-invite");
    expect(product).not.toContain("/login");
    expect(product).toContain('href="/product/5"');
    expect(product).toContain("查看这件商品");
    const campaign = renderToString(createElement(InviteActions, { t: en, viewer: "member", campaign: true, product: null, returnTo: "/r/ABC?joined=1" }));
    expect(campaign).toContain('data-testid="landing-next"');
    expect(campaign).toContain('href="/"');
    const steps = renderToString(createElement(InviteSteps, { t: zh, n: 3, member: true, credit: false }));
    expect(steps).not.toContain(zh("landing.step1"));
    expect(steps).toContain(zh("landing.step1Member"));
  });
});

describe("the address form checks every required field", () => {
  it("an empty form names each missing field", () => {
    const r = addressFormSchema.safeParse({ name: " ", phone: "", region: "", areaCode: null, detail: "", isDefault: false });
    expect(r.success).toBe(false);
    const byField = Object.fromEntries(r.error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(byField).toEqual({ name: "address.nameRequired", phone: "address.phoneInvalid", region: "address.regionRequired", detail: "address.detailRequired" });
    for (const key of Object.values(byField)) expect(zh.has(key) && en.has(key), key).toBe(true);
  });

  it("a missing 省/市/区 is marked on the picker like the other fields, and points at its message", () => {
    const picker = (error?: string) => renderShop(createElement(RegionPicker, { value: "", label: "所在地区", error, onChange() {} })).html;
    const missing = picker("address-region-error");
    expect(missing).toContain('aria-invalid="true"');
    expect(missing).toContain('aria-describedby="address-region-error"');
    expect(missing).toContain("border-rose-400");
    const fine = picker();
    expect(fine).not.toContain("aria-invalid");
    expect(fine).not.toContain("border-rose-400");
  });

  it("a complete address passes, trimmed", () => {
    const r = addressFormSchema.parse({ name: " 王小明 ", phone: "13912345678", region: "浙江省 杭州市 西湖区", areaCode: "330106", detail: " 文三路 100 号 ", isDefault: true });
    expect(r).toMatchObject({ name: "王小明", detail: "文三路 100 号" });
  });

  it("too long is its own message, at the server's limits, counted in characters as the server counts them", () => {
    const base = { phone: "13912345678", region: "浙江省 杭州市 西湖区", areaCode: "330106", isDefault: false };
    // 𠀀 is one character but two UTF-16 units: a name of 20 of them is allowed on both sides.
    const atLimit = { ...base, name: "𠀀".repeat(ADDRESS_LIMITS.name), detail: "路".repeat(ADDRESS_LIMITS.detail) };
    expect(addressFormSchema.safeParse(atLimit).success).toBe(true);
    expect(() => validateAddress(atLimit)).not.toThrow();
    const over = { ...base, name: "𠀀".repeat(ADDRESS_LIMITS.name + 1), detail: "路".repeat(ADDRESS_LIMITS.detail + 1) };
    const r = addressFormSchema.safeParse(over);
    const byField = Object.fromEntries(r.error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(byField).toEqual({ name: "address.nameTooLong", detail: "address.detailTooLong" });
    expect(() => validateAddress(over)).toThrow(/20/);
    expect(() => validateAddress({ ...over, name: "王小明" })).toThrow(/120/);
    for (const [key, limit] of [["address.nameTooLong", ADDRESS_LIMITS.name], ["address.detailTooLong", ADDRESS_LIMITS.detail]] as const) {
      expect(zh(key)).toContain(String(limit));
      expect(en(key)).toContain(String(limit));
    }
  });
});

describe("checkout", () => {
  it("a cart with nothing to order is told apart from one with ticked lines", () => {
    expect(nothingToCheckOut({ items: [] })).toBe("empty");
    expect(nothingToCheckOut({ items: [{ selected: false }] })).toBe("unselected");
    expect(nothingToCheckOut({ items: [{ selected: false }, { selected: true }] })).toBeNull();
  });

  it("an empty cart shows the empty state and asks for no preview", () => {
    const { html, queryClient } = renderShop(createElement(CheckoutView, { source: { kind: "cart" }, nothing: "empty" }));
    expect(html).toContain('data-testid="checkout-empty"');
    expect(html).toContain("购物车还是空的");
    expect(queryClient.getQueryCache().findAll().length).toBeGreaterThan(0);
    for (const q of queryClient.getQueryCache().findAll()) expect((q.options as { enabled?: unknown }).enabled, JSON.stringify(q.queryKey)).toBe(false);
  });

  it("without an address, the disabled 提交订单 says why", () => {
    const source = { kind: "cart" } as const;
    const preview = { lines: [], grossFen: 15_800, discountFen: 0, goodsFen: 15_800, shippingFen: 0, creditBalanceFen: 0, creditUsableFen: 0, tierDiscountBps: 0, ok: true };
    const { html } = renderShop(createElement(CheckoutView, { source }), "zh-CN", (trpc, qc) => {
      qc.setQueryData(trpc.address.list.queryKey(), []);
      qc.setQueryData(trpc.order.preview.queryKey({ source }), preview);
    });
    expect(html).toContain('data-testid="checkout-hint"');
    expect(html).toContain("请先填写并保存收货地址");
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*aria-describedby="checkout-hint"|<button[^>]*aria-describedby="checkout-hint"[^>]*disabled=""/);
  });
});

describe("the login form", () => {
  it("labels the phone and code fields in the current language; the placeholders stay", () => {
    const zhHtml = renderShop(createElement(LoginForm, { callbackUrl: "/me" })).html;
    expect(zhHtml).toMatch(/placeholder="请输入手机号" aria-label="手机号"/);
    expect(zhHtml).toMatch(/placeholder="6 位验证码" aria-label="短信验证码"/);
    const enHtml = renderShop(createElement(LoginForm, { callbackUrl: "/me" }), "en").html;
    expect(enHtml).toContain('aria-label="Mobile number"');
    expect(enHtml).toContain('aria-label="SMS verification code"');
  });
});
