/* eslint-disable @next/next/no-img-element */
const COLORS = ["bg-rose-500", "bg-orange-500", "bg-amber-500", "bg-emerald-500", "bg-sky-500", "bg-indigo-500", "bg-violet-500", "bg-pink-500"];

/**
 * Round category badge: the icon the merchant set (an uploaded picture's URL or an emoji), else the
 * name's first character.
 */
export function CategoryIcon({ name, icon, index }: { name: string; icon: string | null; index: number }) {
  // imageUrlSchema only admits /media/… and /products/… paths: anything else is an emoji.
  if (icon?.startsWith("/")) return <img src={icon} alt="" data-testid="category-icon" className="h-11 w-11 rounded-full object-cover" loading="lazy" />;
  return (
    <span data-testid="category-icon" className={`flex h-11 w-11 items-center justify-center rounded-full text-lg font-bold ${icon ? "bg-neutral-100 text-2xl" : `text-white ${COLORS[index % COLORS.length]}`}`}>
      {icon ?? Array.from(name)[0] ?? "?"}
    </span>
  );
}
