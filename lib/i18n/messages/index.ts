// Both dictionaries, for server code (layout, server components, route handlers).
import type { Locale, Messages } from "../core";
import { en } from "./en";
import { zhCN } from "./zh-CN";

export const MESSAGES: Record<Locale, Messages> = { "zh-CN": zhCN, en };

/** Key namespaces (the part before the first dot) that only the back office (/merchant) uses. */
export const BACK_OFFICE_NAMESPACES: ReadonlySet<string> = new Set(["m", "mm", "mo", "mw", "mcat", "ma", "mx", "mr", "as", "kpi", "exp", "sim", "rules", "projection"]);

const isShopKey = (key: string) => !BACK_OFFICE_NAMESPACES.has(key.slice(0, key.indexOf(".")));

/**
 * What the shop's client components get (app/layout.tsx): every message but the back office's, which
 * app/merchant/layout.tsx adds; the shop's pages ship ~40% of the dictionary to the browser.
 */
export const SHOP_MESSAGES: Record<Locale, Messages> = {
  "zh-CN": Object.fromEntries(Object.entries(zhCN).filter(([k]) => isShopKey(k))) as Messages,
  en: Object.fromEntries(Object.entries(en).filter(([k]) => isShopKey(k))) as Messages,
};


