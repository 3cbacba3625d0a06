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

/** Separators an English claim may be written with: spaces, hyphens, dots, or none at all ("zero-risk", "zerorisk"). */
const SEP = String.raw`[\s\p{Pd}_.·]*`;
/** A word boundary that letters fused into the claim still break ("learn", "casino risk" are not "earn", "no risk"). */
const W = String.raw`(?<![\p{L}\p{N}])`;
const WE = String.raw`(?![\p{L}\p{N}])`;
const en = (source: string, sep = SEP) => new RegExp(`${W}${source.replaceAll(" ", sep)}${WE}`, "u");
/** Words after "guaranteed returns" that make it a shop's returns policy: within 7 days, policy, free shipping, refund window. */
const RETURNS_POLICY = `(?:within|in) \\d|polic(?:y|ies)|(?:(?:and|&|\\+) )?(?:free )?(?:shipping|delivery|refunds?|exchanges?|window|period)${WE}`;
/** What a risk may be "of" and still be an earnings claim ("no risk of loss"); any other ("no risk of spills") is a product's. */
const MONEY_AT_RISK = `(?:any )?(?:los(?:s|ses|ing)|money|capital|principal|investment|your)${WE}`;
/** A sum earned, its digits unambiguous (no separator is part of a number) so a long run of dots costs linear time. */
const SUM = String.raw`(?:(?:[¥$€£]|rmb|cny|usd|yuan|元) )?\d(?:[\d,]|\s(?=\d))*(?:\.\d+)?(?: (?:k|w|万|千|yuan|rmb|元|dollars?|usd|cny|%))?\+?`;

/**
 * The English wording of the core claims, refused like ALWAYS_FORBIDDEN_CLAIMS: 保证收益 (guaranteed returns), 零风险/无风险
 * (zero risk), 躺赚/轻松赚钱/坐享收益 (effortless income, easy money, passive income: income without work is the promise 躺赚 makes),
 * 月入过万/日赚 (earn a sum per day or month), and get-rich-quick. A sum needs a money unit, a percentage or none before "a day":
 * "earn 10 points a day" is no earnings claim. Never excused by a negation: "no guaranteed returns" costs a rewording ("returns
 * are not guaranteed"). A shop's own wording is no claim: a returns policy ("7-day guaranteed returns", "guaranteed returns
 * within 7 days"), the risk of a mishap ("no risk of spills"), a money clip.
 */
export const ALWAYS_FORBIDDEN_ENGLISH_CLAIMS: readonly RegExp[] = [
  en(`(?<!\\d days? )guarantee(?:d|s)? (?:(?:a|an|your|of|high|steady|stable|fixed|monthly|daily) )?returns?${WE}(?! (?:${RETURNS_POLICY}))`),
  en("guarantee(?:d|s)? (?:(?:a|an|your|of|high|steady|stable|fixed|monthly|daily) )?(?:income|incomes|profits?|earnings?)"),
  en(`(?:zero|no) risks?${WE}(?! of${WE}(?! ${MONEY_AT_RISK}))`),
  en("risk free"),
  en(`(?:effortless|easy|passive) (?:income|money${WE}(?! clips?${WE})|earnings?|profits?)`),
  en("(?:earn|make) money (?:while|in) (?:you|your) (?:sleep|bed)"),
  en("get rich (?:quick|fast)(?:ly)?"),
  en(
    `(?:earn|earns|earning|make|makes|making|take home) (?:(?:up to|over|more than|at least|an extra|extra|another) )?${SUM} (?:(?:a|per|each|every|/) (?:day|week|month|year)|daily|weekly|monthly|yearly)`,
    String.raw`[\s\p{Pd}_·]*`,
  ),
];

/** Shown beside every projected figure (seed 004: 所有收益展示均标注"理论测算值"). */
export const PROJECTION_LABEL = "理论测算值，非收益承诺";

/** The campaign texts shoppers see, by config key (the guard names the field it refuses). */
export const CAMPAIGN_TEXT_FIELDS = ["title", "rulesText", "posterSlogan"] as const;
export type CampaignTextField = (typeof CAMPAIGN_TEXT_FIELDS)[number];

