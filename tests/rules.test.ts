// Program rules (issue 11): the compliance guard refuses each forbidden setting with a message on
// its field; versions are effective-dated; a rule change between payment and settlement changes
// nothing already earned, while a new order follows the new version.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, loadRules } from "../server/context";
import { defaultConfig, parseConfig } from "../server/config/schema";
import { checkRuleSet, diffRules, listRuleVersions, ruleVersionDiff, RulesRefused, saveRules } from "../server/rules";
import { ALWAYS_FORBIDDEN_CLAIMS, DEFAULT_FORBIDDEN_CLAIMS, forbiddenClaimsIn, maxCommissionTotalBps, PAY_TO_EARN_MESSAGE } from "../server/rules/compliance";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment, shipOrder, confirmDelivery } from "../server/orders";
import { runDueTransitions } from "../server/scheduler";
import { walletOf } from "../server/wallet/ledger";
import { DAY } from "../server/clock/time";
import { freshDatabase } from "./helpers/db";
import { createSimpleProduct } from "../server/catalog/admin";

const OWNER = { staffId: 1, requestId: "req-rules" };

/** The issues the guard reports for a config, as { path: message }. */
function refusals(raw: unknown): Record<string, string> {
  const r = checkRuleSet(raw);
  if (r.ok) return {};
  return Object.fromEntries(r.issues.map((i) => [i.path, i.message]));
}

