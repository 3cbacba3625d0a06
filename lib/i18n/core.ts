// i18n core shared by server and client code: locales, the cookie, interpolation and the translator.
// No message dictionaries are imported here (type-only), so client bundles only get the messages the
// server layout hands to <I18nProvider>.
import type { zhCN } from "./messages/zh-CN";

/** Every message key; the zh-CN file is the source of truth, en.ts must have exactly these keys. */
export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;

export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";

/** Preference cookie (not httpOnly: the language switch writes it from the browser). */
export const LANG_COOKIE = "fm_lang";
export const LANG_COOKIE_MAX_AGE_SEC = 365 * 24 * 3600;

export function isLocale(v: unknown): v is Locale {
  return v === "zh-CN" || v === "en";
}

/** The language a Cookie header's fm_lang names, else zh-CN (for server code without next/headers, e.g. tRPC's error formatter). */
export function localeFromCookieHeader(cookie: string | null | undefined): Locale {
  const pair = cookie?.split(";").map((p) => p.trim()).find((p) => p.startsWith(`${LANG_COOKIE}=`));
  const value = pair?.slice(LANG_COOKIE.length + 1);
  return isLocale(value) ? value : DEFAULT_LOCALE;
}

/** Locale tag for Intl formatters (dates). */
export function intlLocale(locale: Locale): string {
  return locale === "en" ? "en-US" : "zh-CN";
}

export type Vars = Record<string, string | number>;

/** "还差 {n} 人" + { n: 2 } → "还差 2 人"; an unknown {name} is left as it is. */
export function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
}

export interface Translator {
  (key: MessageKey, vars?: Vars): string;
  readonly locale: Locale;
  /** Whether a key computed at run time (e.g. from data) exists. */
  has(key: string): key is MessageKey;
  /** For keys built from data that may be unknown (banner ids, ledger kinds, tiers): the fallback when missing. */
  opt(key: string, fallback: string, vars?: Vars): string;
}

/** `onMissing`: called with a key the dictionary lacks (the browser's is partial: a key it was not sent is a bug). */
export function createT(locale: Locale, messages: Messages, onMissing?: (key: string) => void): Translator {
  const has = (key: string): key is MessageKey => Object.hasOwn(messages, key);
  const t = ((key: MessageKey, vars?: Vars) => {
    if (!has(key)) onMissing?.(key);
    return interpolate(messages[key] ?? key, vars);
  }) as Translator;
  Object.defineProperties(t, {
    locale: { value: locale, enumerable: true },
    has: { value: has },
    opt: { value: (key: string, fallback: string, vars?: Vars) => (has(key) ? interpolate(messages[key], vars) : fallback) },
  });
  return t;
}
