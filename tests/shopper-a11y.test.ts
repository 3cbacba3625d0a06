// The shopper pages' WCAG 2.2 AA review: pop-ups that take the keyboard (a native modal <dialog>: focus in, Tab kept
// in, Escape, focus back), the checkout's address list (focus moved; arrow keys do not pick and close), the main
// buttons' contrast on every point of their gradient, focus shown on visually hidden controls, names that contain the
// visible text, the current tab and task step, and status messages. This repo has no DOM for Vitest: what a browser
// does is checked on the markup a phone gets and on the functions the components call.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { renderInProviders } from "./helpers/render";
import { cancelCloses, openModal } from "../components/Sheet";
import { ShareSheet } from "../app/product/[id]/ShareSheet";
import { RefundRequestSheet } from "../app/orders/[id]/AfterSales";
import { RegionPicker } from "../components/address/RegionPicker";
import { CheckoutView, commitsAddress } from "../app/checkout/CheckoutView";
import { CartView } from "../app/cart/CartView";
import { TabBar } from "../components/TabBar";
import { ProductImage } from "../components/ProductImage";
import { AvatarPicker } from "../app/me/profile/AvatarPicker";

const ROOT = join(import.meta.dirname, "..");
const source = (path: string) => readFileSync(join(ROOT, path), "utf8");