describe("compliance guard (refusals per field)", () => {
  it("accepts the defaults and 3 levels", () => {
    expect(checkRuleSet({}).ok).toBe(true);
    expect(checkRuleSet({ commission: { ratesBps: [1200, 600, 300] } }).ok).toBe(true);
  });

  it("refuses more than 3 paid levels, for the default rates and for a category's", () => {
    expect(refusals({ commission: { ratesBps: [1000, 500, 200, 100] } })).toEqual({ "commission.ratesBps": expect.stringContaining("最多 3 级") });
    expect(refusals({ commission: { categoryRatesBps: { tea: [300, 200, 100, 50] } } })).toEqual({ "commission.categoryRatesBps.tea": expect.stringContaining("最多 3 级") });
  });

  it("refuses L1 ≥ L2 ≥ L3 broken", () => {
    expect(refusals({ commission: { ratesBps: [500, 600, 100] } })).toEqual({ "commission.ratesBps": expect.stringContaining("一级 ≥ 二级 ≥ 三级") });
    expect(refusals({ commission: { ratesBps: [500, 400, 450] } })).toEqual({ "commission.ratesBps": expect.stringContaining("一级 ≥ 二级 ≥ 三级") });
  });

  it("refuses rates and percentages out of range, naming the field", () => {
    expect(refusals({ commission: { ratesBps: [10001, 0, 0] } })["commission.ratesBps.0"]).toMatch(/不能超过 100%/);
    expect(refusals({ commission: { ratesBps: [-1] } })["commission.ratesBps.0"]).toMatch(/不能小于 0/);
    expect(refusals({ rebate: { percent: 101 } })).toEqual({ "rebate.percent": "返现比例不能超过 100%" });
    expect(refusals({ rebate: { percent: -5 } })).toEqual({ "rebate.percent": "返现比例不能小于 0%" });
    expect(refusals({ teamBonusBps: 20000 })).toEqual({ teamBonusBps: expect.stringContaining("团队绩效比例不能超过 100%") });
    expect(refusals({ stepBonus: { brackets: [{ minFen: 0, bps: 10001 }] } })).toHaveProperty(["stepBonus.brackets.0.bps"]);
    expect(refusals({ tiers: [{ name: "member", benefits: { discountBps: 12000 } }] })).toEqual({ "tiers.0.benefits.discountBps": expect.stringContaining("自购折扣") });
    expect(refusals({ rebate: { n: 0 } })).toEqual({ "rebate.n": "邀请人数至少 1 人" });
    expect(refusals({ returnWindowDays: -1 })).toEqual({ returnWindowDays: "售后期不能小于 0 天" });
  });

  it("no entry fee, deposit or paid membership can be expressed anywhere", () => {
    for (const raw of [
      { entryFeeFen: 9900 },
      { commission: { depositFen: 100 } },
      { tiers: [{ name: "member" }, { name: "vip", membershipFeeFen: 19900 }] },
      { tiers: [{ name: "vip", benefits: { paidMember: true } }] },
      { rebate: { 押金: 100 } },
      { stepBonus: { brackets: [{ minFen: 0, bps: 100, joinFee: 1 }] } },
    ]) {
      const r = refusals(raw);
      expect(Object.values(r)).toEqual([PAY_TO_EARN_MESSAGE]);
    }
    expect(refusals({ tiers: [{ name: "vip", membershipFeeFen: 1 }] })).toEqual({ "tiers.0.membershipFeeFen": PAY_TO_EARN_MESSAGE });
    // The schema itself refuses such keys too (the form shares it): strict objects, compliance message.
    expect(() => parseConfig({ tiers: [{ name: "vip", entryFeeFen: 1 }] })).toThrow(PAY_TO_EARN_MESSAGE);
  });

  it("refuses campaign texts with forbidden earnings claims, per text", () => {
    expect(refusals({ campaign: { title: "邀请好友躺赚返现" } })).toEqual({ "campaign.title": "含有禁用的收益承诺用语：“躺赚”" });
    expect(refusals({ campaign: { rulesText: "零风险，月 入 过 万" } })).toEqual({ "campaign.rulesText": "含有禁用的收益承诺用语：“零风险”、“月入过万”" });
    expect(refusals({ campaign: { posterSlogan: "每天日赚500" } })).toEqual({ "campaign.posterSlogan": expect.stringContaining("日赚") });
    expect(checkRuleSet({ campaign: { title: "推三返一", rulesText: "邀请 3 位好友首单，返还你的订单金额。收益源于商品销售。", posterSlogan: "好物一起买" } }).ok).toBe(true);
  });

  it("the forbidden list is configurable, but the core claims cannot be removed", () => {
    expect(refusals({ campaign: { title: "限时暴富" }, compliance: { forbiddenClaims: ["暴富"] } })).toEqual({ "campaign.title": "含有禁用的收益承诺用语：“暴富”" });
    expect(refusals({ campaign: { title: "稳赚" }, compliance: { forbiddenClaims: [] } })).toEqual({ "campaign.title": "含有禁用的收益承诺用语：“稳赚”" });
    expect(defaultConfig.compliance.forbiddenClaims).toEqual([...DEFAULT_FORBIDDEN_CLAIMS]);
    for (const w of ["躺赚", "稳赚", "保证收益", "零风险", "月入过万", "日赚"]) expect(ALWAYS_FORBIDDEN_CLAIMS).toContain(w);
    expect(forbiddenClaimsIn("ＳＴＥＡＤＹ 躺 赚", [])).toEqual(["躺赚"]);
  });

  it("a claim split by zero-width/format characters or punctuation, or written in Traditional characters, is still refused", () => {
    for (const [text, word] of [
      ["躺\u200b赚", "躺赚"],
      ["稳\u2060赚", "稳赚"],
      ["保证\u00ad收益", "保证收益"],
      ["躺·赚", "躺赚"],
      ["躺.赚", "躺赚"],
      ["躺-赚", "躺赚"],
      ["穩賺", "稳赚"],
      ["保證收益", "保证收益"],
      ["零風險", "零风险"],
      ["月入過萬", "月入过万"],
      ["日賺", "日赚"],
    ]) {
      expect(forbiddenClaimsIn(text, [])).toEqual([word]);
    }
    expect(refusals({ campaign: { title: "邀请好友躺\u200b赚" } })).toEqual({ "campaign.title": "含有禁用的收益承诺用语：“躺赚”" });
    expect(refusals({ campaign: { posterSlogan: "穩賺不賠" } })).toEqual({ "campaign.posterSlogan": "含有禁用的收益承诺用语：“稳赚”、“稳赚不赔”" });
    // Merchant-configured words fold the same way, in either direction; the word is named as configured.
    expect(forbiddenClaimsIn("一本萬利", ["一本万利"])).toEqual(["一本万利"]);
    expect(forbiddenClaimsIn("轻松赚钱", ["輕鬆賺錢"])).toEqual(["輕鬆賺錢"]);
    // A configured word of punctuation only matches nothing (not every text).
    expect(checkRuleSet({ campaign: { title: "推三返一·好物一起买" }, compliance: { forbiddenClaims: ["!!", "·"] } }).ok).toBe(true);
  });

  it("a claim directly negated in its clause is a disclaimer; every occurrence is checked, and 不仅/不只, a later 不 or a doubled negation excuse nothing", () => {
    for (const text of [
      "本活动不保证收益", // 不 + 保证收益
      "推广有风险，并非零风险", // 并非 ends in 非
      "理论测算值，非保证收益", // the clause after the comma is 非
      "佣金不是稳赚的",
      "我们不承诺日赚",
      "并不存在零风险的投资", // 不存在, after 并
      "没有无风险的收益",
      "本活動無法保證收益", // Traditional 無法 … 保證 fold to 无法 … 保证
      "沒有零風險", // 沒 folds to 没
      "收益不會穩賺", // 會 folds to 会
    ]) {
      expect(forbiddenClaimsIn(text, DEFAULT_FORBIDDEN_CLAIMS), text).toEqual([]);
    }
    for (const [text, word] of [
      ["躺赚不是梦", "躺赚"], // the 不 comes after the word
      ["不只是躺赚", "躺赚"], // 不只/不仅 add to the claim, they do not deny it
      ["不仅稳赚", "稳赚"],
      ["绝对保证收益", "保证收益"],
      ["保证收益，不骗人", "保证收益"],
      ["不怕亏，稳赚", "稳赚"], // 不 denies 怕亏, and its clause ends at the comma
      ["怕亏？不！稳赚", "稳赚"], // the 不 stands in a clause of its own
      ["没有不稳赚的", "稳赚"], // 没有不 = every one does
      ["无不躺赚", "躺赚"],
      ["岂不是躺赚", "躺赚"], // rhetorical: it surely is
      ["难道不是稳赚吗", "稳赚"],
    ]) {
      expect(forbiddenClaimsIn(text, []), text).toEqual([word]);
    }
    // Per occurrence: one plain occurrence refuses the word, whichever comes first.
    expect(forbiddenClaimsIn("本活动不保证收益，但邀请好友保证收益", [])).toEqual(["保证收益"]);
    expect(forbiddenClaimsIn("保证收益！详见规则：不保证收益", [])).toEqual(["保证收益"]);
    expect(forbiddenClaimsIn("不保证收益，并非零风险，不保证收益", [])).toEqual([]);
    // The campaign texts take a disclaimer; the lists hold no English, and a configured English word is never excused.
    expect(checkRuleSet({ campaign: { rulesText: "收益源于商品销售，不保证收益，并非零风险。" } }).ok).toBe(true);
    expect(refusals({ campaign: { posterSlogan: "别人不保证收益，我们保证收益" } })).toEqual({ "campaign.posterSlogan": "含有禁用的收益承诺用语：“保证收益”" });
    expect(forbiddenClaimsIn("no guaranteed income", ["guaranteed income"])).toEqual(["guaranteed income"]);
  });

  it("every shopper-visible text is checked: tier labels, and tier names (shown when there is no label)", () => {
    expect(refusals({ tiers: [{ name: "member", label: "会员" }, { name: "vip", label: "稳赚合伙人", minDirects: 3 }] })).toEqual({
      "tiers.1.label": "含有禁用的收益承诺用语：“稳赚”",
    });
    expect(refusals({ tiers: [{ name: "躺赚达人" }] })).toEqual({ "tiers.0.name": "含有禁用的收益承诺用语：“躺赚”" });
    expect(refusals({ tiers: [{ name: "member", label: "暴富会员" }], compliance: { forbiddenClaims: ["暴富"] } })).toEqual({ "tiers.0.label": "含有禁用的收益承诺用语：“暴富”" });
  });

  it("a per-category rate keyed by a slug ending in 'fee' is data, while genuine fee settings are still refused", () => {
    expect(refusals({ commission: { categoryRatesBps: { coffee: [300, 100, 50] } } })).toEqual({});
    expect(refusals({ commission: { categoryRatesBps: { coffee: [300, 100, 50] }, depositFen: 100 } })).toEqual({ "commission.depositFen": PAY_TO_EARN_MESSAGE });
    expect(refusals({ commission: { categoryRatesBps: { coffee: { entryFeeFen: 1 } } } })).toEqual({ "commission.categoryRatesBps.coffee.entryFeeFen": PAY_TO_EARN_MESSAGE });
  });

  it("refuses commissions that could pay more than the sale: the levels' rates plus, per level, the largest tier bonus", () => {
    // Without a partner tier no team bonus is paid; 3 × 100% = 300% of the sale.
    const noPartner = [{ name: "member" }];
    expect(refusals({ commission: { ratesBps: [10000, 10000, 10000] }, tiers: noPartner })).toEqual({
      "commission.ratesBps": "合规红线：佣金与奖励合计不能超过成交额的 100%：各级佣金之和 300%",
    });
    expect(checkRuleSet({ commission: { ratesBps: [4000, 3000, 3000] }, tiers: noPartner }).ok).toBe(true);
    expect(refusals({ commission: { ratesBps: [4000, 3000, 3001] }, tiers: noPartner })).toHaveProperty(["commission.ratesBps"]);
    // Default rates 1000 + 500 + 200 = 1700; the bonus is added at each of the 3 levels: 1700 + 3 × 2766 = 9998.
    expect(checkRuleSet({ tiers: [{ name: "member", benefits: { commissionBonusBps: 2766 } }] }).ok).toBe(true);
    // 1700 + 3 × 2767 = 10001; the largest bonus of any tier counts.
    expect(refusals({ tiers: [{ name: "member", benefits: { commissionBonusBps: 100 } }, { name: "vip", minDirects: 3, benefits: { commissionBonusBps: 2767 } }] })).toEqual({
      "commission.ratesBps": "合规红线：佣金与奖励合计不能超过成交额的 100%：各级佣金之和 17%，加每级最高等级佣金加成 27.67% × 3 级，合计 100.01%",
    });
    expect(refusals({ tiers: [{ name: "member", benefits: { commissionBonusBps: 10000 } }] })).toHaveProperty(["commission.ratesBps"]);
    // Each category's rates too: tea 3000 + 1000 + 1000 + 3 × 2000 = 11000; the defaults 1700 + 6000 = 7700 pass.
    expect(refusals({ commission: { categoryRatesBps: { tea: [3000, 1000, 1000], coffee: [300, 100, 50] } }, tiers: [{ name: "member", benefits: { commissionBonusBps: 2000 } }] })).toEqual({
      "commission.categoryRatesBps.tea": "合规红线：佣金与奖励合计不能超过成交额的 100%：各级佣金之和 50%，加每级最高等级佣金加成 20% × 3 级，合计 110%",
    });
    // The bonus adds only to a paid level (a level at 0 stays unpaid): 1000 + 500 for one level, 9000 + 1000 + 0 for two.
    expect(maxCommissionTotalBps([1000, 0, 0], { tierBonusBps: 500, teamBonusBps: 0, stepBonusBps: 0 })).toBe(1500);
    expect(checkRuleSet({ commission: { ratesBps: [8000, 1000, 0] }, tiers: [{ name: "member", benefits: { commissionBonusBps: 500 } }] }).ok).toBe(true);
    expect(refusals({ commission: { ratesBps: [8000, 1000, 0] }, tiers: [{ name: "member", benefits: { commissionBonusBps: 501 } }] })).toEqual({
      "commission.ratesBps": "合规红线：佣金与奖励合计不能超过成交额的 100%：各级佣金之和 90%，加每级最高等级佣金加成 5.01% × 2 级，合计 100.02%",
    });
  });

  it("counts the team bonus (a partner at each of depths 1..3) and the top step bracket (the sponsor) in the same 100%", () => {
    // Default tiers include partner: 4000 + 3000 + 3000 + 3 × 200 (team) = 10600.
    expect(refusals({ commission: { ratesBps: [4000, 3000, 3000] } })).toEqual({
      "commission.ratesBps": "合规红线：佣金与奖励合计不能超过成交额的 100%：各级佣金之和 100%，加团队绩效 2% × 3 级，合计 106%",
    });
    // 4000 + 3000 + 2400 + 600 = 10000 exactly: allowed.
    expect(checkRuleSet({ commission: { ratesBps: [4000, 3000, 2400] } }).ok).toBe(true);
    // The top bracket counts, not the first: 1700 + 600 + 7701 = 10001.
    expect(refusals({ stepBonus: { brackets: [{ minFen: 0, bps: 500 }, { minFen: 5_000_000, bps: 7701 }] } })).toEqual({
      "commission.ratesBps": "合规红线：佣金与奖励合计不能超过成交额的 100%：各级佣金之和 17%，加团队绩效 2% × 3 级，加最高阶梯奖励 77.01%，合计 100.01%",
    });
    expect(checkRuleSet({ stepBonus: { brackets: [{ minFen: 0, bps: 500 }, { minFen: 5_000_000, bps: 7700 }] } }).ok).toBe(true);
    // A team bonus rate with no partner tier pays nobody and is not counted: 10000 + 0.
    expect(checkRuleSet({ commission: { ratesBps: [4000, 3000, 3000] }, teamBonusBps: 5000, tiers: [{ name: "member" }] }).ok).toBe(true);
  });
});

