// Both dictionaries, for server code (layout, server components, route handlers).
import type { Locale, Messages } from "../core";
import { en } from "./en";
import { zhCN } from "./zh-CN";

export const MESSAGES: Record<Locale, Messages> = { "zh-CN": zhCN, en };
