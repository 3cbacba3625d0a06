// The 会员等级 card on the promotion centre (SPEC §7): the member's tier with its benefits, and what the next tier still
// needs from the counters the tier engine decides on (qualified directs, team size, gmv90 over the last 90 days).
// Expected sentences are worked out by hand from the default tiers: promoter (directs ≥ 3), partner (directs ≥ 10 and
// gmv90 ≥ 50 000 元), the team bonus 2% for partner.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { myTierProgress, tierProgress } from "../server/promotion/tier-progress";
import { tierBenefitTexts, tierMetricsText, tierNextText } from "../app/promote/tier-text";
import { freshPglite } from "./helpers/db";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
const config = parseConfig({});
const DAY = 86_400_000;

describe("tier progress (pure)", () => {
  it("a promoter with 8 qualified directs and ¥49,650.00 of gmv90: 2 directs and ¥350.00 short of partner", () => {
    const p = tierProgress(config, "promoter", { directs: 8, team: 20, gmv90: 4_965_000 });
    expect(p.current).toEqual({ name: "promoter", label: "推广员", benefits: { discountBps: 0, commissionBonusBps: 0, priorityShipping: false, teamBonusBps: 0 } });
    expect(p.holds).toBe(true);
    expect(p.next).toMatchObject({ name: "partner", missing: { directs: 2, team: 0, gmv90Fen: 35_000 }, reached: false, benefits: { teamBonusBps: 200 } });
    expect(tierNextText(zh, p)).toBe("再有 2 位有效直推、近 90 天本人及团队已完成订单金额再 ¥350.00 可升级为 合伙人");
    expect(tierNextText(en, p)).toBe("To become Partner, still needed — qualified directs: 2 more; completed orders (yours and your team's) in 90 days: ¥350.00 more");
    expect(tierBenefitTexts(zh, p.current.benefits)).toEqual(["暂无额外权益"]);
    expect(tierBenefitTexts(zh, p.next!.benefits)).toEqual(["团队绩效 2%（每月 1 日按下三级上月完成订单计）"]);
    expect(tierMetricsText(zh, p)).toBe("有效直推 8 位 · 团队 20 人 · 近 90 天业绩 ¥49,650.00（本人及团队已完成订单）");
  });

  it("a new member: 3 qualified directs to promoter, gmv not asked for", () => {
    const p = tierProgress(config, "member", { directs: 0, team: 0, gmv90: 0 });
    expect(p.next?.missing).toEqual({ directs: 3, team: 0, gmv90Fen: 0 });
    expect(tierNextText(zh, p)).toBe("再有 3 位有效直推 可升级为 推广员");
  });

  it("English reads right for one as for several (no plural forms in the messages)", () => {
    const one = tierProgress(config, "member", { directs: 2, team: 1, gmv90: 0 });
    expect(one.next?.missing).toEqual({ directs: 1, team: 0, gmv90Fen: 0 });
    expect(tierNextText(en, one)).toBe("To become Promoter, still needed — qualified directs: 1 more");
    expect(tierMetricsText(en, one)).toBe("Qualified directs: 2 · team: 1 · 90-day sales ¥0.00 (completed orders of you and your team)");
    const three = tierProgress(config, "member", { directs: 0, team: 0, gmv90: 0 });
    expect(tierNextText(en, three)).toBe("To become Promoter, still needed — qualified directs: 3 more");
  });

  it("the highest tier says so; a partner whose gmv90 fell under 50 000 元 is told the tier may fall", () => {
    const top = tierProgress(config, "partner", { directs: 10, team: 10, gmv90: 5_000_000 });
    expect(top.next).toBeNull();
    expect(top.holds).toBe(true);
    expect(tierNextText(zh, top)).toBe("已是最高等级");
    expect(tierProgress(config, "partner", { directs: 12, team: 30, gmv90: 4_999_999 }).holds).toBe(false);
  });

  it("thresholds already met (a rule was lowered): reached, the upgrade waits for the review", () => {
    const p = tierProgress(config, "member", { directs: 3, team: 3, gmv90: 0 });
    expect(p.next).toMatchObject({ name: "promoter", reached: true, missing: { directs: 0, team: 0, gmv90Fen: 0 } });
    expect(tierNextText(zh, p)).toBe("已满足 推广员 的全部条件，最迟在下次每日复核时升级");
  });

  it("configured benefits and a team-size threshold", () => {
    const custom = parseConfig({
      teamBonusBps: 150,
      tiers: [
        { name: "member", label: "会员" },
        { name: "vip", label: "金卡", minTeam: 30, benefits: { discountBps: 500, commissionBonusBps: 100, priorityShipping: true } },
        { name: "partner", label: "合伙人", minDirects: 10, minGmv90Fen: 5_000_000 },
      ],
    });
    const p = tierProgress(custom, "member", { directs: 4, team: 25, gmv90: 0 });
    expect(tierNextText(zh, p)).toBe("团队再增 5 人 可升级为 金卡");
    expect(tierBenefitTexts(zh, p.next!.benefits)).toEqual(["自购优惠 5%", "佣金每级加 1%", "优先发货"]);
    const vip = tierProgress(custom, "vip", { directs: 4, team: 30, gmv90: 0 });
    expect(vip.next?.benefits.teamBonusBps).toBe(150);
    // A stored tier the rules no longer have: the one the counters give now (team 30 → vip).
    expect(tierProgress(custom, "gold", { directs: 4, team: 30, gmv90: 0 }).current.name).toBe("vip");
  });
});

describe("tier progress (database)", () => {
  let database: Database;
  const now = new Date("2026-12-01T04:00:00Z");
  let alice: number;

  beforeAll(async () => {
    database = await freshPglite();
    alice = (await inTx(database.prisma, { config, now: new Date(now.getTime() - 200 * DAY) }, (ctx) => registerMember(ctx, { username: "alice" }))).id;
    await database.prisma.member.update({ where: { id: alice }, data: { tier: "promoter", qualifiedDirects: 8, teamSize: 20 } });
    // In the 90 days up to now: 30 000 + 19 650 = 49 650 元; one before the window and one after now do not count.
    await database.prisma.gmvCredit.createMany({
      data: [
        { memberId: alice, orderId: 1, depth: 0, amountFen: 3_000_000, completedAt: new Date(now.getTime() - 89 * DAY) },
        { memberId: alice, orderId: 2, depth: 1, amountFen: 1_965_000, completedAt: new Date(now.getTime() - DAY) },
        { memberId: alice, orderId: 3, depth: 1, amountFen: 1_000_000, completedAt: new Date(now.getTime() - 91 * DAY) },
        { memberId: alice, orderId: 4, depth: 2, amountFen: 500_000, completedAt: new Date(now.getTime() + 3_600_000) },
      ],
    });
  }, 180_000);
  afterAll(() => database?.close());

  it("reads the stored tier, the counters and gmv90 as the tier engine does", async () => {
    const p = await myTierProgress(database.prisma, config, alice, now);
    expect(p.metrics).toEqual({ directs: 8, team: 20, gmv90: 4_965_000 });
    expect(p.current.name).toBe("promoter");
    expect(tierNextText(zh, p)).toBe("再有 2 位有效直推、近 90 天本人及团队已完成订单金额再 ¥350.00 可升级为 合伙人");
  });
});
