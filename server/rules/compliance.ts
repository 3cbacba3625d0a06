// The compliance guard's pure checks (issue 11): earnings claims that campaign texts may never make,
// and settings that may never exist (a fee, deposit or paid membership as a condition of earning).
// Pure functions over plain data: the config schema, the rules form and the server all use them.

/**
 * Earnings claims refused in campaign texts by default: seed 004's own warnings (严禁使用"躺赚""稳赚"等
 * 宣传语; 收益依赖裂变与复购，非保证收益) and the claims regulators cite alongside them.
 */
export const DEFAULT_FORBIDDEN_CLAIMS = [
  "躺赚",
  "稳赚",
  "稳赚不赔",
  "保证收益",
  "收益保证",
  "保本",
  "零风险",
  "无风险",
  "月入过万",
  "月入十万",
  "日赚",
  "日入",
  "轻松赚钱",
  "坐享收益",
  "一本万利",
] as const;

/** These can never be allowed by editing the list: the configured list only adds to them. */
export const ALWAYS_FORBIDDEN_CLAIMS = ["躺赚", "稳赚", "保证收益", "零风险", "月入过万", "日赚"] as const;

/** Shown beside every projected figure (seed 004: 所有收益展示均标注"理论测算值"). */
export const PROJECTION_LABEL = "理论测算值，非收益承诺";

/** The campaign texts shoppers see, by config key (the guard names the field it refuses). */
export const CAMPAIGN_TEXT_FIELDS = ["title", "rulesText", "posterSlogan"] as const;
export type CampaignTextField = (typeof CAMPAIGN_TEXT_FIELDS)[number];

const normalise = (s: string) => s.normalize("NFKC").replace(/\s+/g, "").toLowerCase();

/** The forbidden claims found in `text` (configured list plus the fixed core), in list order. */
export function forbiddenClaimsIn(text: string, configured: readonly string[]): string[] {
  const haystack = normalise(text);
  const words = [...new Set([...ALWAYS_FORBIDDEN_CLAIMS, ...configured].map((w) => w.trim()).filter(Boolean))];
  return words.filter((w) => haystack.includes(normalise(w)));
}

/** A setting name that would make earning depend on paying: refused wherever it appears. */
const PAY_TO_EARN_KEY = /(entry|join|signup|sign_up|membership|member)_?fee|deposit|fee(fen|yuan)?$|paid_?member|押金|入门费|会员费|加盟费|门槛费/i;

export function isPayToEarnKey(key: string): boolean {
  return PAY_TO_EARN_KEY.test(key);
}

/** Paths (dotted) of every key in `raw` that names an entry fee, deposit or paid membership. */
export function payToEarnKeys(raw: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(raw)) return raw.flatMap((v, i) => payToEarnKeys(v, [...path, i]));
  if (!raw || typeof raw !== "object") return [];
  return Object.entries(raw).flatMap(([k, v]) => [...(isPayToEarnKey(k) ? [[...path, k]] : []), ...payToEarnKeys(v, [...path, k])]);
}

export const PAY_TO_EARN_MESSAGE = "合规红线：不得设置入门费、押金或付费会员作为获得收益的条件（收益只能来自商品销售）";
