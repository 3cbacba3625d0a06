"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useT } from "@/lib/i18n/client";
import { canAccess, type StaffRole } from "@/server/staff/roles";
import { NAV } from "./nav";

/**
 * While the menu is open (below lg): its first link takes the focus, and Escape closes it and gives the focus back
 * to ☰. Returns what stops listening.
 */
export function openMenu(nav: HTMLElement, menuButton: HTMLElement, close: () => void): () => void {
  nav.querySelector<HTMLElement>("a[href]")?.focus();
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== "Escape") return;
    close();
    menuButton.focus();
  };
  nav.ownerDocument.addEventListener("keydown", onKey);
  return () => nav.ownerDocument.removeEventListener("keydown", onKey);
}

/** Sidebar navigation: only the areas the role may open. Collapses below lg. */
export function Sidebar({ role }: { role: StaffRole }) {
  const t = useT();
  const pathname = usePathname() ?? "";
  const [open, setOpen] = useState(false);
  const nav = useRef<HTMLElement>(null);
  const menuButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open || !nav.current || !menuButton.current) return;
    return openMenu(nav.current, menuButton.current, () => setOpen(false));
  }, [open]);
  const groups = NAV.map((g) => ({ ...g, items: g.items.filter((i) => canAccess(role, i.area)) })).filter((g) => g.items.length > 0);
  return (
    <>
      <button
        ref={menuButton}
        type="button"
        className="fixed left-3 top-2.5 z-30 rounded-md border border-neutral-300 bg-white px-2 py-1 text-sm lg:hidden"
        aria-label={t("m.menu")}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        ☰
      </button>
      {/* Closed below lg it is off screen: invisible keeps its links out of the tab order (hidden after the slide, shown at once). */}
      <nav
        ref={nav}
        aria-label={t("m.console")}
        className={`fixed inset-y-0 left-0 z-20 w-56 shrink-0 overflow-y-auto bg-neutral-900 pt-14 text-sm text-neutral-300 lg:static lg:translate-x-0 lg:pt-0 ${open ? "translate-x-0 transition-transform" : "-translate-x-full transition-[translate,visibility] max-lg:invisible"}`}
      >
        <div className="hidden h-14 items-center px-5 text-base font-semibold text-white lg:flex">{t("m.console")}</div>
        {groups.map((g, gi) => (
          <div key={gi} className="px-3 pb-3">
            {g.group ? <div className="px-2 pb-1 pt-3 text-xs uppercase tracking-wide text-neutral-300/70">{t(g.group)}</div> : null}
            {g.items.map((item) => {
              const active = item.href === "/merchant" ? pathname === "/merchant" : pathname === item.href || pathname.startsWith(`${item.href}/`);
              return (
                <Link
                  key={item.href}
                  href={item.href}
                  onClick={() => setOpen(false)}
                  aria-current={active ? "page" : undefined}
                  className={`block rounded-md px-2 py-2 ${active ? "bg-neutral-700 font-medium text-white" : "hover:bg-neutral-800 hover:text-white"}`}
                >
                  {t(item.label)}
                </Link>
              );
            })}
          </div>
        ))}
        {/* The top bar has no room for it on a phone. */}
        <div className="border-t border-neutral-800 px-3 py-3 sm:hidden">
          <Link href="/" className="block rounded-md px-2 py-2 hover:bg-neutral-800 hover:text-white">
            {t("m.backToShop")}
          </Link>
        </div>
      </nav>
      {open ? <div className="fixed inset-0 z-10 bg-black/30 lg:hidden" onClick={() => setOpen(false)} /> : null}
    </>
  );
}
