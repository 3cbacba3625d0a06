/* eslint-disable @next/next/no-img-element */
const TONES = [
  "from-rose-400 to-orange-300",
  "from-amber-400 to-yellow-200",
  "from-emerald-400 to-teal-200",
  "from-sky-400 to-indigo-300",
  "from-violet-400 to-fuchsia-300",
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
