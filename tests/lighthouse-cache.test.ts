// The demo pictures under public/products: Next serves public files with max-age=0, so every repeat visit
// revalidated each picture (Lighthouse: ~15 requests). next.config.ts gives them a week; not immutable, since
// scripts/demo-images.ts rewrites them under the same names (uploads under /media, content-addressed, keep a year).
import { describe, expect, it } from "vitest";
import { getPathMatch } from "next/dist/shared/lib/router/utils/path-match";
import nextConfig from "../next.config";

/** The Cache-Control next.config.ts's headers() sets for a path, as Next matches their sources (null: none). */
async function cacheControlOf(pathname: string): Promise<string | null> {
  const rules = (await nextConfig.headers?.()) ?? [];
  const hit = rules.filter((r) => getPathMatch(r.source)(pathname) !== false).flatMap((r) => r.headers.filter((h) => h.key.toLowerCase() === "cache-control"));
  return hit.at(-1)?.value ?? null;
}

describe("demo pictures' cache lifetime", () => {
  it.each(["/products/tea-puer.webp", "/products/tea-puer_400.webp", "/products/tea-puer.svg"])("%s: public for a week (7 × 86 400 s), not immutable", async (p) => {
    expect(await cacheControlOf(p)).toBe("public, max-age=604800");
  });

  it("pages, uploads and other paths keep their own headers", async () => {
    for (const p of ["/", "/product/1", "/products", "/media/p/ab/0123456789abcdef0123456789abcdef.webp", "/category/products"]) expect(await cacheControlOf(p), p).toBeNull();
  });
});
