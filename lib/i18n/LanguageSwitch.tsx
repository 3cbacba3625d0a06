"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { LANG_COOKIE, LANG_COOKIE_MAX_AGE_SEC, LOCALES, type Locale } from "./core";
import { useT } from "./client";

/** Each language in its own name, whatever the current language is. */
const NAMES: Record<Locale, string> = { "zh-CN": "中文", en: "English" };

function writeLangCookie(locale: Locale) {
  const secure = window.location.protocol === "https:" ? "; secure" : "";
  document.cookie = `${LANG_COOKIE}=${locale}; path=/; max-age=${LANG_COOKIE_MAX_AGE_SEC}; samesite=lax${secure}`;
}

/** 中文 / English: writes the fm_lang cookie and re-renders the server components. */
export function LanguageSwitch({ className = "" }: { className?: string }) {
  const t = useT();
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function choose(locale: Locale) {
    if (locale === t.locale) return;
    writeLangCookie(locale);
    startTransition(() => router.refresh());
  }

  return (
    <div role="group" aria-label={t("lang.label")} data-testid="lang-switch" className={`inline-flex shrink-0 rounded-full bg-neutral-100 p-0.5 text-xs ${pending ? "opacity-60" : ""} ${className}`}>
      {LOCALES.map((locale) => {
        const active = locale === t.locale;
        return (
          <button
            key={locale}
            type="button"
            lang={locale}
            aria-pressed={active}
            disabled={pending}
            onClick={() => choose(locale)}
            className={`relative shrink-0 whitespace-nowrap rounded-full px-3 py-1 after:absolute after:inset-x-0 after:-inset-y-2.5 ${active ? "bg-white font-medium text-rose-600 shadow-sm" : "text-neutral-500"}`}
          >
            {NAMES[locale]}
          </button>
        );
      })}
    </div>
  );
}
