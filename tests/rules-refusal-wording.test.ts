// A refused rule set on the English back office says which setting and which rule: "<setting>: <rule>", from the
// issue's detail (zod's code and bounds, or the guard's custom rule and its parameters) — through the server's
// refusal (server/rules checkRuleSet, a save, the simulator) and through the rules page's own check
// (app/merchant/rules/check.ts), each setting named by the back office (app/merchant/rules/setting-name.ts).
// Chinese shows the server's own message, exactly as before.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { refusalIssues, refusalIssueText, type RefusalIssue } from "@/lib/i18n/labels";
import { checkRuleSet, RulesRefused, saveRules } from "@/server/rules";
import { DomainError } from "@/server/context";
import { DEFAULT_POPULATION } from "@/server/simulator/population";
import { queueSimulationTx } from "@/server/simulator";
import { checkRules } from "@/app/merchant/rules/check";
import { settingName } from "@/app/merchant/rules/setting-name";
import { freshDatabase } from "./helpers/db";

const en = createT("en", MESSAGES.en);
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const HAN = /\p{Script=Han}/u;

/** The guard's refusal as the page gets it (issues cross the wire as JSON), worded in `t`'s language. */
function serverWords(t: typeof en, raw: unknown): Record<string, string> {
  const r = checkRuleSet(raw);
  if (r.ok) throw new Error("expected a refusal");
  const issues = JSON.parse(JSON.stringify(r.issues)) as RefusalIssue[];
  return Object.fromEntries(issues.map((i) => [i.path, refusalIssueText(t, i, settingName)]));
}

/** The rules page's own check of the same values. */
function pageWords(t: typeof en, raw: unknown): Record<string, string> {
  return Object.fromEntries(checkRules(t, raw).map((r) => [r.path.join("."), r.text]));
}

const FOUR_LEVELS = { commission: { ratesBps: [1000, 500, 200, 100] } };
const L1_BELOW_L2 = { commission: { ratesBps: [500, 1000, 200] } };
const NEGATIVE_L3 = { commission: { ratesBps: [1000, 500, -1] } };
const CASHBACK_OVER_100 = { rebate: { percent: 101 } };
const CLAIMS = { campaign: { title: "月入过万，轻松赚钱" } };
const BRACKETS_DOWN = { stepBonus: { brackets: [{ minFen: 100_000, bps: 100 }, { minFen: 50_000, bps: 200 }] } };
const ENTRY_FEE = { commission: { entryFeeFen: 9_900 } };

// Worded by hand: the setting's name, then zod's rule in the API's words (bps as %, fen as ¥) or the guard's own rule.
const ENGLISH: [string, unknown, string, string][] = [
  ["4 commission levels", FOUR_LEVELS, "commission.ratesBps", "Commission rates per level: must have at most 3 items"],
  ["L1 below L2", L1_BELOW_L2, "commission.ratesBps", "Commission rates per level: must be level 1 ≥ level 2 ≥ level 3"],
  ["a negative level-3 rate", NEGATIVE_L3, "commission.ratesBps.2", "Level 3 commission rate: must be at least 0%"],
  ["a cashback over 100%", CASHBACK_OVER_100, "rebate.percent", "Cashback percentage: must be at most 100%"],
  ["earnings claims in the title, named", CLAIMS, "campaign.title", 'Campaign title: must not make earnings claims: "月入过万", "轻松赚钱"'],
  ["brackets not increasing", BRACKETS_DOWN, "stepBonus.brackets.1.minFen", "Bracket 2 minimum sales: must be more than the previous bracket's ¥1000.00"],
];

const PAY_TO_EARN = "an entry fee, deposit or paid membership can never be a condition of earning (earnings come from sales only)";