/** Traditional (and Japanese) forms of the listed characters, negations and rhetoric, folded to Simplified so 穩賺 is refused like 稳赚. */
const TO_SIMPLIFIED: Readonly<Record<string, string>> = {
  賺: "赚",
  穩: "稳",
  穏: "稳",
  賠: "赔",
  證: "证",
  証: "证",
  収: "收",
  風: "风",
  險: "险",
  険: "险",
  無: "无",
  過: "过",
  萬: "万",
  輕: "轻",
  軽: "轻",
  鬆: "松",
  錢: "钱",
  銭: "钱",
  沒: "没",
  會: "会",
  諾: "诺",
  嗎: "吗",
  豈: "岂",
  難: "难",
  誰: "谁",
  說: "说",
  還: "还",
  為: "为",
  爲: "为",
  別: "别",
  嘗: "尝",
  屬: "属",
};

/** Never part of a claim nor a break in it: spaces, format and default-ignorable characters, and the Hangul fillers (letters that display blank). */
const INVISIBLE = /[\p{Zs}\p{Cf}\p{Default_Ignorable_Code_Point}\u115f\u1160\u3164\uffa0]/u;

/** A blank (kept as a space) or an invisible character (dropped), replaced in one pass over a text. */
const BLANK_OR_INVISIBLE = new RegExp(`\\s|${INVISIBLE.source}`, "gu");

/** Ends a clause (after NFKC, which folds ，！？； to ,!?;): the span whose negations and questions decide a disclaimer. */
const CLAUSE_END = /[,.!?;。、\n\r\u2028\u2029]/u;

/** A text as letters and digits, where punctuation breaks it (a negation must touch its claim), and its clauses with the punctuation ending each. */
interface FlatText {
  flat: string;
  breaks: number[];
  clauses: { start: number; end: string }[];
}

function flatten(s: string): FlatText {
  let flat = "";
  const breaks = [0];
  const clauses = [{ start: 0, end: "" }];
  for (const c of s.normalize("NFKC").toLowerCase()) {
    if (INVISIBLE.test(c)) continue;
    if (/[\p{L}\p{N}]/u.test(c)) {
      flat += TO_SIMPLIFIED[c] ?? c;
      continue;
    }
    if (breaks.at(-1) !== flat.length) breaks.push(flat.length);
    if (!CLAUSE_END.test(c)) continue;
    if (clauses.at(-1)!.start !== flat.length) clauses.push({ start: flat.length, end: "" });
    // "?!" and "。？" end the clause before them as a whole; punctuation opening the text ends nothing.
    const ended = clauses.at(-2);
    if (ended) ended.end += c;
  }
  return { flat, breaks, clauses };
}

const normalise = (s: string) => flatten(s).flat;

// Bare 不/非/无/没/未 already cover 并不, 绝不, 从不, 并非, 绝非, 毫无, 从未; each longer marker ends in the verb it negates.
const NEGATIONS = ["不", "非", "无", "没", "未", "没有", "不是", "不会", "不能", "无法", "不作", "不做", "不保证", "不承诺", "不存在"];

/** A second negation before the one denying the claim turns the denial into a promise (没有人不稳赚, 不可能不稳赚, 无一不). */
const NEGATION_CHARS = /[不非无没未莫勿毋]/u;

// Anywhere in the clause these ask, affirm or set a condition: rhetorical 谁说/怎能/哪有/岂/难道, A-not-A questions, 除非/莫非.
const RHETORICAL = [
  "吗", "呢", "岂", "焉", "怎", "哪", "难道", "谁说", "谁能", "谁会", "谁敢", "何不", "何尝", "何愁", "何必", "为何", "别想", "别说", "别以为",
  "还不是", "可不是", "要不", "除非", "莫非", "是不是", "会不会", "能不能", "有没有",
];

// After the claim these make the negation a double one: 想不稳赚都难, 不稳赚才怪, 非躺赚莫属, 非稳赚不可.
const INTENSIFIERS = ["都难", "也难", "才怪", "怪了", "莫属", "不行", "不可", "不成"];

