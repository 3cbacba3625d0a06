// The back office's 403 page: its big "403" (48 px bold, large text) reaches WCAG's 3:1 against the shell's grey.
// The colours are Tailwind's own (oklch in tailwindcss/theme.css), turned into sRGB here as a browser draws them.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { createT } from "../../lib/i18n/core";
import { MESSAGES } from "../../lib/i18n/messages";

vi.mock("server-only", () => ({}));
vi.mock("@/lib/i18n/server", () => ({ getT: async () => createT("zh-CN", MESSAGES["zh-CN"]), getLocale: async () => "zh-CN" }));
const { Forbidden } = await import("../../app/merchant/_components/staff");

const LARGE_TEXT = 3;
const THEME = readFileSync(createRequire(import.meta.url).resolve("tailwindcss/theme.css"), "utf8");

/** Relative luminance (WCAG) of a Tailwind colour such as "rose-600": oklch → OKLab → linear sRGB, clipped to the gamut. */
function luminance(colour: string): number {
  const m = new RegExp(`--color-${colour}:\\s*oklch\\(([\\d.]+)%\\s+([\\d.]+)\\s+([\\d.]+|none)\\)`).exec(THEME);
  if (!m) throw new Error(`no ${colour} in the theme`);
  const [L, C, h] = [Number(m[1]) / 100, Number(m[2]), m[3] === "none" ? 0 : (Number(m[3]) * Math.PI) / 180];
  const [a, b] = [C * Math.cos(h), C * Math.sin(h)];
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const mm = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  const clip = (x: number) => Math.min(1, Math.max(0, x));
  const R = clip(4.0767416621 * l - 3.3077115913 * mm + 0.2309699292 * s);
  const G = clip(-1.2684380046 * l + 2.6097574011 * mm - 0.3413193965 * s);
  const B = clip(-0.0041960863 * l - 0.7034186147 * mm + 1.707614701 * s);
  return 0.2126 * R + 0.7152 * G + 0.0722 * B;
}

const contrast = (x: string, y: string) => {
  const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

/** The shell's background (app/merchant/layout.tsx: `bg-neutral-100` on data-merchant-shell). */
const SHELL = /data-merchant-shell className="[^"]*\bbg-(neutral-\d+)\b/.exec(readFileSync("app/merchant/layout.tsx", "utf8"))![1]!;

describe("the 403 page's big number", () => {
  it("the conversion agrees with known points", () => {
    // By hand from the sRGB hex values: neutral-100 #f5f5f5 has luminance 0.913; rose-200 #ffccd3 on it is 1.30:1
    // (the review's "~1.5:1"), rose-400 #ff637e 2.62:1, rose-600 #ec003f 4.15:1.
    expect(luminance("neutral-100")).toBeCloseTo(0.913, 2);
    expect(contrast("rose-200", "neutral-100")).toBeCloseTo(1.3, 1);
    expect(contrast("rose-400", "neutral-100")).toBeCloseTo(2.62, 1);
    expect(contrast("rose-600", "neutral-100")).toBeCloseTo(4.15, 1);
  });

  it("reaches 3:1 against the shell's grey", async () => {
    const html = renderToStaticMarkup(await Forbidden({ role: "support" }));
    const colour = /class="[^"]*\btext-5xl\b[^"]*\btext-(rose-\d+)\b[^"]*">403</.exec(html)?.[1];
    expect(colour).toBeDefined();
    expect(SHELL).toBe("neutral-100");
    expect(contrast(colour!, SHELL)).toBeGreaterThanOrEqual(LARGE_TEXT);
  });
});
