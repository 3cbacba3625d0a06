/* eslint-disable @next/next/no-img-element */
// Deep enough that the white name reads on every point of the tile (WCAG AA 4.5:1, tests/shopper-a11y.test.ts).
const TONES = [
  "from-rose-700 to-orange-700",
  "from-amber-700 to-amber-800",
  "from-emerald-700 to-teal-700",
  "from-sky-700 to-indigo-700",
  "from-violet-700 to-fuchsia-700",
];

/**
 * Product picture; products without an image get a coloured tile with their name.
 * `priority` is for the first screenful's main picture (the LCP candidate): fetched at once, first; others load lazily.
 */
export function ProductImage({ src, name, className = "", priority = false }: { src: string | null; name: string; className?: string; priority?: boolean }) {
  if (src)
    return (
      <img
        src={src}
        alt={name}
        className={`aspect-square w-full object-cover ${className}`}
        loading={priority ? "eager" : "lazy"}
        fetchPriority={priority ? "high" : undefined}
      />
    );
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return (
    <div role="img" aria-label={name} className={`flex aspect-square w-full items-center justify-center bg-gradient-to-br p-3 text-center text-lg font-bold text-white ${TONES[h % TONES.length]} ${className}`}>
      {name}
    </div>
  );
}
