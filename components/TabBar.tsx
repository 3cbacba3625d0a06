"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useT } from "@/lib/i18n/client";

const TABS = [
  { href: "/", label: "tab.home", icon: "M3 11.5 12 4l9 7.5V20a1 1 0 0 1-1 1h-5v-6h-6v6H4a1 1 0 0 1-1-1z", match: (p: string) => p === "/" },
  { href: "/category", label: "tab.category", icon: "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z", match: (p: string) => p.startsWith("/category") },
  { href: "/cart", label: "tab.cart", icon: "M3 4h2l2.4 11h11.2L21 7H7M9 20a1 1 0 1 0 0-2 1 1 0 0 0 0 2zm9 0a1 1 0 1 0 0-2 1 1 0 0 0 0 2z", match: (p: string) => p.startsWith("/cart") },
  { href: "/promote", label: "tab.promote", icon: "M12 3v12m0-12 4 4m-4-4-4 4M5 13v6a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-6", match: (p: string) => p.startsWith("/promote") },
  { href: "/me", label: "tab.me", icon: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-8 9a8 8 0 0 1 16 0", match: (p: string) => p.startsWith("/me") },
] as const;

/** Bottom navigation of the H5 mall. */
export function TabBar() {
  const t = useT();
  const pathname = usePathname() ?? "/";
  return (
    <nav className="fixed inset-x-0 bottom-0 z-20 mx-auto flex max-w-md border-t border-neutral-200 bg-white/95 pb-[env(safe-area-inset-bottom)] backdrop-blur" aria-label={t("tab.aria")}>
      {TABS.map((tab) => {
        const active = tab.match(pathname);
        return (
          <Link prefetch={false} key={tab.href} href={tab.href} aria-current={active ? "page" : undefined} className={`flex flex-1 flex-col items-center gap-0.5 py-1.5 text-[11px] ${active ? "text-rose-600" : "text-neutral-500"}`}>
            <svg viewBox="0 0 24 24" className="h-6 w-6" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
              <path d={tab.icon} />
            </svg>
            {t(tab.label)}
          </Link>
        );
      })}
    </nav>
  );
}