describe("rule diff", () => {
  it("lists the settings that changed, before and after", () => {
    const a = parseConfig({});
    const b = parseConfig({ commission: { ratesBps: [1200, 500, 200] }, campaign: { title: "推三返一" } });
    expect(diffRules(a, b)).toEqual([
      { path: "commission.ratesBps.0", before: 1000, after: 1200 },
      { path: "campaign.title", before: "", after: "推三返一" },
    ]);
    // A tier's benefits written out at their zero values are no change; a real benefit is.
    const withZeros = parseConfig({ tiers: [{ name: "member", benefits: { discountBps: 0, priorityShipping: false } }, { name: "promoter", minDirects: 3 }, { name: "partner", minDirects: 10, minGmv90Fen: 5_000_000 }] });
    const plain = parseConfig({ tiers: [{ name: "member" }, { name: "promoter", minDirects: 3 }, { name: "partner", minDirects: 10, minGmv90Fen: 5_000_000 }] });
    expect(diffRules(plain, withZeros)).toEqual([]);
    expect(diffRules(plain, parseConfig({ ...plain, tiers: [{ name: "member", benefits: { discountBps: 500 } }, ...plain.tiers.slice(1)] }))).toEqual([
      { path: "tiers.0.benefits.discountBps", before: undefined, after: 500 },
    ]);
  });

  it("an added list element or map entry shows every leaf, zeros included, and no false removal; a removed one shows as removed", () => {
    const none = { stepBonus: { brackets: [] } };
    const one = { stepBonus: { brackets: [{ minFen: 0, bps: 500 }] } };
    expect(diffRules(none, one)).toEqual([
      { path: "stepBonus.brackets.0.minFen", before: undefined, after: 0 },
      { path: "stepBonus.brackets.0.bps", before: undefined, after: 500 },
    ]);
    expect(diffRules(one, none)).toEqual([
      { path: "stepBonus.brackets.0.minFen", before: 0, after: undefined },
      { path: "stepBonus.brackets.0.bps", before: 500, after: undefined },
    ]);
    // {} becoming non-empty: a category's rates [300] read as [300, 0, 0].
    expect(diffRules(parseConfig({}), parseConfig({ commission: { categoryRatesBps: { coffee: [300] } } }))).toEqual([
      { path: "commission.categoryRatesBps.coffee.0", before: undefined, after: 300 },
      { path: "commission.categoryRatesBps.coffee.1", before: undefined, after: 0 },
      { path: "commission.categoryRatesBps.coffee.2", before: undefined, after: 0 },
    ]);
    expect(diffRules({ rates: { coffee: [300, 0, 0] } }, { rates: {} })).toEqual([
      { path: "rates.coffee.0", before: 300, after: undefined },
      { path: "rates.coffee.1", before: 0, after: undefined },
      { path: "rates.coffee.2", before: 0, after: undefined },
    ]);
    // A new tier: its 0, false and "" values are part of it.
    expect(diffRules({ tiers: [{ name: "member" }] }, { tiers: [{ name: "member" }, { name: "vip", label: "", minDirects: 0, benefits: { priorityShipping: false } }] })).toEqual([
      { path: "tiers.1.name", before: undefined, after: "vip" },
      { path: "tiers.1.label", before: undefined, after: "" },
      { path: "tiers.1.minDirects", before: undefined, after: 0 },
      { path: "tiers.1.benefits.priorityShipping", before: undefined, after: false },
    ]);
  });
});