describe("shopper pop-ups are modal dialogs that take the keyboard", () => {
  function fakeDialog() {
    return { open: false, showModal: vi.fn(function (this: { open: boolean }) { this.open = true; }), close: vi.fn(function (this: { open: boolean }) { this.open = false; }) };
  }

  it("opening calls showModal (focus moves in, the page behind is inert, Escape fires cancel), not show()", () => {
    const dialog = fakeDialog();
    openModal(dialog, null);
    expect(dialog.showModal).toHaveBeenCalledTimes(1);
    expect(dialog.open).toBe(true);
  });

  it("closing closes the dialog and gives the focus back to the control that opened it", () => {
    const dialog = fakeDialog();
    const trigger = { focus: vi.fn() };
    const close = openModal(dialog, trigger as unknown as Element);
    expect(trigger.focus).not.toHaveBeenCalled();
    close();
    expect(dialog.close).toHaveBeenCalledTimes(1);
    expect(trigger.focus).toHaveBeenCalledTimes(1);
  });

  it("Escape (the dialog's cancel event) asks the page to close it, and the dialog does not close itself", () => {
    const onClose = vi.fn();
    const event = { preventDefault: vi.fn() };
    cancelCloses(onClose)(event);
    expect(event.preventDefault).toHaveBeenCalledTimes(1);
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it("the share sheet is a <dialog> named by its visible title (分享给好友), not a div role=dialog", () => {
    const html = renderInProviders(createElement(ShareSheet, { productId: 1, link: "https://mall.example/p/1", earnFen: 2_680, onClose() {} })).html;
    expect(html).toMatch(/<dialog[^>]*aria-labelledby="share-sheet-title"/);
    expect(html).toMatch(/<h2 id="share-sheet-title"[^>]*>分享给好友<\/h2>/);
    expect(html).not.toContain('role="dialog"');
  });

  it("the refund sheet too (申请退款), and its photo picker shows the focus of its hidden file input", () => {
    const html = renderInProviders(createElement(RefundRequestSheet, { orderId: 1, atOnce: false, onClose() {} })).html;
    expect(html).toMatch(/^<dialog[^>]*aria-labelledby="refund-sheet-title"/);
    expect(html).toMatch(/<h3 id="refund-sheet-title"[^>]*>申请退款<\/h3>/);
    expect(html).not.toContain('role="dialog"');
    const picker = /<label[^>]*>(?:(?!<\/label>).)*type="file"[^>]*class="sr-only"/s.exec(html)?.[0] ?? "";
    expect(picker).toContain("focus-within:ring-2");
  });

  // Opened by a tap (state inside the component), so not in the first render: their source uses the one sheet.
  it.each(["components/address/RegionPicker.tsx", "app/orders/_components/OrderActions.tsx"])("%s opens the shared Sheet, not a div role=dialog", (path) => {
    const code = source(path);
    expect(code).not.toContain('role="dialog"');
    expect(code).toMatch(/<Sheet labelledBy=\{[^}]+\}/);
  });

  it("the order question (取消订单 / 确认收货) is named by its text", () => {
    const code = source("app/orders/_components/OrderActions.tsx");
    expect(code).toContain("<Sheet labelledBy={questionId}");
    expect(code).toMatch(/<p id=\{questionId\}[^>]*>\s*\{asking\.question\}/);
  });
});

describe("checkout's address list", () => {
  it("a tap or a click on an address picks it and closes the list", () => {
    expect(commitsAddress({ type: "click", detail: 1 })).toBe(true);
  });

  it("Enter or Space on the focused address picks it and closes the list", () => {
    expect(commitsAddress({ type: "keydown", key: "Enter" })).toBe(true);
    expect(commitsAddress({ type: "keydown", key: " " })).toBe(true);
  });

  it("an arrow key only moves the choice: neither its keydown nor the click it fires (detail 0) closes the list (3.2.2)", () => {
    for (const key of ["ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight", "Tab"]) expect(commitsAddress({ type: "keydown", key }), key).toBe(false);
    expect(commitsAddress({ type: "click", detail: 0 })).toBe(false);
  });

  it("a change of the radio (what an arrow key causes) sets the choice only; the list closes from the commits above", () => {
    const code = source("app/checkout/CheckoutView.tsx");
    expect(code).toContain("onChange={() => setChosen(a.id)}");
    expect(code.match(/if \(!commitsAddress\(e\)\) return;/g)).toHaveLength(2);
    // Opening moves the focus to the list's heading, closing back to 更换收货地址.
    expect(code).toMatch(/if \(picking\) pickHeading\.current\?\.focus\(\);\s*else if \(wasPicking\.current\) changeButton\.current\?\.focus\(\);/);
    expect(code).toMatch(/<h2 ref=\{pickHeading\} tabIndex=\{-1\}/);
  });
});

const ADDRESS = { id: 1, memberId: 1, name: "张三", phone: "13912345678", region: "浙江省 杭州市 西湖区", areaCode: "330106", detail: "文三路 100 号", isDefault: true, createdAt: new Date() };
const PREVIEW = {
  lines: [{ productId: 1, skuId: 1, sku: "tea", skuLabel: "", name: "龙井", imageUrl: null, unitPriceFen: 9_900, qty: 1, grossFen: 9_900, discountFen: 0, goodsFen: 9_900, problem: null }],
  grossFen: 9_900, discountFen: 0, goodsFen: 9_900, shippingFen: 0, creditBalanceFen: 500, creditUsableFen: 500, tierDiscountBps: 0, ok: true,
};

function checkoutHtml() {
  const source = { kind: "cart" } as const;
  return renderInProviders(createElement(CheckoutView, { source }), "zh-CN", (trpc, qc) => {
    qc.setQueryData(trpc.address.list.queryKey(), [ADDRESS]);
    qc.setQueryData(trpc.order.preview.queryKey({ source }), PREVIEW);
  }).html.replaceAll("<!-- -->", "");
}

/** The text of the elements `ids` name, joined as aria-labelledby does. */
function labelledBy(html: string, ids: string): string {
  return ids
    .split(" ")
    .map((id) => {
      const open = new RegExp(`<(\\w+)[^>]*id="${id}"[^>]*>`).exec(html);
      if (!open) throw new Error(`no element with id ${id}`);
      const rest = html.slice(open.index + open[0].length);
      let depth = 1;
      let text = "";
      for (const m of rest.matchAll(/<(\/?)(\w+)[^>]*?(\/?)>|([^<]+)/g)) {
        if (m[4]) text += m[4];
        else if (m[1]) depth--;
        else if (!m[3] && !["img", "input", "br", "path", "circle"].includes(m[2]!)) depth++;
        if (depth === 0) break;
      }
      return text.replace(/\s+/g, " ").trim();
    })
    .join(" ");
}

describe("names that contain what is shown", () => {
  it("更换收货地址's name is the words and the address it shows, not a label that hides the address", () => {
    const html = checkoutHtml();
    const button = /<button[^>]*aria-labelledby="([^"]+)"[^>]*>/.exec(html);
    expect(button?.[0]).not.toContain("aria-label=");
    const name = labelledBy(html, button![1]!);
    expect(name.startsWith("更换收货地址 ")).toBe(true);
    for (const shown of ["张三", "13912345678", "浙江省 杭州市 西湖区 文三路 100 号"]) expect(name).toContain(shown);
  });

  it("the region picker's name is its label and the region it shows", () => {
    const html = renderInProviders(createElement(RegionPicker, { value: "浙江省 杭州市 西湖区", label: "所在地区", onChange() {} })).html;
    const button = /<button[^>]*data-testid="region-picker"[^>]*>/.exec(html)?.[0] ?? "";
    expect(button).not.toContain("aria-label=");
    expect(labelledBy(html, /aria-labelledby="([^"]+)"/.exec(button)![1]!)).toBe("所在地区 浙江省 杭州市 西湖区");
  });

  it("the bottom tab bar marks the page it is on", () => {
    const html = renderInProviders(createElement(TabBar)).html;
    const current = [...html.matchAll(/<a [^>]*aria-current="page"[^>]*>/g)].map((m) => /href="([^"]+)"/.exec(m[0])![1]);
    expect(current).toEqual(["/"]); // no pathname context: the home page
  });

  it("task steps say reached or not in words and mark the current one (not only by colour)", () => {
    const code = source("app/promote/page.tsx");
    expect(code).toContain('aria-current={task.step === i ? "step" : undefined}');
    expect(code).toContain('<span className="sr-only">{t(reached ? "promote.tasks.stepDone" : "promote.tasks.stepTodo")}</span>');
  });

  it("the cart's − and + name their product, and the quantity they change is announced", () => {
    const product = { id: 1, sku: "s1", skuId: 1, skuLabel: "", name: "龙井", priceFen: 1_000, imageUrl: null, stock: 50, category: "tea", active: true };
    const items = [{ productId: 1, skuId: 1, qty: 2, selected: true, available: true, lineFen: 2_000, product }];
    const html = renderInProviders(createElement(CartView, { recommendations: null }), "zh-CN", (trpc, qc) => {
      qc.setQueryData(trpc.cart.list.queryKey(), { items, totalFen: 2_000, selectedCount: 1, count: 2 });
    }).html;
    expect(html).toContain('aria-label="减少 龙井 数量"');
    expect(html).toContain('aria-label="增加 龙井 数量"');
    expect(html).toMatch(/<span[^>]*aria-live="polite"[^>]*data-testid="cart-qty"[^>]*>2<\/span>/);
  });

  it("验证码已发送 is a status message", () => {
    expect(source("app/login/LoginForm.tsx")).toMatch(/<p role="status"[^>]*>\s*\{notice\}/);
  });
});

