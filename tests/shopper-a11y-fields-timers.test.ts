// The shopper pages' WCAG 2.2 AA review, second round: the boundary of a text field has 3:1 against what is around it
// (1.4.11), the wallet's fee quote keeps the keyboard focus and is announced (2.4.3, 4.1.3), and the countdowns can be
// stilled (2.2.2). No DOM in Vitest: the CSS is compiled with the app's Tailwind and read, the components' markup and
// the functions they call are checked.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import postcss from "postcss";
import tailwind from "@tailwindcss/postcss";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { renderInProviders } from "./helpers/render";
import { MESSAGES } from "../lib/i18n/messages";
import { createT } from "../lib/i18n/core";
import { quoteFocusTarget, WithdrawQuote } from "../app/wallet/WithdrawQuote";
import { PayCountdown, remainingWords, TimeLeftView } from "../app/orders/_components/Countdown";
import { Countdown } from "../app/promote/Countdown";

const ROOT = join(import.meta.dirname, "..");
const source = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** WCAG relative luminance of a grey oklch(L% 0 …): a grey's linear R = G = B = L³. */
function greyLuminance(css: string, name: string): number {
  const m = new RegExp(`--color-${name}: oklch\\(([\\d.]+)% 0 (?:0|none)\\)`).exec(css);
  if (!m) throw new Error(`no grey --color-${name}`);
  return (Number(m[1]) / 100) ** 3;
}
const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

