// Shopper links do not prefetch in view (commits 3044818 and 8621e21: the home page fetched 24 RSC payloads on
// load; Lighthouse then found 我的 fetching its ~12 links twice, 25 requests, and the sign-in page its three).
// Prefetching is client behaviour, invisible in rendered HTML: each file's <Link> elements are read from its source.
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const FILES = [
  // 3044818: cards, banners, categories, sort, tab bar, landing.
  "app/page.tsx",
  "app/category/page.tsx",
  "app/category/[slug]/page.tsx",
  "app/r/[code]/page.tsx",
  "app/r/[code]/InviteActions.tsx",
  "components/ProductCard.tsx",
  "components/SortBar.tsx",
  "components/TabBar.tsx",
  // 8621e21: the product page's back and cart links.
  "components/AppShell.tsx",
  "app/product/[id]/SkuPurchase.tsx",
  // Lighthouse: 我的 and the sign-in page (its browse link and the consent box's 用户协议 / 隐私政策).
  "app/me/page.tsx",
  "app/login/page.tsx",
  "app/login/LoginForm.tsx",
  // Lighthouse: the promotion centre's tabs and its poster link.
  "app/promote/page.tsx",
];

/** Each <Link …> of next/link in the file: its line and its prefetch attribute's source text (null: none). */
function links(file: string): { line: number; prefetch: string | null }[] {
  const text = readFileSync(path.join(process.cwd(), file), "utf8");
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  // The local name next/link's default export has in this file.
  const name = src.statements
    .filter(ts.isImportDeclaration)
    .find((d) => ts.isStringLiteral(d.moduleSpecifier) && d.moduleSpecifier.text === "next/link")?.importClause?.name?.text;
  const out: { line: number; prefetch: string | null }[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) && name && node.tagName.getText(src) === name) {
      const attr = node.attributes.properties.find((p): p is ts.JsxAttribute => ts.isJsxAttribute(p) && p.name.getText(src) === "prefetch");
      out.push({ line: src.getLineAndCharacterOfPosition(node.getStart(src)).line + 1, prefetch: attr ? (attr.initializer?.getText(src) ?? "true") : null });
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  return out;
}

describe("shopper links do not prefetch in view", () => {
  it.each(FILES)("every next/link <Link> in %s has prefetch={false}", (file) => {
    const found = links(file);
    // A file that lost its links (moved elsewhere) must leave this list rather than pass unread.
    expect(found.length, `${file} has no <Link>`).toBeGreaterThan(0);
    expect(found.filter((l) => l.prefetch !== "{false}").map((l) => `${file}:${l.line} prefetch=${l.prefetch ?? "(default)"}`)).toEqual([]);
  });
});
