// A rule version's settings as the rules form words them, for the history's side-by-side diff (server/rules/diff.ts
// rows): the form's section and field labels, levels, tiers and brackets by position, categories by their catalogue
// name, rates in %, money in 元, the choices by their option text.
import type { MessageKey, Translator } from "@/lib/i18n/core";
import { formatBps, formatYuanGrouped } from "@/components/money";

/** What a path alone does not say: the catalogue's category names by slug, and the (fixed) matrix width. */
export interface SettingContext {
  categories: ReadonlyMap<string, string>;
  matrixWidth: number;
}

/** The matrix commission tree by its configured width: 三三 (3×3) only when each seat has 3 places below it (SPEC §3). */
export function matrixTreeLabel(t: Translator, width: number): string {
  return width === 3 ? t("rules.c.tree.matrix") : t("rules.c.tree.matrixWidth", { width });
}

const SECTIONS: Record<string, MessageKey> = {
  commission: "rules.section.commission",
  rebate: "rules.section.rebate",
  tiers: "rules.section.tiers",
  teamBonusBps: "rules.section.bonus",
  stepBonus: "rules.section.bonus",
  returnWindowDays: "rules.section.orders",
  paymentTimeoutMinutes: "rules.section.orders",
  autoDeliverDays: "rules.section.orders",
  attributionDays: "rules.section.orders",
  withdrawal: "rules.section.withdrawal",
  campaign: "rules.section.campaign",
  compliance: "rules.section.campaign",
  matrix: "rules.section.fixed",
  timeZone: "rules.section.fixed",
};

/** Each setting's field label, by its path with positions and category slugs left out. */
const FIELDS: Record<string, MessageKey> = {
  "commission.enabled": "rules.enabled",
  "commission.tree": "rules.c.tree",
  "commission.ratesBps": "rules.c.rates",
  "commission.categoryRatesBps": "rules.c.categories",
  "commission.unlockDeepLevelsAtDirects": "rules.c.unlock",
  "commission.distributorMode": "rules.c.mode",
  "commission.distributorMinSpendFen": "rules.c.minSpend",
  "rebate.enabled": "rules.enabled",
  "rebate.n": "rules.r.n",
  "rebate.percent": "rules.r.percent",
  "rebate.windowDays": "rules.r.window",
  "rebate.capFen": "rules.r.cap",
  "rebate.minAnchorFen": "rules.r.minAnchor",
  "rebate.payout": "rules.r.payout",
  "tiers.name": "rules.t.name",
  "tiers.label": "rules.t.label",
  "tiers.minDirects": "rules.t.minDirects",
  "tiers.minTeam": "rules.t.minTeam",
  "tiers.minGmv90Fen": "rules.t.minGmv",
  "tiers.benefits.discountBps": "rules.t.discount",
  "tiers.benefits.commissionBonusBps": "rules.t.bonus",
  "tiers.benefits.priorityShipping": "rules.t.priority",
  teamBonusBps: "rules.b.team",
  "stepBonus.brackets": "rules.b.brackets",
  "stepBonus.brackets.minFen": "rules.b.min",
  "stepBonus.brackets.bps": "rules.b.bps",
  returnWindowDays: "rules.o.returnWindow",
  paymentTimeoutMinutes: "rules.o.paymentTimeout",
  autoDeliverDays: "rules.o.autoDeliver",
  attributionDays: "rules.o.attribution",
  "withdrawal.feeBps": "rules.w.feeBps",
  "withdrawal.feeMinFen": "rules.w.feeMin",
  "adjustment.approvalAboveFen": "m.rules.field.adjustment.approvalAboveFen",
  "campaign.title": "rules.k.title",
  "campaign.rulesText": "rules.k.rulesText",
  "campaign.posterSlogan": "rules.k.slogan",
  // The form's label carries a long explanation of the words always refused: the setting's short name.
  "compliance.forbiddenClaims": "m.rules.field.compliance.forbiddenClaims",
  "matrix.width": "m.rules.field.matrix.width",
  timeZone: "m.rules.field.timeZone",
};

