"use client";

import { createContext, useContext, useMemo } from "react";
import { createT, type Locale, type Messages, type Translator } from "./core";

const I18nContext = createContext<{ locale: Locale; messages: Messages } | null>(null);

/** Fed by the root layout with the request's locale and only that locale's messages. */
export function I18nProvider({ locale, messages, children }: { locale: Locale; messages: Messages; children: React.ReactNode }) {
  const value = useMemo(() => ({ locale, messages }), [locale, messages]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n() {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error("useT() outside <I18nProvider> (app/layout.tsx provides it)");
  return ctx;
}

export function useT(): Translator {
  const { locale, messages } = useI18n();
  return useMemo(() => createT(locale, messages), [locale, messages]);
}

export function useLocale(): Locale {
  return useI18n().locale;
}