describe("English: each refused setting by its name and the rule it broke", () => {
  it.each(ENGLISH)("%s, from the server's refusal and from the page's own check", (_, raw, path, text) => {
    expect(serverWords(en, raw)).toEqual({ [path]: text });
    expect(pageWords(en, raw)).toEqual({ [path]: text });
  });

  it("a pay-to-earn setting: the server names the key, the page's check the section holding it", () => {
    expect(serverWords(en, ENTRY_FEE)).toEqual({ "commission.entryFeeFen": `commission.entryFeeFen: ${PAY_TO_EARN}` });
    expect(pageWords(en, ENTRY_FEE)).toEqual({ commission: `Commission settings: ${PAY_TO_EARN}` });
  });

  it("no Chinese is left in the English wording except the forbidden words themselves", () => {
    for (const [, raw] of ENGLISH) for (const text of Object.values(serverWords(en, raw))) expect(text.replaceAll(/"[^"]*"/g, "")).not.toMatch(HAN);
  });

  it("an issue without a detail or a known rule keeps the generic sentence", () => {
    expect(refusalIssueText(en, { path: "reason", message: "请填写修改原因" })).toBe("Not accepted: please check this value");
    expect(refusalIssueText(en, { path: "population.categories", message: "类目占比之和须大于 0", detail: { code: "custom" } })).toBe("Not accepted: please check this value");
  });

  it("without the back office's names, a field is named by its input name, else its path", () => {
    const tooShort = { code: "too_small", origin: "string", minimum: 1, inclusive: true };
    expect(refusalIssueText(en, { path: "name", message: "请填写名称", detail: tooShort })).toBe("Name: must not be empty");
    expect(refusalIssueText(en, { path: "campaign.posterSlogan", message: "海报标语最多 40 字", detail: { code: "too_big", origin: "string", maximum: 40, inclusive: true } })).toBe(
      "campaign.posterSlogan: must be at most 40 characters",
    );
  });
});

describe("Chinese: the server's own messages, exactly as before", () => {
  const CHINESE: [unknown, Record<string, string>][] = [
    [FOUR_LEVELS, { "commission.ratesBps": "合规红线：最多 3 级佣金" }],
    [L1_BELOW_L2, { "commission.ratesBps": "佣金比例须满足 一级 ≥ 二级 ≥ 三级" }],
    [NEGATIVE_L3, { "commission.ratesBps.2": "佣金比例不能小于 0" }],
    [CASHBACK_OVER_100, { "rebate.percent": "返现比例不能超过 100%" }],
    [CLAIMS, { "campaign.title": "含有禁用的收益承诺用语：“月入过万”、“轻松赚钱”" }],
    [BRACKETS_DOWN, { "stepBonus.brackets.1.minFen": "月销售额门槛须高于上一档（1000.00 元）：阶梯须逐档递增" }],
    [ENTRY_FEE, { "commission.entryFeeFen": "合规红线：不得设置入门费、押金或付费会员作为获得收益的条件（收益只能来自商品销售）" }],
  ];
  it.each(CHINESE)("%j", (raw, messages) => {
    const r = checkRuleSet(raw);
    expect(r.ok ? {} : Object.fromEntries(r.issues.map((i) => [i.path, i.message]))).toEqual(messages);
    expect(serverWords(zh, raw)).toEqual(messages);
  });

  it("the page's own check shows the schema's messages", () => {
    expect(pageWords(zh, L1_BELOW_L2)).toEqual({ "commission.ratesBps": "佣金比例须满足 一级 ≥ 二级 ≥ 三级" });
    expect(pageWords(zh, CLAIMS)).toEqual({ "campaign.title": "含有禁用的收益承诺用语：“月入过万”、“轻松赚钱”" });
  });
});

describe("the refusals of a save and of a simulation carry the detail", () => {
  let database: Database;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(() => database.close());

  it("a save the guard refuses: each setting worded in English, the reason generic", async () => {
    const e = await saveRules(database.prisma, { staffId: 1, requestId: "req-wording" }, { config: { ...L1_BELOW_L2, ...CLAIMS }, reason: "" }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RulesRefused);
    const data = { domainCode: "RULES_REFUSED", domainIssues: JSON.parse(JSON.stringify((e as RulesRefused).issues)) as RefusalIssue[] };
    expect(refusalIssues(en, { message: (e as Error).message, data }, settingName).map((i) => [i.path, i.text])).toEqual([
      ["reason", "Not accepted: please check this value"],
      ["commission.ratesBps", "Commission rates per level: must be level 1 ≥ level 2 ≥ level 3"],
      ["campaign.title", 'Campaign title: must not make earnings claims: "月入过万", "轻松赚钱"'],
    ]);
  });

  it("a simulation's population: the setting's name and zod's rule", async () => {
    const e = await queueSimulationTx(database.prisma, { staffId: 7, requestId: "req-sim" }, { name: "x", population: { ...DEFAULT_POPULATION, members: 5, refundPercent: 120 } }, new Date()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DomainError);
    const issues = JSON.parse(JSON.stringify((e as DomainError).issues)) as RefusalIssue[];
    expect(issues.map((i) => refusalIssueText(en, i, settingName))).toEqual(["Members: must be at least 10", "Refund rate (%): must be at most 100%"]);
    expect(issues.map((i) => refusalIssueText(zh, i, settingName))).toEqual(["会员数至少 10", "退款率不能超过 100%"]);
  });
});