describe("focus shown on visually hidden controls", () => {
  it("the credit switch's track shows the focus of its hidden checkbox", () => {
    const html = checkoutHtml();
    expect(html).toMatch(/<input type="checkbox" role="switch"[^>]*class="peer sr-only"[^>]*\/><span class="[^"]*peer-focus-visible:ring-2/);
  });

  it("the avatar picker's label shows the focus of its hidden file input", () => {
    const html = renderInProviders(createElement(AvatarPicker, { hasPicture: false })).html;
    expect(html).toMatch(/<label class="[^"]*focus-within:ring-2[^"]*">(?:(?!<\/label>).)*data-testid="avatar-file"/s);
  });
});

// Tailwind 4 colours are oklch (node_modules/tailwindcss/theme.css) and its gradients run in oklab.
const THEME = source("node_modules/tailwindcss/theme.css");
function oklab(name: string): [number, number, number] {
  const m = new RegExp(`--color-${name}: oklch\\(([\\d.]+)% ([\\d.]+) ([\\d.]+|none)\\)`).exec(THEME);
  if (!m) throw new Error(`no Tailwind colour ${name}`);
  // A grey's hue is "none": no chroma, so any hue.
  const [l, c, h] = [Number(m[1]) / 100, Number(m[2]), m[3] === "none" ? 0 : (Number(m[3]) * Math.PI) / 180];
  return [l, c * Math.cos(h), c * Math.sin(h)];
}
/** WCAG relative luminance of an oklab colour (clipped into sRGB). */
function luminanceOfOklab([L, a, b]: [number, number, number]): number {
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  const rgb = [4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s, -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s, -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s];
  const [r, g, bl] = rgb.map((x) => Math.min(1, Math.max(0, x))) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
}
function luminanceOfHex(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const againstWhite = (y: number) => 1.05 / (y + 0.05);
/** The lowest contrast of white text over a `from`→`to` gradient (every 1% of it). */
function lowestOnGradient(from: string, to: string): number {
  const [a, b] = [oklab(from), oklab(to)];
  let lowest = Infinity;
  for (let i = 0; i <= 100; i++) {
    const t = i / 100;
    lowest = Math.min(lowest, againstWhite(luminanceOfOklab(a.map((x, k) => x + (b[k]! - x) * t) as [number, number, number])));
  }
  return lowest;
}
/** Every background white text is drawn on in a class list: gradients, Tailwind colours and #hex (hover/active states too). */
function whiteTextBackgrounds(classes: string): { what: string; lowest: number }[] {
  const found: { what: string; lowest: number }[] = [];
  const from = /(?:^|\s)from-([a-z]+-\d+)/.exec(classes)?.[1];
  const to = /(?:^|\s)to-([a-z]+-\d+)/.exec(classes)?.[1];
  if (from && to) found.push({ what: `${from}→${to}`, lowest: lowestOnGradient(from, to) });
  for (const m of classes.matchAll(/(?:^|\s)(?:\w+:)?bg-\[(#[0-9a-f]{6})\]/gi)) found.push({ what: m[1]!, lowest: againstWhite(luminanceOfHex(m[1]!)) });
  for (const m of classes.matchAll(/(?:^|\s)(?:\w+:)?bg-([a-z]+-\d{3})(?=\s|$)/g)) found.push({ what: m[1]!, lowest: againstWhite(luminanceOfOklab(oklab(m[1]!))) });
  return found;
}

describe("contrast of the main shopper buttons (white text, 4.5:1 on every point under it)", () => {
  it("the measure: WCAG's reference points, and the colours reported", () => {
    expect(againstWhite(luminanceOfHex("#767676"))).toBeCloseTo(4.54, 2);
    expect(againstWhite(luminanceOfHex("#07c160"))).toBeLessThan(4.5); // WeChat green, as reported (≈ 2.4:1)
    expect(lowestOnGradient("orange-500", "rose-600")).toBeLessThan(4.5); // the old main button (≈ 2.9:1 at its orange end)
  });

  const FILES = [
    "app/product/[id]/SkuPurchase.tsx",
    "app/login/LoginForm.tsx",
    "app/checkout/CheckoutView.tsx",
    "app/cart/CartView.tsx",
    "app/orders/_components/OrderActions.tsx",
    "app/orders/[id]/AfterSales.tsx",
    "app/r/[code]/InviteActions.tsx",
    "app/pay/sandbox/[reference]/ConfirmButton.tsx",
    "app/wallet/ConfirmReceipt.tsx",
  ];
  it.each(FILES)("%s: every class list with white text on a colour reaches 4.5:1", (path) => {
    // An inactive control (aria-disabled, like the grey 去结算 with nothing selected) is exempt (WCAG 1.4.3).
    const lists = [...source(path).matchAll(/["`]([^"`]*\btext-white\b[^"`]*)["`]([^>]*)/g)].filter((m) => !m[2]!.includes('aria-disabled="true"')).map((m) => m[1]!);
    const drawn = lists.flatMap(whiteTextBackgrounds);
    expect(drawn.length, "no coloured background found").toBeGreaterThan(0);
    for (const d of drawn) expect(d.lowest, d.what).toBeGreaterThanOrEqual(4.5);
  });

  it("LoginForm's WeChat retry text (green on white) reaches 4.5:1", () => {
    const text = /text-\[(#[0-9a-f]{6})\]/i.exec(source("app/login/LoginForm.tsx"))![1]!;
    expect(againstWhite(luminanceOfHex(text))).toBeGreaterThanOrEqual(4.5);
  });

  it("every tile ProductImage draws for a product without a picture keeps its white name at 4.5:1", () => {
    const tones = new Set<string>();
    for (const name of ["龙井", "坚果", "红茶", "脐橙", "蜂蜜", "大米", "枸杞", "菌菇", "香米", "绿茶", "花生", "核桃"]) {
      const html = renderToStaticMarkup(createElement(ProductImage, { src: null, name }));
      expect(html).toContain("text-white");
      tones.add(/from-\S+ to-\S+/.exec(html)![0]);
    }
    expect(tones.size).toBe(5);
    for (const tone of tones) for (const d of whiteTextBackgrounds(tone)) expect(d.lowest, d.what).toBeGreaterThanOrEqual(4.5);
  });
});
