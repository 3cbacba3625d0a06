// The product editor's SKU picture (app/merchant/products/SkuImagePicker.tsx): the row shows the chosen
// picture's thumbnail and what it is, in the viewer's language; what is stored is the SKU's imageUrl as before.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MESSAGES } from "@/lib/i18n/messages";
import { I18nProvider } from "@/lib/i18n/client";
import { SkuImagePicker } from "@/app/merchant/products/SkuImagePicker";

const blue = `/media/p/ab/ab${"1".repeat(30)}.webp`;
const orange = `/media/p/cd/cd${"2".repeat(30)}.webp`;
const gone = `/media/p/ef/ef${"3".repeat(30)}.webp`;

function row(locale: "en" | "zh-CN", value: string | null, images: string[]) {
  const picker = createElement(SkuImagePicker, { value, images, label: "白", onChange: () => undefined });
  const html = renderToStaticMarkup(createElement(I18nProvider, { locale, messages: MESSAGES[locale], children: picker }));
  const button = /<button[^>]*data-testid="sku-image-button"[^>]*>/.exec(html)![0];
  return {
    label: /aria-label="([^"]*)"/.exec(button)![1],
    disabled: / disabled=""/.test(button),
    img: /<img src="([^"]*)"/.exec(html)?.[1] ?? null,
    text: /<span id="[^"]*-choice"[^>]*>([^<]*)<\/span>/.exec(html)![1]!.replace(/&#x27;/g, "'"),
  };
}

describe("a SKU's picture in the product editor's SKU list", () => {
  it("a chosen picture: its thumbnail, named by its place in the gallery", () => {
    expect(row("zh-CN", orange, [blue, orange])).toEqual({ label: "图片 白", disabled: false, img: `/media/p/cd/cd${"2".repeat(30)}_400.webp`, text: "图片 2" });
    expect(row("en", blue, [blue, orange])).toMatchObject({ label: "Picture 白", img: `/media/p/ab/ab${"1".repeat(30)}_400.webp`, text: "Picture 1" });
  });

  it("none: the product's main picture (the gallery's first), said so", () => {
    expect(row("zh-CN", null, [blue, orange])).toMatchObject({ img: `/media/p/ab/ab${"1".repeat(30)}_400.webp`, text: "使用商品主图" });
    expect(row("en", null, [blue, orange]).text).toBe("Use the main picture");
  });

  it("a picture since removed from the gallery is still shown (it is what is saved), and said to be no longer among them", () => {
    expect(row("zh-CN", gone, [blue])).toMatchObject({ img: `/media/p/ef/ef${"3".repeat(30)}_400.webp`, text: "已不在商品图片中", disabled: false });
    expect(row("en", gone, [blue]).text).toBe("No longer among the product's pictures");
  });

  it("no pictures yet: nothing to choose, and it says to upload first", () => {
    expect(row("zh-CN", null, [])).toEqual({ label: "图片 白", disabled: true, img: null, text: "请先上传商品图片" });
    expect(row("en", null, []).text).toBe("Upload product pictures first");
  });
});