/**
 * Whether the claim at `at` (of `length` letters) is a plain disclaimer: a negation directly before it, and nothing else in
 * its clause that could make the whole a promise: no earlier negation, question or rhetoric, no double-negative ending.
 * When in doubt it is not: a disclaimer refused costs a rewording, a claim let through breaks the red line.
 */
function isDisclaimer({ flat, breaks, clauses }: FlatText, at: number, length: number): boolean {
  const touching = flat.slice(breaks.filter((b) => b <= at).at(-1) ?? 0, at);
  // No marker ends another, so at most one touches the claim.
  const negation = NEGATIONS.find((m) => touching.endsWith(m));
  if (!negation) return false;
  // Every clause start is a break, so the negation lies in the claim's clause.
  const i = clauses.filter((c) => c.start <= at).length - 1;
  const clause = clauses[i]!;
  const clauseEnd = clauses[i + 1]?.start ?? flat.length;
  const text = flat.slice(clause.start, clauseEnd);
  if (NEGATION_CHARS.test(flat.slice(clause.start, at - negation.length))) return false;
  if (clause.end.includes("?") || RHETORICAL.some((w) => text.includes(w))) return false;
  return !INTENSIFIERS.some((w) => flat.slice(at + length, clauseEnd).includes(w));
}

/** The English core claims in `text`, each as written (lower case, blanks as spaces), first occurrence per pattern. */
function englishClaimsIn(text: string): string[] {
  const plain = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(BLANK_OR_INVISIBLE, (c) => (/\s/u.test(c) ? " " : ""));
  return ALWAYS_FORBIDDEN_ENGLISH_CLAIMS.flatMap((p) => p.exec(plain)?.[0].replace(/\s+/gu, " ") ?? []);
}

/**
 * The forbidden claims found in `text`: the English core's as written, then the fixed core and the configured list in list
 * order. An occurrence that a plain disclaimer denies (本活动不保证收益) is not a claim; one other occurrence still refuses the word.
 * The lists hold Chinese words only: an English word configured by the merchant is never excused (without spaces,
 * "not" cannot be told from the end of another word).
 */
export function forbiddenClaimsIn(text: string, configured: readonly string[]): string[] {
  const flat = flatten(text);
  const seen = new Set<string>();
  const hits: string[] = [...new Set(englishClaimsIn(text))];
  for (const h of hits) seen.add(normalise(h));
  for (const w of [...ALWAYS_FORBIDDEN_CLAIMS, ...configured].map((x) => x.trim())) {
    const needle = normalise(w);
    // A word of punctuation only would match every text; a variant of a listed word is reported once.
    if (!needle || seen.has(needle)) continue;
    seen.add(needle);
    for (let at = flat.flat.indexOf(needle); at >= 0; at = flat.flat.indexOf(needle, at + 1)) {
      if (!isDisclaimer(flat, at, needle.length)) {
        hits.push(w);
        break;
      }
    }
  }
  return hits;
}

/** The shopper-visible texts of a config with their dotted paths: campaign texts and tier names/labels. */
export function shopperTexts(c: {
  campaign: Readonly<Record<CampaignTextField, string>>;
  tiers: readonly { name: string; label?: string }[];
}): { path: (string | number)[]; text: string }[] {
  return [
    ...CAMPAIGN_TEXT_FIELDS.map((f) => ({ path: ["campaign", f], text: c.campaign[f] })),
    // A tier without a label is shown to shoppers by its name (server/api/routers/member.ts).
    ...c.tiers.flatMap((t, i) => [
      { path: ["tiers", i, "name"], text: t.name },
      ...(t.label === undefined ? [] : [{ path: ["tiers", i, "label"], text: t.label }]),
    ]),
  ];
}

/** The message refusing a text that makes earnings claims, naming the words. */
export function forbiddenClaimsMessage(hits: readonly string[]): string {
  return `含有禁用的收益承诺用语：${hits.map((h) => `“${h}”`).join("、")}`;
}

/** A setting name that would make earning depend on paying: refused wherever it appears. */
const PAY_TO_EARN_KEY = /(entry|join|signup|sign_up|membership|member)_?fee|deposit|fee(fen|yuan)?$|paid_?member|押金|入门费|会员费|加盟费|门槛费/i;

