// In-app notifications in the reader's language: the engine stores a key (notice.<key>.title/.body in the catalogues)
// and its parameters (messages/notices.zh-CN.ts NoticeParams) beside the Chinese text; rows without a known key show
// the text they were stored with.
import { formatBps, formatYuanGrouped } from "@/components/money";
import type { Translator, Vars } from "./core";
import { tierLabel } from "./labels";

/** A stored notification: its key and parameters (null on rows from before keys) and its Chinese text. */
export interface StoredNotice {
  key: string | null;
  params: unknown;
  title: string;
  body: string;
}

export function noticeText(t: Translator, n: StoredNotice): { title: string; body: string } {
  const title = `notice.${n.key}.title`;
  const body = `notice.${n.key}.body`;
  if (n.key === null || !t.has(title) || !t.has(body)) return { title: n.title, body: n.body };
  const vars = noticeVars(t, n.params);
  return { title: t(title, vars), body: t(body, vars) };
}

/**
 * The message variables of stored parameters: money and rates formatted, codes worded in the reader's language. Money
 * reads as everywhere else in the app ("¥2,500.55", formatYuanGrouped), here once: a message writes no ¥ or 元 of its own.
 */
function noticeVars(t: Translator, params: unknown): Vars {
  const vars: Vars = {};
  if (!params || typeof params !== "object" || Array.isArray(params)) return vars;
  for (const [name, v] of Object.entries(params)) {
    if (typeof v === "string" || typeof v === "number") vars[name] = v;
    if (typeof v !== "number" || !Number.isSafeInteger(v)) continue;
    if (name.endsWith("Fen")) vars[name.slice(0, -3)] = formatYuanGrouped(v);
    else if (name.endsWith("Bps")) vars[name.slice(0, -3)] = formatBps(v);
  }
  if (typeof vars.bucket === "string") vars.bucket = t.opt(`bucket.${vars.bucket}`, vars.bucket);
  if (typeof vars.tier === "string") vars.tier = tierLabel(t, vars.tier, String(vars.tierLabel ?? vars.tier));
  if (typeof vars.level === "number") vars.levelWord = t.opt(`notice.level.${vars.level}`, t("notice.level.n", { n: vars.level }));
  return vars;
}
