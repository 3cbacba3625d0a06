// A merchant's Markdown (product descriptions) as the plain text a link preview or a WeChat share card shows.
// Parsed by the parser react-markdown renders the page with (mdast-util-from-markdown, under remark-parse), so
// the preview reads as the page does: no **, #, []() or raw HTML, pictures left out, blocks run together.
import { fromMarkdown } from "mdast-util-from-markdown";
import type { Nodes } from "mdast";

/** Node types whose text stands on its own: a space is put between them and their neighbours. */
const BLOCKS = new Set(["paragraph", "heading", "blockquote", "list", "listItem", "code", "table", "tableRow", "tableCell", "thematicBreak"]);

function textOf(node: Nodes): string {
  switch (node.type) {
    case "text":
    case "inlineCode":
    case "code":
      return node.value;
    // The page drops raw HTML (skipHtml) and shows pictures, whose alt text is no sentence.
    case "html":
    case "image":
    case "imageReference":
    case "definition":
      return "";
    case "break":
      return " ";
    default:
      return "children" in node ? node.children.map((child) => (BLOCKS.has(child.type) ? ` ${textOf(child)} ` : textOf(child))).join("") : "";
  }
}

/** The text of `markdown` on one line; cut to `max` characters (an ellipsis marking the cut) when given. */
export function markdownToPlainText(markdown: string, max?: number): string {
  const text = textOf(fromMarkdown(markdown)).replace(/\s+/g, " ").trim();
  const chars = Array.from(text);
  return max !== undefined && chars.length > max ? `${chars.slice(0, max - 1).join("").trimEnd()}…` : text;
}
