// Back-office forms in the staff's language (usability review): the simulator, experiment, product and money
// settings forms word every refusal from the message catalogue — English on an English page, the Chinese of
// before on a Chinese one — and a domain schema's Chinese message never reaches an English page. A key the
// catalogue lacks in either language fails the test (the translator throws on it).
import { describe, expect, it } from "vitest";
import { createT, type Locale } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { simulatorForm } from "@/app/merchant/simulator/form";
import { experimentForm } from "@/app/merchant/experiments/form";
import { EMPTY_PRODUCT, productForm, type ProductFormValues } from "@/app/merchant/products/form";
import { moneySettingsForm } from "@/app/merchant/withdrawals/form";
import { parseConfig } from "@/server/config/schema";
import { validSimulatorInput } from "./helpers/simulator-input";

const HAN = /\p{Script=Han}/u;
const tr = (locale: Locale) =>
  createT(locale, MESSAGES[locale], (key) => {
    throw new Error(`message "${key}" is not in the ${locale} catalogue`);
  });
const en = tr("en");
const zh = tr("zh-CN");

type Parser = { safeParse: (v: never) => { error?: { issues: { path: PropertyKey[]; message: string }[] } } };
/** The refusals as { "dotted.path": message }. */
const refusals = (schema: Parser, v: object) => Object.fromEntries(schema.safeParse(v as never).error?.issues.map((i) => [i.path.join("."), i.message]) ?? []);

const sim = validSimulatorInput;

describe("the simulator form in English", () => {
  const form = simulatorForm(parseConfig({}), en);

  it("words its own checks", () => {
    expect(refusals(form, { ...sim, name: "", members: 1000.5, l2: "abc" })).toEqual({ name: "Enter a name", members: "Enter a whole number", l2: "Enter a percentage such as 10 or 2.5" });
    const categories = [...sim.categories, { category: "fmcg", price: "1.5.0", weight: 5 }];
    expect(refusals(form, { ...sim, categories })).toEqual({ "categories.2.category": "Category given twice: fmcg", "categories.2.price": "Enter an amount such as 99 or 99.50" });
  });

  it("words the population's ranges from their codes, an order value in 元", () => {
    // The domain wants 10–20 000 members and 7–365 days, and an order value of at least 1 fen.
    expect(refusals(form, { ...sim, members: 5, horizonDays: 400 })).toEqual({ members: "Must be at least 10", horizonDays: "Must be at most 365" });
    expect(refusals(form, { ...sim, categories: [{ category: "fmcg", price: "0", weight: 70 }] })).toEqual({ "categories.0.price": "Must be at least ¥0.01" });
    expect(refusals(form, { ...sim, categories: sim.categories.map((c) => ({ ...c, weight: 0 })) })).toEqual({ categories: "At least one category needs a share above 0" });
  });

  it("says why a replay would be too long, with its numbers", () => {
    // 20 000 sign-ups + 3 events × 20 000 buyers × (1 + 20 repeats) + 1 = 1 280 001 events; the limit is 100 000 (~11 minutes at 150/s).
    expect(refusals(form, { ...sim, members: 20_000, firstOrderPercent: 100, repeatOrders: 20 })).toEqual({
      root: "About 1280001 simulated events per rule set, above the limit of 100000 (about 11 minutes): lower the members, the first-order conversion or the repeat orders",
    });
  });

  it("words rule set B's red lines on B's first rate", () => {
    expect(refusals(form, { ...sim, l1: "60", l2: "30", l3: "20" })).toEqual({ l1: "Compliance limit: commissions and rewards together may not exceed 100% of the sale" });
    expect(refusals(form, { ...sim, l1: "5", l2: "10", l3: "2" })).toEqual({ l1: "Rates must not rise by level: level 1 ≥ level 2 ≥ level 3" });
    // A rate above 100% (10 000 bps) is said in %, the unit it is typed in.
    expect(refusals(form, { ...sim, l1: "150" })).toEqual({ l1: "Must be at most 100%" });
  });
});

describe("the simulator form in Chinese", () => {
  const form = simulatorForm(parseConfig({}), zh);

  it("keeps the domain's own Chinese, a price's limit in 元 too", () => {
    // The rates are first checked one by one (server/config/schema ratesInput: bps("佣金比例")).
    expect(refusals(form, { ...sim, members: 5, l1: "150" })).toEqual({ members: "会员数至少 10", l1: "佣金比例不能超过 100%" });
    expect(refusals(form, { ...sim, categories: [{ category: "fmcg", price: "0", weight: 70 }] })).toEqual({ "categories.0.price": "客单价至少 0.01 元" });
  });
});

describe("the experiment form", () => {
  const bad = { name: " ", hypothesis: "x".repeat(201), variantPercent: 100, n: 2.5, percent: Number.NaN, windowDays: 30, cap: "abc", minAnchor: "", payout: "cash" };

  it("words every refusal in English", () => {
    // Names have at most 40 characters, hypotheses 200; group B takes 1–99% of the members.
    expect(refusals(experimentForm(en), bad)).toEqual({
      name: "Enter a name for the experiment",
      hypothesis: "A hypothesis has at most 200 characters",
      variantPercent: "Enter a whole number from 1 to 99",
      n: "Enter a whole number",
      percent: "Enter a whole number",
      cap: "Enter an amount such as 99 or 99.50",
      minAnchor: "Enter an amount such as 99 or 99.50",
    });
    expect(refusals(experimentForm(en), { ...bad, name: "x".repeat(41) }).name).toBe("An experiment's name has at most 40 characters");
  });

  it("keeps the Chinese of before", () => {
    expect(refusals(experimentForm(zh), bad)).toEqual({
      name: "请填写实验名称",
      hypothesis: "实验假设最多 200 字",
      variantPercent: "请填写 1–99 的整数",
      n: "请填写整数",
      percent: "请填写整数",
      cap: "金额格式不对",
      minAnchor: "金额格式不对",
    });
  });
});