describe("rule versions", () => {
  let database: Database;
  const t0 = new Date("2026-06-01T02:00:00Z");
  const at = (days: number) => new Date(t0.getTime() + days * DAY);

  beforeEach(async () => {
    database = await freshDatabase();
    await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 50 });
  });
  afterEach(() => database.close());

  const db = () => database.prisma;
  const member = (username: string, sponsorId: number | null, now: Date) => inTx(db(), { now }, (ctx) => registerMember(ctx, { username, sponsorId }));
  async function paidOrder(memberId: number, now: Date) {
    const o = await inTx(db(), { now }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
    await inTx(db(), { now }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    return o;
  }

  it("saving makes version 1 of the rules so far and version 2 of the change; effective-dated; refusals store nothing", async () => {
    const before = await paidOrder((await member("a", null, t0)).id, t0);
    expect((await db().order.findUniqueOrThrow({ where: { id: before.id } })).ruleVersionId).toBeNull();

    const v2 = await saveRules(db(), OWNER, { config: { ...defaultConfig, commission: { ...defaultConfig.commission, ratesBps: [1500, 500, 200] } }, reason: "618 加码" }, t0);
    expect(v2.version).toBe(2);
    const versions = await listRuleVersions(db(), t0);
    expect(versions.map((v) => [v.version, v.state, v.author])).toEqual([[2, "active", "#1"], [1, "superseded", null]]);
    // The order from before versioning now records version 1.
    const v1 = await db().ruleVersion.findUniqueOrThrow({ where: { version: 1 } });
    expect((await db().order.findUniqueOrThrow({ where: { id: before.id } })).ruleVersionId).toBe(v1.id);

    // Scheduled for later: not in force before its time.
    const v3 = await saveRules(db(), OWNER, { config: { ...defaultConfig, commission: { ...defaultConfig.commission, ratesBps: [800, 400, 100] } }, reason: "活动结束", effectiveAt: at(3) }, t0);
    expect(v3.version).toBe(3);
    expect((await loadRules(db(), at(2))).config.commission.ratesBps).toEqual([1500, 500, 200]);
    expect((await loadRules(db(), at(3))).config.commission.ratesBps).toEqual([800, 400, 100]);
    expect((await listRuleVersions(db(), at(1))).map((v) => v.state)).toEqual(["scheduled", "active", "superseded"]);

    const diff = await ruleVersionDiff(db(), 3);
    expect(diff?.rows).toEqual([
      { path: "commission.ratesBps.0", before: 1500, after: 800 },
      { path: "commission.ratesBps.1", before: 500, after: 400 },
      { path: "commission.ratesBps.2", before: 200, after: 100 },
    ]);
    const audit = await db().auditLog.findMany({ where: { action: "rules.version_created" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.target, a.actorId, (a.data as { reason: string }).reason])).toEqual([["ruleVersion:2", 1, "618 加码"], ["ruleVersion:3", 1, "活动结束"]]);

    // Refused: 4 levels, a forbidden claim, no reason, unchanged, in the past. Nothing is stored.
    const refused = async (input: Parameters<typeof saveRules>[2]) => {
      const e = await saveRules(db(), OWNER, input, at(1)).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RulesRefused);
      return Object.fromEntries((e as RulesRefused).issues.map((i) => [i.path, i.message]));
    };
    expect(await refused({ config: { commission: { ratesBps: [1000, 500, 200, 100] } }, reason: "x" })).toHaveProperty(["commission.ratesBps"]);
    expect(await refused({ config: { campaign: { title: "躺赚" } }, reason: "x" })).toHaveProperty(["campaign.title"]);
    expect(await refused({ config: { rebate: { percent: 50 } }, reason: "  " })).toEqual({ reason: "请填写修改原因" });
    // Unchanged: the rules in force at the new version's time (v2 on day 1; v3 is only scheduled).
    expect(await refused({ config: (await db().ruleVersion.findUniqueOrThrow({ where: { version: 2 } })).config, reason: "same" })).toEqual({ "": "规则没有变化" });
    expect(await refused({ config: { rebate: { percent: 50 } }, reason: "x", effectiveAt: t0 })).toEqual({ effectiveAt: "生效时间不能早于现在" });
    expect(await db().ruleVersion.count()).toBe(3);
  });

  it("the database refuses a stored version with more than 3 levels, and any edit of a version", async () => {
    await saveRules(db(), OWNER, { config: { rebate: { percent: 50 } }, reason: "x" }, t0);
    await expect(db().$executeRawUnsafe(`INSERT INTO "RuleVersion" (version, config, reason, "createdAt", "effectiveAt") VALUES (9, '{"commission":{"ratesBps":[4,3,2,1]}}', 'x', now(), now())`)).rejects.toThrow(/RuleVersion_at_most_3_levels/);
    await expect(db().$executeRawUnsafe(`INSERT INTO "RuleVersion" (version, config, reason, "createdAt", "effectiveAt") VALUES (9, '{"commission":{"categoryRatesBps":{"tea":[4,3,2,1]}}}', 'x', now(), now())`)).rejects.toThrow(/RuleVersion_at_most_3_levels/);
    await expect(db().$executeRawUnsafe(`UPDATE "RuleVersion" SET reason = 'edited'`)).rejects.toThrow(/immutable/);
    await expect(db().$executeRawUnsafe(`DELETE FROM "RuleVersion"`)).rejects.toThrow(/immutable/);
  });

  it("a rule change between payment and settlement changes nothing already earned; a new order follows the new version", async () => {
    // v2: 10% L1, 100% cashback, 7-day return window.
    await saveRules(db(), OWNER, { config: { rebate: { n: 1 } }, reason: "一人即返" }, t0);
    const sponsor = await member("s", null, t0);
    const buyer = await member("b", sponsor.id, t0);
    const anchor = await paidOrder(sponsor.id, t0); // opens s's task (n = 1)
    const o = await paidOrder(buyer.id, at(1)); // b's first order: commission for s, invitee for s's task
    const v2 = (await db().ruleVersion.findUniqueOrThrow({ where: { version: 2 } })).id;
    const commission = await db().commission.findFirstOrThrow({ where: { orderId: o.id } });
    expect(commission).toMatchObject({ amountFen: 1000, level: 1, ruleVersionId: v2 });
    const task = await db().rebateTask.findUniqueOrThrow({ where: { anchorOrderId: anchor.id } });
    expect(task).toMatchObject({ status: "MET", cashbackFen: 10_000, ruleVersionId: v2 });
    expect((await db().order.findUniqueOrThrow({ where: { id: o.id } })).ruleVersionId).toBe(v2);

    // v3, after payment: 20% L1, 50% cashback, 30-day return window.
    await saveRules(db(), OWNER, { config: { rebate: { n: 1, percent: 50 }, commission: { ratesBps: [2000, 500, 200] }, returnWindowDays: 30 }, reason: "改规则" }, at(2));
    for (const [id, now] of [[anchor.id, at(2)], [o.id, at(2)]] as const) {
      await inTx(db(), { now }, (ctx) => shipOrder(ctx, id));
      await inTx(db(), { now }, (ctx) => confirmDelivery(ctx, id));
    }
    // Completion follows v2's 7-day window, not v3's 30 days; settlement at T+1.
    await runDueTransitions(db(), at(11), { clock: "due" });
    expect((await db().order.findUniqueOrThrow({ where: { id: o.id } })).status).toBe("COMPLETED");
    expect(await db().commission.findFirstOrThrow({ where: { orderId: o.id } })).toMatchObject({ status: "SETTLED", amountFen: 1000, ruleVersionId: v2 });
    expect(await db().rebateTask.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: "PAID", cashbackFen: 10_000, ruleVersionId: v2 });
    const wallet = await inTx(db(), { now: at(11) }, (ctx) => walletOf(ctx, sponsor.id));
    expect(wallet.available).toBe(1000 + 10_000);

    // A new order after the change follows v3: 20% commission, 50% cashback.
    const v3 = (await db().ruleVersion.findUniqueOrThrow({ where: { version: 3 } })).id;
    const buyer2 = await member("c", buyer.id, at(12));
    const o2 = await paidOrder(buyer2.id, at(12));
    expect(await db().commission.findFirstOrThrow({ where: { orderId: o2.id, level: 1 } })).toMatchObject({ amountFen: 2000, ruleVersionId: v3 });
    expect(await db().rebateTask.findUniqueOrThrow({ where: { anchorOrderId: o2.id } })).toMatchObject({ cashbackFen: 5000, ruleVersionId: v3 });
  });
});
