"use client";

import { createContext, useContext, useMemo } from "react";
import { createT, type Locale, type Messages, type Translator } from "./core";

const I18nContext = createContext<{ locale: Locale; messages: Messages } | null>(null);

/** Fed by the root layout with the request's locale and that locale's messages for client code. */
export function I18nProvider({ locale, messages, children }: { locale: Locale; messages: Messages; children: React.ReactNode }) {
  const value = useMemo(() => ({ locale, messages }), [locale, messages]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n() {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error("useT() outside <I18nProvider> (app/layout.tsx provides it)");
  return ctx;
}

// The browser gets only the keys client code asks for (scripts/i18n-client-keys.ts); one it lacks shows as its key
// and is reported, so the e2e console checks catch it.
const reportMissing = (key: string) => console.error(`i18n: message "${key}" was not sent to the browser (run npx tsx scripts/i18n-client-keys.ts)`);

export function useT(): Translator {
  const { locale, messages } = useI18n();
  return useMemo(() => createT(locale, messages, reportMissing), [locale, messages]);
}

export function useLocale(): Locale {
  return useI18n().locale;
}
