// CJK font for next/og images, loaded offline from @fontsource-variable/noto-sans-sc.
// The package splits Noto Sans SC into ~100 WOFF2 chunks by unicode-range; we decode only the chunks
// that cover the text being drawn (WOFF2 → TTF, see ./woff2.ts) and hand them to Satori, each under
// its own family name: Satori keeps one font per (family, weight) and falls back glyph by glyph across
// the other families. The variable font's default instance is Thin (wght 100) and Satori cannot apply
// variations, so callers thicken strokes with `ogStroke()`.
import "server-only";




import { readFile } from "node:fs/promises";
import path from "node:path";
import { VARIATION_TABLES, woff2ToSfnt } from "./woff2";

export const OG_FONT_FAMILY = "Noto Sans SC";

/** -webkit-text-stroke that makes the Thin default instance read as Regular/Bold at `fontSize`. */
export function ogStroke(fontSize: number, color: string, bold = false) {
  return { WebkitTextStrokeWidth: Math.max(1, Math.round(fontSize * (bold ? 0.06 : 0.035))), WebkitTextStrokeColor: color };
}
const PKG_DIR = path.join(process.cwd(), "node_modules", "@fontsource-variable", "noto-sans-sc");

type Range = [number, number];
let chunkRanges: Promise<Map<string, Range[]>> | null = null;
const decoded = new Map<string, Promise<ArrayBuffer>>();

function parseRanges(spec: string): Range[] {
  return spec.split(",").map((part) => {
    const [a, b] = part.trim().replace(/^U\+/i, "").split("-");
    const lo = parseInt(a, 16);
    return [lo, b ? parseInt(b, 16) : lo];
  });
}

function loadChunkRanges() {
  chunkRanges ??= readFile(path.join(PKG_DIR, "unicode.json"), "utf8").then((txt) => {
    const map = new Map<string, Range[]>();
    for (const [key, spec] of Object.entries(JSON.parse(txt) as Record<string, string>)) {
      map.set(key.replace(/^\[|\]$/g, ""), parseRanges(spec));
    }
    return map;
  });
  return chunkRanges;
}

function loadChunk(id: string) {
  let p = decoded.get(id);
  if (!p) {
    p = readFile(path.join(PKG_DIR, "files", `noto-sans-sc-${id}-wght-normal.woff2`)).then((buf) => {
      const ttf = woff2ToSfnt(new Uint8Array(buf), VARIATION_TABLES);
      return ttf.buffer.slice(ttf.byteOffset, ttf.byteOffset + ttf.byteLength) as ArrayBuffer;
    });
    p.catch(() => decoded.delete(id));
    decoded.set(id, p);
  }
  return p;
}

/** Fonts for ImageResponse covering every character of `text` that Noto Sans SC has. */
export async function ogFontsFor(text: string) {
  const ranges = await loadChunkRanges();
  const needed = new Set<string>();
  const codepoints = new Set<number>();
  for (const ch of text) codepoints.add(ch.codePointAt(0)!);
  for (const cp of codepoints) {
    if (cp <= 0x20) continue;
    for (const [id, rs] of ranges) {
      if (rs.some(([lo, hi]) => cp >= lo && cp <= hi)) {
        needed.add(id);
        break;
      }
    }
  }
  const ids = [...needed].sort((a, b) => Number(a) - Number(b));
  const datas = await Promise.all(ids.map(loadChunk));
  return datas.map((data, i) => ({
    name: i === 0 ? OG_FONT_FAMILY : `${OG_FONT_FAMILY} ${ids[i]}`,
    data,
    weight: 400 as const,
    style: "normal" as const,
  }));
}
