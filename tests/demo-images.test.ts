// The demo catalogue's pictures (scripts/demo-images.ts): every seeded product has its WebP picture and
// list thumbnail under public/products, and lists ask for the thumbnail.
import { existsSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { DEMO_OPTION_PRODUCTS, DEMO_PRODUCTS } from "../prisma/seed";
import { thumbnailUrl } from "../server/storage/urls";

describe("demo catalogue pictures", () => {
  it("lists use the 400 px thumbnail of a demo picture and of an upload; other URLs are unchanged", () => {
    expect(thumbnailUrl("/products/tea-puer.webp")).toBe("/products/tea-puer_400.webp");
    expect(thumbnailUrl("/media/p/ab/0123456789abcdef0123456789abcdef.webp")).toBe("/media/p/ab/0123456789abcdef0123456789abcdef_400.webp");
    expect(thumbnailUrl("/products/tea.svg")).toBe("/products/tea.svg");
    expect(thumbnailUrl("https://cdn.example.com/x.webp")).toBe("https://cdn.example.com/x.webp");
    expect(thumbnailUrl(null)).toBeNull();
  });

  it.each([...DEMO_PRODUCTS.map((p) => p.sku), ...DEMO_OPTION_PRODUCTS.map((p) => p.picture)])("%s has a 600 px picture and a 400 px thumbnail, both WebP", async (sku) => {
    for (const [file, side] of [[`${sku}.webp`, 600], [`${sku}_400.webp`, 400]] as const) {
      const full = path.join(process.cwd(), "public", "products", file);
      expect(existsSync(full), `${file}: run npx tsx scripts/demo-images.ts`).toBe(true);
      const meta = await sharp(full).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(["webp", side, side]);
    }
  });
});