export function isPayToEarnKey(key: string): boolean {
  return PAY_TO_EARN_KEY.test(key);
}

/** Config maps whose keys are data, not setting names: per-category rates are keyed by category slug. */
export const DATA_KEYED_PATHS: readonly string[] = ["commission.categoryRatesBps"];

/** Paths of every setting name naming a fee, deposit or paid membership; slugs (e.g. "coffee") are data, not names. */
export function payToEarnKeys(raw: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(raw)) return raw.flatMap((v, i) => payToEarnKeys(v, [...path, i]));
  if (!raw || typeof raw !== "object") return [];
  const keysAreData = DATA_KEYED_PATHS.includes(path.join("."));
  return Object.entries(raw).flatMap(([k, v]) => [...(!keysAreData && isPayToEarnKey(k) ? [[...path, k]] : []), ...payToEarnKeys(v, [...path, k])]);
}

export const PAY_TO_EARN_MESSAGE = "合规红线：不得设置入门费、押金或付费会员作为获得收益的条件（收益只能来自商品销售）";

/** Commission levels the engine pays (server/commission MAX_COMMISSION_LEVELS). */
const COMMISSION_LEVELS = 3;

/** Depths of the sponsor tree a team bonus is earned from (SPEC §7: downline at depth 1..3). */
export const TEAM_BONUS_DEPTHS = 3;

/** What one sale can pay beyond its commission rates: tier bonus per paid level, team bonus, the top step bracket. */
export interface SaleBonusesBps {
  /** Largest tier commission bonus, added to each paid level. */
  tierBonusBps: number;
  /** Team bonus rate when some tier earns it (0 otherwise): up to one partner at each of depths 1..3. */
  teamBonusBps: number;
  /** Rate of the highest stepped-sales bracket, earned by the buyer's sponsor on top of L1. */
  stepBonusBps: number;
}

/** Most bps of the base one sale can pay: each paid level (rate above 0) with the largest tier bonus, plus team and step bonuses. */
export function maxCommissionTotalBps(ratesBps: readonly number[], bonuses: SaleBonusesBps): number {
  let total = bonuses.teamBonusBps * TEAM_BONUS_DEPTHS + bonuses.stepBonusBps;
  // The tier bonus only adds to a paid level (server/commission levelRateBps).
  for (let level = 0; level < COMMISSION_LEVELS; level++) total += (ratesBps[level] ?? 0) > 0 ? (ratesBps[level] ?? 0) + bonuses.tierBonusBps : 0;
  return total;
}

/** Basis points as the merchant types rates, a percentage (up to two decimals): 9700 → "97%", 2767 → "27.67%". */
const percent = (bps: number) => `${bps / 100}%`;

/** The refusal when the rates plus every bonus could pay more than the sale; null when within 100%. */
export function commissionTotalRefusal(ratesBps: readonly number[], bonuses: SaleBonusesBps): string | null {
  const total = maxCommissionTotalBps(ratesBps, bonuses);
  if (total <= 10000) return null;
  const rates = ratesBps.slice(0, COMMISSION_LEVELS).reduce((s, r) => s + r, 0);
  const paidLevels = ratesBps.slice(0, COMMISSION_LEVELS).filter((r) => r > 0).length;
  const parts = [
    ...(bonuses.tierBonusBps > 0 ? [`加每级最高等级佣金加成 ${percent(bonuses.tierBonusBps)} × ${paidLevels} 级`] : []),
    ...(bonuses.teamBonusBps > 0 ? [`加团队绩效 ${percent(bonuses.teamBonusBps)} × ${TEAM_BONUS_DEPTHS} 级`] : []),
    ...(bonuses.stepBonusBps > 0 ? [`加最高阶梯奖励 ${percent(bonuses.stepBonusBps)}`] : []),
  ];
  const head = `合规红线：佣金与奖励合计不能超过成交额的 100%：各级佣金之和 ${percent(rates)}`;
  return parts.length > 0 ? `${head}，${parts.join("，")}，合计 ${percent(total)}` : head;
}
