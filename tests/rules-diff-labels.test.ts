// The rules history's side-by-side diff (/merchant/rules) words every setting as the rules form does: its section and
// label, levels, tiers and brackets by position from 1, a category override by the catalogue's name, rates in %, money
// in 元, choices by their option's text. No stored key ("categoryRatesBps", "0") or raw bps / fen shows.
import { describe, expect, it } from "vitest";
import { MESSAGES } from "@/lib/i18n/messages";
import { createT, type Translator } from "@/lib/i18n/core";
import { parseConfig } from "@/server/config/schema";
import { diffRules } from "@/server/rules/diff";
import { formatRuleValue, matrixTreeLabel, settingLabel, type SettingContext } from "@/app/merchant/rules/setting-labels";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
const ctx: SettingContext = { categories: new Map([["beauty", "美妆个护"]]), matrixWidth: 4 };

// Every setting written out, then every one of them changed.
const before = parseConfig({
  commission: { enabled: true, tree: "sponsor", ratesBps: [1000, 500, 200], unlockDeepLevelsAtDirects: 0, categoryRatesBps: { beauty: [1000, 500, 200] }, distributorMode: "everyone", distributorMinSpendFen: 0 },
  rebate: { enabled: true, n: 3, percent: 100, windowDays: 30, capFen: null, minAnchorFen: 0, payout: "cash" },
  tiers: [{ name: "member", label: "会员", minDirects: 0, minTeam: 0, minGmv90Fen: 0, benefits: { discountBps: 0, commissionBonusBps: 0, priorityShipping: false } }],
  teamBonusBps: 200,
  stepBonus: { brackets: [{ minFen: 100_000, bps: 100 }] },
  returnWindowDays: 7,
  matrix: { width: 3 },
  timeZone: "Asia/Shanghai",
  withdrawal: { feeBps: 0, feeMinFen: 0 },
  adjustment: { approvalAboveFen: 100_000 },
  paymentTimeoutMinutes: 30,
  autoDeliverDays: 10,
  attributionDays: 7,
  campaign: { title: "", rulesText: "", posterSlogan: "" },
  compliance: { forbiddenClaims: ["躺赚"] },
});
const after = parseConfig({
  commission: { enabled: false, tree: "matrix", ratesBps: [1200, 600, 300], unlockDeepLevelsAtDirects: 2, categoryRatesBps: { beauty: [1500, 600, 300] }, distributorMode: "spend", distributorMinSpendFen: 9_900 },
  rebate: { enabled: false, n: 5, percent: 50, windowDays: 14, capFen: 5_000, minAnchorFen: 1_000, payout: "credit" },
  tiers: [{ name: "vip", label: "贵宾", minDirects: 1, minTeam: 5, minGmv90Fen: 100_000, benefits: { discountBps: 500, commissionBonusBps: 250, priorityShipping: true } }],
  teamBonusBps: 300,
  stepBonus: { brackets: [{ minFen: 200_000, bps: 150 }] },
  returnWindowDays: 14,
  matrix: { width: 4 },
  timeZone: "Asia/Tokyo",
  withdrawal: { feeBps: 60, feeMinFen: 100 },
  adjustment: { approvalAboveFen: 50_000 },
  paymentTimeoutMinutes: 45,
  autoDeliverDays: 7,
  attributionDays: 14,
  campaign: { title: "春季活动", rulesText: "邀请好友", posterSlogan: "好物分享" },
  compliance: { forbiddenClaims: ["稳赚"] },
});

/** The dotted path of every setting (a leaf of the stored JSON). */
function leaves(v: unknown, path = ""): string[] {
  if (v === null || typeof v !== "object") return [path];
  return Object.entries(v).flatMap(([k, x]) => leaves(x, path ? `${path}.${k}` : k));
}

/** How the form shows a number or a choice (by the path without positions and category slugs); a setting not here is a count, days or minutes, shown as typed. */
const SHOWN: [RegExp, RegExp][] = [
  [/Fen$/, /^¥\d{1,3}(,\d{3})*\.\d{2}$/],
  [/(Bps|\.bps|categoryRatesBps\.\w+)$/, /^\d+(\.\d+)?%$/],
  [/^rebate\.percent$/, /^\d+%$/],
];
const CHOICES = ["commission.tree", "commission.distributorMode", "rebate.payout"];

