const COLORS = ["bg-rose-500", "bg-orange-500", "bg-amber-500", "bg-emerald-500", "bg-sky-500", "bg-indigo-500", "bg-violet-500", "bg-pink-500"];

/** Round category badge with the category's first character. */
export function CategoryIcon({ name, index }: { name: string; index: number }) {
  return (
    <span className={`flex h-11 w-11 items-center justify-center rounded-full text-lg font-bold text-white ${COLORS[index % COLORS.length]}`}>
      {Array.from(name)[0] ?? "?"}
    </span>
  );
}
