import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import { createT, DEFAULT_LOCALE, isLocale, LANG_COOKIE, type Locale, type Messages, type Translator } from "./core";
import { CORE_MESSAGES, MESSAGES, SHOP_MESSAGES } from "./messages";

/** The shopper's language: the fm_lang cookie (set by the switch or by ?lang= through proxy.ts), else zh-CN. */
export const getLocale = cache(async (): Promise<Locale> => {
  const value = (await cookies()).get(LANG_COOKIE)?.value;
  return isLocale(value) ? value : DEFAULT_LOCALE;
});

/**
 * The messages client components get: the core ones (root layout: the home page), the shop's (the other shop
 * segments' layout), or all of them (the back office's layout).
 */
export async function getMessages(scope: "core" | "shop" | "all"): Promise<Messages> {
  return { core: CORE_MESSAGES, shop: SHOP_MESSAGES, all: MESSAGES }[scope][await getLocale()];
}

/** Server-side translator: `const t = await getT(); t("tab.home")`. */
export const getT = cache(async (): Promise<Translator> => {
  const locale = await getLocale();
  return createT(locale, MESSAGES[locale]);
});