/** The position words of a list's element, by the list's path. */
const POSITIONS: Record<string, (t: Translator, n: number) => string> = {
  "commission.ratesBps": (t, n) => t("rules.c.level", { level: n }),
  "commission.categoryRatesBps": (t, n) => t("rules.c.level", { level: n }),
  tiers: (t, n) => t("rules.diff.tier", { n }),
  "stepBonus.brackets": (t, n) => t("rules.diff.bracket", { n }),
  "compliance.forbiddenClaims": (t, n) => t("rules.diff.item", { n }),
};

/**
 * "commission.categoryRatesBps.beauty.0" → "三级分销佣金 › 分类佣金比例（覆盖默认比例） › 美妆个护（beauty） › 1 级": the form's section, the field,
 * then the element's position (from 1) or category. A path the form does not know keeps its own words.
 */
export function settingLabel(path: string, t: Translator, ctx: SettingContext): string {
  const parts = path.split(".");
  const section = SECTIONS[parts[0]!];
  const out = section ? [t(section)] : [];
  // The path so far without positions and categories: a field's key (FIELDS) or a group of fields (a key's prefix).
  let shape = "";
  parts.forEach((p, i) => {
    if (shape === "commission.categoryRatesBps" && parts[i - 1] === "categoryRatesBps") {
      const name = ctx.categories.get(p);
      out.push(name === undefined ? t("rules.c.categoryUnknown", { slug: p }) : t("rules.diff.category", { name, slug: p }));
    } else if (/^\d+$/.test(p) && POSITIONS[shape]) {
      out.push(POSITIONS[shape]!(t, Number(p) + 1));
    } else {
      shape = shape ? `${shape}.${p}` : p;
      const key = FIELDS[shape];
      if (key) out.push(t(key));
      else if (!Object.keys(FIELDS).some((f) => f.startsWith(`${shape}.`))) out.push(p);
    }
  });
  return out.join(" › ");
}

const CHOICES: Record<string, (t: Translator, v: string, ctx: SettingContext) => string | undefined> = {
  "commission.tree": (t, v, ctx) => (v === "matrix" ? matrixTreeLabel(t, ctx.matrixWidth) : t.opt(`rules.c.tree.${v}`, v)),
  "commission.distributorMode": (t, v) => t.opt(`rules.c.mode.${v}`, v),
  "rebate.payout": (t, v) => t.opt(`rules.r.payout.${v}`, v),
};

/**
 * A setting's value as the form shows it: fen in 元 grouped by thousands, bps in %, a choice by its option's text, no
 * cashback cap as 不限; counts, days and minutes as numbers (their unit is in the label), texts as they are.
 */
export function formatRuleValue(path: string, v: unknown, t: Translator, ctx: SettingContext = { categories: new Map(), matrixWidth: 3 }): string {
  if (path === "rebate.capFen" && v === null) return t("rules.diff.noCap");
  if (v === undefined || v === null || v === "") return t("rules.empty");
  const parts = path.split(".");
  const named = parts.filter((p) => !/^\d+$/.test(p));
  const leaf = named.at(-1) ?? "";
  if (typeof v === "number") {
    if (/Fen$/.test(leaf)) return formatYuanGrouped(v);
    if (/Bps$/.test(leaf) || leaf === "bps" || parts[1] === "categoryRatesBps") return formatBps(v);
    if (leaf === "percent") return `${v}%`;
    return String(v);
  }
  if (typeof v === "boolean") return v ? "✓" : "✗";
  if (typeof v === "string") return CHOICES[path]?.(t, v, ctx) ?? v;
  // An empty list or map (no brackets, no category overrides) is a value of its own.
  if (Array.isArray(v) && v.length === 0) return t("rules.empty");
  if (v && typeof v === "object" && Object.keys(v).length === 0) return t("rules.empty");
  return JSON.stringify(v);
}
