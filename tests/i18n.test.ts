// The two message files (lib/i18n/messages) have exactly the same keys and placeholders, and the
// translator interpolates {name} variables.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BACK_OFFICE_NAMESPACES, CORE_MESSAGES, MESSAGES, SHOP_MESSAGES } from "@/lib/i18n/messages";
import { zhCN } from "@/lib/i18n/messages/zh-CN";
import { en } from "@/lib/i18n/messages/en";
import { CLIENT_KEY_PREFIXES, CLIENT_KEYS } from "@/lib/i18n/messages/client-keys";
import { createT, interpolate, isLocale } from "@/lib/i18n/core";
import { renderClientKeys, scanClientKeys } from "../scripts/i18n-client-keys";
import { providerLabel } from "@/components/merchant/provider";
import { commissionReason, depthLabel, errorText, landingOfferText, lineProblem, orderStatusLabel, promoteOfferText, taskReason, tierLabel } from "@/lib/i18n/labels";
import { ORDER_STATUS_LABEL, ORDER_TABS } from "@/server/orders/view";
import { TASK_LABEL, COMMISSION_LABEL } from "@/server/rebate/view";
import { WITHDRAWAL_LABEL, BUCKET_LABEL, PAYOUT_FAILURE_LABEL } from "@/server/wallet/view";
import { INVITEE_ORDER_LABEL, depthLabel as engineDepthLabel, rebateOfferText } from "@/server/promotion/view";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message files", () => {
  it("have exactly the same keys", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
  });

  it("use the same placeholders for every key, and no message is empty", () => {
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
      expect(zhCN[key].trim(), key).not.toBe("");
      expect(en[key].trim(), key).not.toBe("");
    }
  });

  it("English has no Chinese left in it (except the language switch's own names)", () => {
    const cjk = /[\u4e00-\u9fff]/;
    const offenders = Object.entries(en).filter(([k, v]) => cjk.test(v) && k !== "me.language");
    expect(offenders).toEqual([]);
  });

  it("zh-CN status messages say what the engine's labels say", () => {
    for (const [s, label] of Object.entries(TASK_LABEL)) expect(zhCN[`task.status.${s}` as keyof typeof zhCN]).toBe(label);
    for (const [s, label] of Object.entries(COMMISSION_LABEL)) expect(zhCN[`commission.status.${s}` as keyof typeof zhCN]).toBe(label);
    for (const [s, label] of Object.entries(WITHDRAWAL_LABEL)) expect(zhCN[`withdrawal.status.${s}` as keyof typeof zhCN]).toBe(label);
    for (const [s, label] of Object.entries(BUCKET_LABEL)) expect(zhCN[`bucket.${s}` as keyof typeof zhCN]).toBe(label);
    for (const [s, label] of Object.entries(PAYOUT_FAILURE_LABEL)) expect(zhCN[`withdrawal.failure.${s}` as keyof typeof zhCN]).toBe(label);
    for (const [s, label] of Object.entries(INVITEE_ORDER_LABEL)) expect(zhCN[`inviteeOrder.${s}` as keyof typeof zhCN]).toBe(label);
    for (const [s, label] of Object.entries(ORDER_STATUS_LABEL)) expect(zhCN[`order.status.${s}` as keyof typeof zhCN]).toBe(label);
    for (const [tab, { label }] of Object.entries(ORDER_TABS)) expect(zhCN[`orders.tab.${tab}` as keyof typeof zhCN]).toBe(label);
    const zh = createT("zh-CN", zhCN);
    for (const d of [1, 2, 3, 4, 7]) expect(depthLabel(zh, d)).toBe(engineDepthLabel(d));
    const terms = { capFen: null, minAnchorFen: 0, payout: "cash" as const };
    for (const r of [
      { enabled: true, n: 3, percent: 100, windowDays: 30, ...terms },
      { enabled: true, n: 2, percent: 50, windowDays: 7, ...terms },
      { enabled: false, n: 3, percent: 100, windowDays: 30, ...terms },
      { enabled: true, n: 3, percent: 80, windowDays: 30, capFen: 5000, minAnchorFen: 9900, payout: "credit" as const },
    ]) {
      expect(promoteOfferText(zh, r)).toBe(rebateOfferText(r));
    }
  });
});

