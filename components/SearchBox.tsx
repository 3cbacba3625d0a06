import { getT } from "@/lib/i18n/server";

/**
 * The mall's search field: a plain GET form to /search (works before any script has loaded). The pill is the field's
 * boundary, drawn in the field colour (WCAG 1.4.11: 3.64:1 on white, app/globals.css) like every other field's.
 */
export async function SearchBox({ q = "", tone = "light" }: { q?: string; tone?: "light" | "white" }) {
  const t = await getT();
  return (
    <form action="/search" method="get" role="search" className={`flex items-center gap-2 rounded-full border border-field px-3 py-1.5 ring-rose-500 focus-within:ring-2 ${tone === "light" ? "bg-white" : "bg-neutral-100"}`}>
      <svg viewBox="0 0 24 24" className="h-4 w-4 shrink-0 text-neutral-400" fill="none" stroke="currentColor" strokeWidth={2} aria-hidden>
        <circle cx="11" cy="11" r="7" />
        <path d="m20 20-3.5-3.5" />
      </svg>
      <input
        type="search"
        name="q"
        defaultValue={q}
        maxLength={100}
        placeholder={t("search.placeholder")}
        aria-label={t("search.label")}
        className="-my-3 min-w-0 flex-1 bg-transparent py-3 text-sm text-neutral-800 outline-none placeholder:text-neutral-500"
        data-testid="search-input"
      />
      <button type="submit" className="relative shrink-0 text-sm font-medium text-rose-600 after:absolute after:-left-2 after:-right-3 after:-top-3.5 after:-bottom-2.5">
        {t("search.submit")}
      </button>
    </form>
  );
}