describe("the product form in English", () => {
  const form = productForm(en);
  const filled: ProductFormValues = { ...EMPTY_PRODUCT, name: "明前龙井", category: "tea", skus: [{ options: [], code: "", price: "99", stock: "10", imageUrl: null }] };

  it("words an empty form's refusals, the catalogue's and its own", () => {
    expect(refusals(form, { ...EMPTY_PRODUCT, sort: "1.5" })).toEqual({
      name: "Enter the product's title",
      category: "Choose a category",
      sort: "Sort order: enter a whole number",
      "skus.0.price": "Price: enter an amount such as 99.00",
      "skus.0.stock": "Stock: enter a whole number, 0 or more",
    });
  });

  it("words the catalogue's own rules: repeated values, a code used twice, a price above its limit in 元", () => {
    expect(refusals(form, { ...filled, groups: [{ name: "颜色", values: "红 红" }], skus: [{ ...filled.skus[0]!, options: ["红"] }] })).toEqual({ "groups.0.values": "Option values must not repeat" });
    const skus = [
      { ...filled.skus[0]!, options: ["红"], code: "A1" },
      { ...filled.skus[0]!, options: ["蓝"], code: "A1" },
    ];
    expect(refusals(form, { ...filled, groups: [{ name: "颜色", values: "红 蓝" }], skus })).toEqual({ "skus.1.code": "SKU code used twice: A1" });
    // The catalogue's ceiling is 100 000 000 fen: 1 000 000 元.
    expect(refusals(form, { ...filled, skus: [{ ...filled.skus[0]!, price: "1000000.01" }] })).toEqual({ "skus.0.price": "Must be at most ¥1000000.00" });
    expect(refusals(productForm(zh), { ...filled, skus: [{ ...filled.skus[0]!, price: "1000000.01" }] })).toEqual({ "skus.0.price": "价格过高" });
  });
});

describe("the money settings form", () => {
  it("reads the rate in basis points and the amounts in 元, refusing each field beside it", () => {
    expect(refusals(moneySettingsForm(en), { feeBps: "12.5", feeMin: "abc", approvalAbove: "1000" })).toEqual({ feeBps: "Enter a whole number", feeMin: "Enter an amount such as 1 or 1.50" });
    expect(refusals(moneySettingsForm(zh), { feeBps: "12.5", feeMin: "abc", approvalAbove: "1000" })).toEqual({ feeBps: "请填写整数", feeMin: "请输入正确的金额，如 1 或 1.50" });
  });

  it("words the procedure's limits (at most 10 000 bps, a minimum fee of at most 9 999 fen) in the page's language", () => {
    const tooMuch = { feeBps: "20000", feeMin: "100", approvalAbove: "0" };
    expect(refusals(moneySettingsForm(en), tooMuch)).toEqual({ feeBps: "Must be at most 10000", feeMin: "Must be at most ¥99.99" });
    expect(refusals(moneySettingsForm(zh), tooMuch)).toEqual({ feeBps: "不能大于 10000", feeMin: "不能大于 ¥99.99" });
  });

  it("gives the procedure its input in fen, a blank rate as no rate", () => {
    expect(moneySettingsForm(en).safeParse({ feeBps: "60", feeMin: "1", approvalAbove: "1000" }).data).toEqual({ feeBps: 60, feeMinFen: 100, adjustmentApprovalAboveFen: 100_000 });
    expect(moneySettingsForm(en).safeParse({ feeBps: " ", feeMin: "0", approvalAbove: "0.5" }).data).toEqual({ feeBps: 0, feeMinFen: 0, adjustmentApprovalAboveFen: 50 });
  });
});

describe("no Chinese on an English page", () => {
  it("none of these forms' refusals in English has a Chinese character", () => {
    const messages = [
      ...Object.values(refusals(simulatorForm(parseConfig({}), en), { ...sim, name: "", members: 5, horizonDays: 3.5, seed: -1, sharerPercent: 101, invitesPerSharer: 51, refundPercent: -1, repeatOrders: 21, categories: [{ category: "Bad!", price: "0", weight: -1 }], l1: "5", l2: "10", l3: "abc", rebateN: 0, rebatePercent: 101, rebateWindow: 0 })),
      ...Object.values(refusals(productForm(en), { ...EMPTY_PRODUCT, name: "x".repeat(101), images: ["http://example.com/a.png"], groups: [{ name: "色", values: "红" }, { name: "色", values: "蓝" }], skus: [{ options: ["红"], code: "坏 码", price: "-1", stock: "x", imageUrl: null }] })),
    ];
    expect(messages.length).toBeGreaterThan(10);
    expect(messages.filter((m) => HAN.test(m))).toEqual([]);
  });
});