describe("interpolation", () => {
  it("replaces {name} variables, numbers too, and leaves unknown ones", () => {
    expect(interpolate("还差 {n} 人", { n: 2 })).toBe("还差 2 人");
    expect(interpolate("{a}-{b}-{a}", { a: "x", b: 0 })).toBe("x-0-x");
    expect(interpolate("{missing} stays", { other: 1 })).toBe("{missing} stays");
    expect(interpolate("no vars {n}")).toBe("no vars {n}");
    expect(interpolate("{toString}", {})).toBe("{toString}");
  });

  it("translates with the locale's messages", () => {
    const zh = createT("zh-CN", zhCN);
    const t = createT("en", en);
    expect(zh("tab.home")).toBe("首页");
    expect(t("tab.home")).toBe("Home");
    expect(t.locale).toBe("en");
    expect(zh("promote.tasks.missing", { n: 3 })).toBe("还差 3 人");
    expect(t("promote.tasks.missing", { n: 3 })).toBe("3 more to go");
    expect(t("landing.title", { inviter: "张*丰", shop: "Fission Mall" })).toBe("张*丰 invites you to join Fission Mall");
    expect(zh("wallet.withdraw.ok", { amount: "100.00", status: zh("withdrawal.status.PAID") })).toBe("提现 ¥100.00 已提交，当前状态：已到账");
  });

  it("falls back for keys built from data", () => {
    const t = createT("en", en);
    expect(t.has("home.banner.refer3.title")).toBe(true);
    expect(t.has("home.banner.nope.title")).toBe(false);
    expect(t.opt("home.banner.nope.title", "原文")).toBe("原文");
    expect(t.opt("ledger.rebate_pay", "x")).toBe("Refer-3 cashback received");
    expect(tierLabel(t, "promoter", "推广员")).toBe("Promoter");
    expect(tierLabel(t, "vip", "贵宾")).toBe("贵宾");
  });

  it("words engine reasons by code", () => {
    const t = createT("en", en);
    expect(taskReason(t, { status: "EXPIRED", endReason: "expired", n: 3 })).toBe("Fewer than 3 friends placed a first order before the deadline");
    expect(taskReason(t, { status: "VOID", endReason: "anchor order refunded", n: 3 })).toBe("This order was refunded, so the cashback task is void");
    expect(taskReason(t, { status: "EXPIRED", endReason: "invitee rejected in risk review after the deadline", n: 3 })).toBe("After the deadline a friend's first order did not pass risk review, so the invite target was not met");
    expect(taskReason(t, { status: "OPEN", endReason: null, n: 3 })).toBeNull();
    expect(commissionReason(t, "needs 3 qualified directs to earn level 2")).toBe("Needs 3 qualified directs to earn level 2");
    expect(commissionReason(t, "something else")).toBe("something else");
    expect(landingOfferText(createT("zh-CN", zhCN), { enabled: true, n: 3, percent: 100, windowDays: 30, capFen: null, minAnchorFen: 0, payout: "cash" })).toBe(
      "推三返一：下单后 30 天内邀请 3 位好友完成首单，你的订单全额返现。",
    );
  });

  it("words order statuses, checkout line problems and server refusals", () => {
    const zh = createT("zh-CN", zhCN);
    const t = createT("en", en);
    expect(orderStatusLabel(t, "PAID", "待发货")).toBe("To ship");
    expect(orderStatusLabel(zh, "REFUNDED")).toBe("已退款");
    expect(orderStatusLabel(t, "LOST", "丢失")).toBe("丢失");
    expect(lineProblem(t, "库存不足，仅剩 2 件")).toBe("Not enough stock: only 2 left");
    expect(lineProblem(zh, "库存不足，仅剩 2 件")).toBe("库存不足，仅剩 2 件");
    expect(lineProblem(t, "单笔订单金额过大，请分开下单")).toBe(t("error.ORDER_TOO_LARGE"));
    expect(t("error.ORDER_TOO_LARGE")).not.toMatch(/[\u4e00-\u9fff]/);
    expect(lineProblem(t, "已售罄")).toBe("Sold out");
    expect(lineProblem(t, null)).toBeNull();
    const refusal = { message: "请输入正确的 11 位手机号", data: { domainCode: "INVALID_PHONE" } };
    expect(errorText(zh, refusal)).toBe("请输入正确的 11 位手机号");
    expect(errorText(t, refusal)).toBe("Please enter a valid 11-digit mobile number");
    expect(errorText(t, { message: "未知", data: { domainCode: "SOMETHING_NEW" } })).toBe(t("error.generic"));
    expect(errorText(t, { message: "未知" })).toBe(t("error.generic"));
    // The "{time}" slot of the order list's countdown line (OrdersList splits the raw message there).
    expect(zh("orders.autoCancel").split("{time}")).toEqual(["剩余 ", " 自动取消"]);
    expect(t("orders.autoCancel").split("{time}")).toHaveLength(2);
  });

  it("accepts only the two locales", () => {
    expect(isLocale("zh-CN")).toBe(true);
    expect(isLocale("en")).toBe(true);
    expect(isLocale("fr")).toBe(false);
    expect(isLocale(undefined)).toBe(false);
  });
});