describe("text fields' boundaries reach 3:1 (WCAG 1.4.11)", () => {
  const GLOBALS = source("app/globals.css");
  const THEME = source("node_modules/tailwindcss/theme.css");
  const WHITE = 1;

  it("the reported defect: Tailwind's neutral-200 and -300 on white are 1.26:1 and 1.48:1", () => {
    expect(contrast(greyLuminance(THEME, "neutral-200"), WHITE)).toBeCloseTo(1.26, 2); // 0.922³ = 0.7838: 1.05 / 0.8338
    expect(contrast(greyLuminance(THEME, "neutral-300"), WHITE)).toBeCloseTo(1.48, 2); // 0.87³ = 0.6585: 1.05 / 0.7085
  });

  it("the field colour is 3:1 or more on white and on the light greys pages and cards use", () => {
    const field = greyLuminance(GLOBALS, "field");
    expect(field).toBeCloseTo(0.2383, 4); // 0.62³
    expect(contrast(field, WHITE)).toBeGreaterThanOrEqual(3); // 3.64
    for (const behind of ["neutral-50", "neutral-100"]) expect(contrast(field, greyLuminance(THEME, behind)), behind).toBeGreaterThanOrEqual(3);
  });

  it("on a field, border-neutral-200/300 draw in the field colour while focus and error colours still win; other borders keep the light grey", async () => {
    const from = join(ROOT, "app/globals.css");
    const css = (await postcss([tailwind({ base: ROOT })]).process(GLOBALS, { from })).css;
    // The utility reads the theme variable, which the fields redefine (in the base layer, under every utility).
    expect(css).toMatch(/\.border-neutral-200 \{\s*border-color: var\(--color-neutral-200\);/);
    const base = /@layer base \{\s*input,\s*select,\s*textarea \{([^}]*)\}/.exec(css)?.[1] ?? "";
    expect(base).toContain("--color-neutral-200: var(--color-field);");
    expect(base).toContain("--color-neutral-300: var(--color-field);");
    // The theme itself keeps the light grey: decorative card borders and dividers are not field boundaries.
    expect(css).toMatch(/--color-neutral-200: oklch\(92\.2% 0 none\);/);
    // A box drawn around a field (¥ amount, +86 phone): one class's weight, after the utilities, below focus-within:.
    const around = [...css.matchAll(/@layer utilities \{\s*([^{]+)\{\s*border-color: var\(--color-field\);/g)].map((m) => m[1]!.trim());
    expect(around).toEqual([':where(:has(> :is(input:not([type="checkbox"], [type="radio"], [type="hidden"], [type="file"]), select, textarea))):is(.border-neutral-200, .border-neutral-300)']);
    expect(css.indexOf(around[0]!)).toBeGreaterThan(css.indexOf(".focus-within\\:border-rose-500:focus-within"));
  });

  it("the fields of the shopper's forms use those classes (or the field colour itself)", () => {
    expect(source("components/address/AddressForm.tsx")).toContain('const field = "w-full rounded-lg border border-neutral-200');
    expect(source("components/address/RegionPicker.tsx")).toContain('${error ? "border-rose-400" : "border-field"}');
    expect(source("app/wallet/WalletView.tsx")).toContain('<div className="flex items-center rounded-lg border border-neutral-200 px-3 focus-within:border-rose-500">\n              <span className="text-lg text-neutral-500">¥</span>\n              <input');
    expect(source("app/login/LoginForm.tsx")).toContain('<label className="flex items-center border-b border-neutral-200 py-2 focus-within:border-rose-500">');
  });
});

describe("the wallet's fee quote keeps the focus and is announced", () => {
  const QUOTE = { amountFen: 250_000, feeFen: 1_500, netFen: 248_500 };
  const quoteHtml = (quote: typeof QUOTE | null, locale: "zh-CN" | "en" = "zh-CN") =>
    renderInProviders(createElement(WithdrawQuote, { quote, pending: false, onBack() {}, onConfirm() {}, amountField: { current: null } }), locale).html.replaceAll("<!-- -->", "");

  it("opening the quote (it replaces the focused 申请提现) moves the focus to it; closing it (返回修改, 确认提现 done or refused) to the amount", () => {
    expect(quoteFocusTarget(false, true)).toBe("quote");
    expect(quoteFocusTarget(true, false)).toBe("amount");
    // A new amount's quote over the open one, or no quote at all: the focus stays where the shopper is.
    expect(quoteFocusTarget(true, true)).toBeNull();
    expect(quoteFocusTarget(false, false)).toBeNull();
  });

  it("the quote takes the focus as a group named by its title", () => {
    const html = quoteHtml(QUOTE);
    expect(html).toMatch(/<div tabindex="-1" role="group" aria-labelledby="withdraw-quote-title"[^>]*data-testid="withdraw-quote"/);
    expect(html).toMatch(/<div id="withdraw-quote-title"[^>]*>确认提现<\/div>/);
  });

  it("the fee and what arrives are announced by a status line that is there before the quote", () => {
    expect(quoteHtml(null)).toBe('<p role="status" class="sr-only" data-testid="withdraw-quote-status"></p>');
    expect(quoteHtml(QUOTE)).toContain('<p role="status" class="sr-only" data-testid="withdraw-quote-status">手续费 ¥15.00，实际到账 ¥2,485.00，请确认提现或返回修改</p>');
    expect(quoteHtml(QUOTE, "en")).toContain(">Fee ¥15.00, you receive ¥2,485.00: confirm, or change the amount</p>");
  });

  it("the wallet gives the quote its amount field to return the focus to", () => {
    const code = source("app/wallet/WalletView.tsx");
    expect(code).toMatch(/<input\s+ref=\{amountInput\}/);
    expect(code).toMatch(/<WithdrawQuote\s+quote=\{quote\}\s+pending=\{withdraw\.isPending\}\s+amountField=\{amountInput\}/);
  });
});

describe("countdowns can be stilled (WCAG 2.2.2)", () => {
  const zh = createT("zh-CN", MESSAGES["zh-CN"]);
  const en = createT("en", MESSAGES.en);
  const MIN = 60_000;

  it("the time left in words, to the whole minute and never more than is left", () => {
    expect(remainingWords(zh, 14 * MIN + 59_000)).toBe("14分钟");
    expect(remainingWords(zh, 2 * 1440 * MIN + 3 * 60 * MIN + 15 * MIN + 42_000)).toBe("2天 3小时 15分钟");
    expect(remainingWords(zh, 60 * MIN)).toBe("1小时");
    expect(remainingWords(zh, 59_999)).toBe("不到 1 分钟");
    expect(remainingWords(en, MIN)).toBe("1 minute");
    expect(remainingWords(en, 1440 * MIN + 2 * MIN)).toBe("1 day 2 minutes");
  });

  it("the words change at most once a minute, at the minute", () => {
    let changes = 0;
    let last = remainingWords(zh, 10 * MIN);
    for (let ms = 10 * MIN - 250; ms > 0; ms -= 250) {
      const now = remainingWords(zh, ms);
      if (now !== last) {
        changes++;
        expect(ms % MIN, `changed at ${ms} ms`).toBeGreaterThanOrEqual(MIN - 250);
      }
      last = now;
    }
    expect(changes).toBe(10);
  });

  it("the order's pay countdown: the ticking clock is hidden from screen readers, which read the minutes", () => {
    const serverNow = new Date("2026-12-06T12:00:00Z");
    const deadline = new Date(serverNow.getTime() + 14 * MIN + 58_500);
    const html = renderInProviders(createElement(PayCountdown, { deadline, serverNow })).html;
    expect(html).toContain('<span aria-hidden="true">14:59</span><span class="sr-only">14分钟</span>');
  });

  it("the cashback task's countdown too, in both languages", () => {
    const msLeft = 2 * 1440 * MIN + 3 * 60 * MIN + 15 * MIN + 42_000;
    const html = renderInProviders(createElement(Countdown, { msLeft })).html.replaceAll("<!-- -->", "");
    expect(html).toContain('<span aria-hidden="true">剩余 2 天 03:15:42</span><span class="sr-only">剩余 2天 3小时 15分钟</span>');
    const htmlEn = renderInProviders(createElement(Countdown, { msLeft }), "en").html.replaceAll("<!-- -->", "");
    expect(htmlEn).toContain('<span aria-hidden="true">2d 03:15:42 left</span><span class="sr-only">2 days 3 hours 15 minutes left</span>');
  });

  it("when the phone asks for less motion, only the words are shown: nothing changes more than once a minute", () => {
    expect(renderToStaticMarkup(createElement(TimeLeftView, { still: true, clock: "14:59", words: "14分钟" }))).toBe("14分钟");
    expect(source("app/orders/_components/Countdown.tsx")).toContain("<TimeLeftView still={useReducedMotion()} clock={clock} words={words} />");
  });
});
