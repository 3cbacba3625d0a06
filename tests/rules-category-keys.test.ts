// A category commission override (SPEC §4: "a category may override all three") names a category of the catalogue by
// its slug: the engine matches it against each line's category, so a key that names none ("美妆" typed for the slug
// "beauty") pays nothing. Saving a rule version refuses such a key beside its field, in both languages; an override
// kept unchanged from a version saved before this check does not block other edits. The promotion centre's "最高 X%"
// counts only overrides of categories with a product on the shelf. (Categories cannot be deleted: there is no such
// operation, so a saved override never loses its category.)
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { parseConfig } from "../server/config/schema";
import { rulesOverview, RulesRefused, saveRules } from "../server/rules";
import { createSimpleProduct } from "../server/catalog/admin";
import { categoriesOnSale, commissionRateOffer } from "../server/promotion/rates";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { refusalIssueText, type RefusalIssue } from "../lib/i18n/labels";
import { settingName } from "../app/merchant/rules/setting-name";
import { freshDatabase } from "./helpers/db";
import { callerFor } from "./helpers/caller";
import { inTx } from "../server/context";
import { registerMember } from "../server/referral";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
const t0 = new Date("2026-12-01T02:00:00Z");
const member = { tier: "member", qualifiedDirects: 0 };
const withOverrides = (categoryRatesBps: Record<string, [number, number, number]>) => {
  const base = parseConfig({});
  return { ...base, commission: { ...base.commission, categoryRatesBps } };
};
let database: Database;

beforeEach(async () => {
  database = await freshDatabase();
  // 美容 (slug beauty) with a product on the shelf; 礼品 (gift) whose only product is off it; no category "美妆".
  await database.prisma.category.createMany({ data: [{ slug: "beauty", name: "美容", sort: 1 }, { slug: "gift", name: "礼品", sort: 2 }] });
  await createSimpleProduct(database.prisma, { sku: "cream", name: "面霜", priceFen: 10_000, category: "beauty", stock: 5 });
  const box = await createSimpleProduct(database.prisma, { sku: "box", name: "礼盒", priceFen: 10_000, category: "gift", stock: 5 });
  await database.prisma.product.update({ where: { id: box.id }, data: { active: false } });
});
afterEach(() => database.close());

describe("saving category overrides", () => {
  it("refuses a key that is no category's slug, on that key's field, in Chinese and English", async () => {
    const e = await saveRules(database.prisma, null, { config: withOverrides({ 美妆: [1500, 600, 300], beauty: [1200, 600, 300] }), reason: "美妆类提佣" }, t0).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RulesRefused);
    const issues = JSON.parse(JSON.stringify((e as RulesRefused).issues)) as RefusalIssue[];
    expect(issues.map((i) => i.path)).toEqual(["commission.categoryRatesBps.美妆"]);
    expect(refusalIssueText(zh, issues[0]!, settingName)).toBe("没有这个商品分类：美妆，请从现有分类中选择");
    expect(refusalIssueText(en, issues[0]!, settingName)).toBe("Commission rates of category 美妆: must be a category of the catalogue");
    expect(await database.prisma.ruleVersion.count()).toBe(0);
  });

  it("accepts the slug of an existing category, with or without products on sale", async () => {
    const saved = await saveRules(database.prisma, null, { config: withOverrides({ beauty: [1500, 600, 300], gift: [800, 400, 100] }), reason: "美容礼品分类佣金" }, t0);
    expect(saved.version).toBe(2);
    const overview = await rulesOverview(database.prisma, t0);
    expect(overview.latest.commission.categoryRatesBps).toEqual({ beauty: [1500, 600, 300], gift: [800, 400, 100] });
    // The form's select lists the catalogue's categories by name, in shop order.
    expect(overview.categories).toEqual([{ slug: "beauty", name: "美容" }, { slug: "gift", name: "礼品" }]);
  });

  it("an unknown key saved before the check: other edits still save, changing its rates is refused", async () => {
    await database.prisma.ruleVersion.create({ data: { version: 1, config: withOverrides({ 美妆: [1500, 600, 300] }) as object, authorStaffId: null, reason: "旧规则", createdAt: new Date(0), effectiveAt: new Date(0) } });
    const legacy = withOverrides({ 美妆: [1500, 600, 300] });
    const saved = await saveRules(database.prisma, null, { config: { ...legacy, returnWindowDays: 10 }, reason: "售后期改 10 天" }, t0);
    expect(saved.version).toBe(2);
    const e = await saveRules(database.prisma, null, { config: { ...withOverrides({ 美妆: [1400, 600, 300] }), returnWindowDays: 10 }, reason: "改美妆" }, t0).catch((x: unknown) => x);
    expect((e as RulesRefused).issues.map((i) => i.path)).toEqual(["commission.categoryRatesBps.美妆"]);
    // Removing it is a change like any other.
    expect((await saveRules(database.prisma, null, { config: { ...withOverrides({}), returnWindowDays: 10 }, reason: "删除无效分类" }, t0)).version).toBe(3);
  });
});

describe("the promotion centre's rate line", () => {
  it("counts only overrides of categories with a product on the shelf", async () => {
    // Default 10/5/2. 美妆 15/6/3 names no category; gift 20/10/5 has nothing on sale; beauty 12/6/3 does.
    const config = withOverrides({ 美妆: [1500, 600, 300], gift: [2000, 1000, 500], beauty: [1200, 600, 300] });
    const onSale = await categoriesOnSale(database.prisma);
    expect(onSale).toEqual(new Set(["beauty"]));
    expect(commissionRateOffer(config, member, onSale)).toMatchObject({ ratesBps: [1200, 600, 300], byCategory: true });
    // Only overrides nobody can earn: the default rates, not said to vary by category.
    expect(commissionRateOffer(withOverrides({ 美妆: [1500, 600, 300], gift: [2000, 1000, 500] }), member, onSale)).toMatchObject({ ratesBps: [1000, 500, 200], byCategory: false });
  });

  it("is what the promotion centre's overview tells a shopper", async () => {
    await database.prisma.ruleVersion.create({ data: { version: 1, config: withOverrides({ 美妆: [1500, 600, 300], gift: [2000, 1000, 500] }) as object, authorStaffId: null, reason: "旧规则", createdAt: new Date(0), effectiveAt: new Date(0) } });
    const shopper = await inTx(database.prisma, { now: t0 }, (ctx) => registerMember(ctx, { username: "shopper" }));
    const overview = await callerFor(database.prisma, shopper.id).promotion.overview();
    expect(overview.commission).toMatchObject({ ratesBps: [1000, 500, 200], byCategory: false });
  });
});