describe("the shop's client messages", () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return ["app/merchant", "components/merchant", "lib/i18n/messages"].includes(path) ? [] : sources(path);
      return /\.tsx?$/.test(e.name) ? [path] : [];
    });

  it("are the shop's messages that browser-side code asks for, in both languages", () => {
    const forClient = (k: string) => CLIENT_KEYS.includes(k) || CLIENT_KEY_PREFIXES.some((p) => k.startsWith(p));
    for (const locale of ["zh-CN", "en"] as const) {
      const all = Object.keys(MESSAGES[locale]);
      const shop = Object.keys(SHOP_MESSAGES[locale]);
      expect(shop).toEqual(all.filter((k) => !BACK_OFFICE_NAMESPACES.has(k.split(".")[0]!) && forClient(k)));
      // Client components' keys (the cart's, a run-time order step), not the server-rendered landing page's.
      expect(shop).toContain("cart.title");
      expect(shop).toContain("order.step.paid");
      expect(shop).not.toContain("landing.subtitle");
      expect(shop).not.toContain("m.signOut");
      // The point: the browser gets well under half of the dictionary on every shop page.
      expect(shop.length).toBeLessThan(all.length * 0.5);
    }
  });

  it("the root layout's (the home page's) are the tab bar's, a part of the shop's", () => {
    for (const locale of ["zh-CN", "en"] as const) {
      const core = Object.keys(CORE_MESSAGES[locale]);
      expect(core).toContain("tab.home");
      expect(core).not.toContain("cart.title");
      expect(core.every((k) => k in SHOP_MESSAGES[locale])).toBe(true);
    }
  });

  it("the list of client keys is current (else run npx tsx scripts/i18n-client-keys.ts)", () => {
    const file = readFileSync(join(process.cwd(), "lib/i18n/messages/client-keys.ts"), "utf8");
    expect(file).toBe(renderClientKeys(scanClientKeys(Object.keys(zhCN))));
  });

  it("a client translator reports a key it was not sent and shows the key", () => {
    const missing: string[] = [];
    const t = createT("zh-CN", SHOP_MESSAGES["zh-CN"], (k) => missing.push(k));
    expect(t("cart.title")).toBe(zhCN["cart.title"]);
    expect(missing).toEqual([]);
    expect(t("landing.subtitle")).toBe("landing.subtitle");
    expect(missing).toEqual(["landing.subtitle"]);
  });

  it("hold every key the pages outside /merchant name (the root layout gives them no other)", () => {
    const used = new Set<string>();
    for (const file of ["app", "components", "lib"].flatMap(sources)) {
      for (const m of readFileSync(file, "utf8").matchAll(/["'`]([a-zA-Z]+)\.[\w${]/g)) used.add(m[1]!);
    }
    expect(used.has("product")).toBe(true);
    expect([...used].filter((ns) => BACK_OFFICE_NAMESPACES.has(ns))).toEqual([]);
  });
});

describe("payment providers in the back office", () => {
  it("are named in the staff's language; an unknown code is shown as it is", () => {
    const zh = createT("zh-CN", MESSAGES["zh-CN"]);
    const english = createT("en", MESSAGES.en);
    expect(["wechatpay", "alipay", "sandbox", "credit", "scenario"].map((c) => providerLabel(zh, c))).toEqual(["微信支付", "支付宝", "沙箱支付（测试）", "余额抵扣", "场景回放"]);
    expect(providerLabel(english, "wechatpay")).toBe("WeChat Pay");
    expect(providerLabel(zh, "unionpay")).toBe("unionpay");
  });
});
