// White letters on coloured circles (components/CategoryIcon, components/Avatar): every background either
// component can draw reaches WCAG AA against white. Both draw bold text under 18.66 px (text-lg = 18 px; a
// 24 px avatar's glyph is 12 px), which is "small text": 4.5:1.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Avatar } from "../components/Avatar";
import { CATEGORY_COLOURS, CategoryIcon } from "../components/CategoryIcon";
import { AVATAR_COLOURS, avatarOf } from "../server/members/profile";

const AA_SMALL_TEXT = 4.5;

/** WCAG 2.x relative luminance of an sRGB hex colour (#rrggbb). */
function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = m.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The background colour an element's inline style draws (React writes `style="…background:#rrggbb…"`). */
function backgroundOf(html: string): string {
  const m = /background:\s*(#[0-9a-f]{6})/i.exec(html);
  if (!m) throw new Error(`no background colour in ${html}`);
  return m[1]!.toLowerCase();
}

describe("contrast of white text on the drawn backgrounds", () => {
  it("the formula matches WCAG's reference points", () => {
    expect(contrast("#ffffff", "#000000")).toBeCloseTo(21, 5);
    expect(contrast("#ffffff", "#ffffff")).toBeCloseTo(1, 5);
    expect(contrast("#ffffff", "#767676")).toBeCloseTo(4.54, 2); // the lightest grey that passes AA
    expect(contrast("#ffffff", "#f59e0b")).toBeLessThan(AA_SMALL_TEXT); // the old amber, as reported (2.2:1)
  });

  it.each(CATEGORY_COLOURS.map((c) => [c]))("category colour %s reaches 4.5:1 against white", (colour) => {
    expect(contrast("#ffffff", colour)).toBeGreaterThanOrEqual(AA_SMALL_TEXT);
  });

  it("every category circle CategoryIcon draws uses one of those colours, with white text", () => {
    const drawn = new Set<string>();
    for (let index = 0; index < CATEGORY_COLOURS.length * 3; index++) {
      const html = renderToStaticMarkup(createElement(CategoryIcon, { name: "茶叶", icon: null, index }));
      expect(html).toContain("text-white");
      drawn.add(backgroundOf(html));
    }
    expect([...drawn].sort()).toEqual([...CATEGORY_COLOURS].sort());
    for (const colour of drawn) expect(contrast("#ffffff", colour), colour).toBeGreaterThanOrEqual(AA_SMALL_TEXT);
  });

  it.each([...AVATAR_COLOURS])("avatar colour %s reaches 4.5:1 under white", (colour) => {
    expect(contrast("#ffffff", colour)).toBeGreaterThanOrEqual(AA_SMALL_TEXT);
  });

  it("every colour avatarOf can pick is drawn on a background that reaches 4.5:1", () => {
    const picked = new Set<string>();
    for (let id = 1; id <= 200; id++) picked.add(avatarOf({ id }).colour);
    expect(picked.size).toBeGreaterThan(1);
    for (const colour of picked) {
      const html = renderToStaticMarkup(createElement(Avatar, { avatar: { glyph: "鲸", colour, url: null }, size: 24 }));
      const drawn = backgroundOf(html);
      expect(drawn).toBe(colour);
      expect(contrast("#ffffff", drawn), `${colour} → ${drawn}`).toBeGreaterThanOrEqual(AA_SMALL_TEXT);
    }
  });
});
