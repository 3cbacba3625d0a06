// CJK font for next/og images, loaded offline from @fontsource/noto-sans-sc: static Regular (400) and
// Bold (700) split into ~100 .woff subsets by unicode-range, which Satori reads as they are. Only the
// subsets covering the text being drawn are loaded, each under its own family name: Satori keeps one
// font per (family, weight) and falls back glyph by glyph across the other families at the same weight.
import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";

export const OG_FONT_FAMILY = "Noto Sans SC";
const WEIGHTS = [400, 700] as const;
const PKG_DIR = path.join(process.cwd(), "node_modules", "@fontsource", "noto-sans-sc");

type Range = [number, number];
let subsetRanges: Promise<[string, Range[]][]> | null = null;
const loaded = new Map<string, Promise<ArrayBuffer>>();

function parseRanges(spec: string): Range[] {
  return spec.split(",").map((part) => {
    const [a, b] = part.trim().replace(/^U\+/i, "").split("-");
    const lo = parseInt(a, 16);
    return [lo, b ? parseInt(b, 16) : lo];
  });
}

function loadSubsetRanges() {
  subsetRanges ??= readFile(path.join(PKG_DIR, "unicode.json"), "utf8").then((txt) =>
    Object.entries(JSON.parse(txt) as Record<string, string>).map(([key, spec]) => [key.replace(/^\[|\]$/g, ""), parseRanges(spec)]),
  );
  return subsetRanges;
}

function loadSubset(id: string, weight: number) {
  const key = `${id}-${weight}`;
  let p = loaded.get(key);
  if (!p) {
    p = readFile(path.join(PKG_DIR, "files", `noto-sans-sc-${id}-${weight}-normal.woff`)).then(
      (buf) => buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer,
    );
    p.catch(() => loaded.delete(key));
    loaded.set(key, p);
  }
  return p;
}

/** The subset ids (as in the package's unicode.json) whose ranges cover the characters of `text`. */
export async function ogSubsetsFor(text: string): Promise<string[]> {
  const ranges = await loadSubsetRanges();
  const needed = new Set<string>();
  for (const cp of new Set(Array.from(text, (ch) => ch.codePointAt(0)!))) {
    if (cp <= 0x20) continue;
    const hit = ranges.find(([, rs]) => rs.some(([lo, hi]) => cp >= lo && cp <= hi));
    if (hit) needed.add(hit[0]);
  }
  return [...needed].sort((a, b) => Number(a) - Number(b));
}

/** Fonts for ImageResponse (Regular and Bold) covering every character of `text` that Noto Sans SC has. */
export async function ogFontsFor(text: string) {
  const ids = await ogSubsetsFor(text);
  const fonts = await Promise.all(
    ids.flatMap((id, i) =>
      WEIGHTS.map(async (weight) => ({
        name: i === 0 ? OG_FONT_FAMILY : `${OG_FONT_FAMILY} ${id}`,
        data: await loadSubset(id, weight),
        weight,
        style: "normal" as const,
      })),
    ),
  );
  return fonts;
}