describe("the rules history's diff in the form's words", () => {
  const rows = diffRules(before, after);

  it("the two versions differ in every setting", () => {
    // Every setting of `before` is a row of the diff: 11 of commission (3 levels, 3 category levels), 7 of cashback, 8 of
    // the tier, 1 team bonus, 2 of the bracket, 4 of orders, matrix width, time zone, 2 of withdrawal, 1 adjustment, 3 texts, 1 word.
    const changed = new Set(rows.map((r) => r.path));
    const settings = leaves(before);
    expect(settings.length).toBe(42);
    expect(settings.filter((p) => !changed.has(p))).toEqual([]);
  });

  for (const t of [zh, en] as Translator[]) {
    it(`${t.locale}: no setting is named by its stored key or a position from 0, no rate or amount shows raw`, () => {
      for (const r of rows) {
        const label = settingLabel(r.path, t, ctx);
        const parts = label.split(" › ");
        const keys = r.path.split(".");
        // The section, the field, then positions or the category: none of them a stored key or a bare index.
        expect(parts.filter((p) => keys.includes(p) || /^\d+$/.test(p)), `${r.path} → ${label}`).toEqual([]);
        expect(label, r.path).not.toMatch(/[a-z][A-Z]/);
        for (const v of [r.before, r.after]) {
          const shown = formatRuleValue(r.path, v, t, ctx);
          const shape = r.path.split(".").filter((k) => !/^\d+$/.test(k)).join(".");
          const rule = SHOWN.find(([path]) => path.test(shape));
          if (rule && typeof v === "number") expect(shown, `${r.path} = ${v}`).toMatch(rule[1]);
          if (CHOICES.includes(r.path)) expect(shown, `${r.path} = ${String(v)}`).not.toBe(v);
          if (typeof v === "number" && rule === undefined) expect(shown, r.path).toBe(String(v));
        }
      }
    });
  }

  it("zh: a category override is 分类佣金比例 › the category's name and code › its level, its rate in %", () => {
    const row = rows.find((r) => r.path === "commission.categoryRatesBps.beauty.0")!;
    expect(settingLabel(row.path, zh, ctx)).toBe("三级分销佣金 › 分类佣金比例（覆盖默认比例） › 美妆个护（beauty） › 1 级");
    expect([formatRuleValue(row.path, row.before, zh, ctx), formatRuleValue(row.path, row.after, zh, ctx)]).toEqual(["10%", "15%"]);
    // A category no longer in the catalogue says so.
    expect(settingLabel("commission.categoryRatesBps.gone.2", zh, ctx)).toBe("三级分销佣金 › 分类佣金比例（覆盖默认比例） › gone（分类不存在） › 3 级");
  });

  it("zh: tiers, brackets and forbidden words by position from 1; amounts in 元; choices and no cap by their words", () => {
    const value = (path: string, side: "before" | "after") => formatRuleValue(path, rows.find((r) => r.path === path)![side], zh, ctx);
    expect(settingLabel("tiers.0.minGmv90Fen", zh, ctx)).toBe("会员等级 › 第 1 个等级 › 90 天业绩 ≥（元）");
    expect([value("tiers.0.minGmv90Fen", "before"), value("tiers.0.minGmv90Fen", "after")]).toEqual(["¥0.00", "¥1,000.00"]);
    expect(settingLabel("tiers.0.benefits.priorityShipping", zh, ctx)).toBe("会员等级 › 第 1 个等级 › 优先发货");
    expect(settingLabel("stepBonus.brackets.0.bps", zh, ctx)).toBe("团队绩效与阶梯奖励 › 阶梯奖励（直推月销售额） › 第 1 档 › 奖励比例（%）");
    expect([value("stepBonus.brackets.0.bps", "before"), value("stepBonus.brackets.0.bps", "after")]).toEqual(["1%", "1.5%"]);
    expect(settingLabel("compliance.forbiddenClaims.0", zh, ctx)).toBe("活动文案与合规 › 禁用词 › 第 1 项");
    expect(settingLabel("rebate.enabled", zh, ctx)).toBe("推三返一 › 启用");
    expect([value("rebate.capFen", "before"), value("rebate.capFen", "after")]).toEqual(["不限", "¥50.00"]);
    expect([value("rebate.payout", "before"), value("rebate.payout", "after")]).toEqual(["现金（可提现）", "购物金（仅限消费）"]);
    expect([value("commission.distributorMode", "before"), value("commission.distributorMode", "after")]).toEqual(["所有会员（注册即为分销员）", "累计消费达到门槛后"]);
    // The matrix tree by the shop's width (4 here); 三三 only at width 3.
    expect([value("commission.tree", "before"), value("commission.tree", "after")]).toEqual(["推荐关系（直推链）", "4 宽矩阵"]);
    expect(matrixTreeLabel(zh, 3)).toBe("三三复制矩阵");
    expect(settingLabel("matrix.width", zh, ctx)).toBe("固定设置 › 矩阵宽度");
    expect(settingLabel("adjustment.approvalAboveFen", zh, ctx)).toBe("需复核的调账金额");
    expect([value("adjustment.approvalAboveFen", "before"), value("adjustment.approvalAboveFen", "after")]).toEqual(["¥1,000.00", "¥500.00"]);
    // Days and minutes as typed: the form's label carries the unit.
    expect(settingLabel("paymentTimeoutMinutes", zh, ctx)).toBe("订单与售后 › 支付时限（分钟）");
    expect(value("paymentTimeoutMinutes", "after")).toBe("45");
  });

  it("en: the same in English", () => {
    expect(settingLabel("commission.categoryRatesBps.beauty.0", en, ctx)).toBe("Three-level commission › Category rates (override the defaults) › 美妆个护 (beauty) › Level 1");
    expect(settingLabel("tiers.0.minGmv90Fen", en, ctx)).toBe("Member tiers › Tier 1 › 90-day sales ≥ (yuan)");
    expect(formatRuleValue("commission.tree", "matrix", en, ctx)).toBe("4-wide matrix");
    expect(formatRuleValue("rebate.capFen", null, en, ctx)).toBe("No cap");
  });
});
