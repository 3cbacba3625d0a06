/* eslint-disable @next/next/no-img-element */

/**
 * Backgrounds for the name's first character, drawn in white (text-lg bold is 18 px, under WCAG's 18.66 px
 * bold "large text", so each must reach 4.5:1 against white: tests/contrast.test.ts). The 600/700 shades of
 * rose, orange, amber, emerald, sky, indigo, violet and pink; as hex, so the test checks what is drawn.
 */
export const CATEGORY_COLOURS = ["#e11d48", "#c2410c", "#b45309", "#047857", "#0369a1", "#4f46e5", "#7c3aed", "#db2777"] as const;

/**
 * Round category badge: the icon the merchant set (an uploaded picture's URL or an emoji), else the
 * name's first character.
 */
export function CategoryIcon({ name, icon, index }: { name: string; icon: string | null; index: number }) {
  // imageUrlSchema only admits /media/… and /products/… paths: anything else is an emoji.
  if (icon?.startsWith("/")) return <img src={icon} alt="" data-testid="category-icon" className="h-11 w-11 rounded-full object-cover" loading="lazy" />;
  return (
    <span
      data-testid="category-icon"
      className={`flex h-11 w-11 items-center justify-center rounded-full text-lg font-bold ${icon ? "bg-neutral-100 text-2xl" : "text-white"}`}
      style={icon ? undefined : { background: CATEGORY_COLOURS[Math.abs(index) % CATEGORY_COLOURS.length] }}
    >
      {icon ?? Array.from(name)[0] ?? "?"}
    </span>
  );
}
