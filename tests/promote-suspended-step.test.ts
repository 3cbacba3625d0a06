// The promotion centre's 阶梯奖励 card for a distributor the shop suspended (SPEC §4 分销资格, §7): no bonus is estimated
// while suspended, the card says it is paused, and says truly that the month's direct sales still count toward the
// bracket, the month being paid only if the member is a distributor again when it closes (the run's own rule, shown here).
import { createElement } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { recordCompletedGmv } from "../server/tiers";
import { setDistributorEnabled } from "../server/distribution";
import { payMonthlyStepBonus } from "../server/bonus/step";
import { myDistribution } from "../server/promotion/distribution";
import { DistributionSection } from "../app/promote/DistributionSection";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { freshDatabase } from "./helpers/db";
import { renderInProviders } from "./helpers/render";

// 5% from the first fen, 8% from 500 元.
const config = parseConfig({ rebate: { enabled: false }, stepBonus: { brackets: [{ minFen: 0, bps: 500 }, { minFen: 50_000, bps: 800 }] } });
const staff = { staffId: 101 };
const APRIL_1 = new Date("2026-04-01T00:00:00+08:00");
const MARCH_20 = new Date("2026-03-20T12:00:00+08:00");

let database: Database;
let orderId = 0;
const at = <T>(when: string | Date, fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now: new Date(when) }, fn);

/** A distributor (mode `everyone`) with one direct whose orders of 100 元 complete on 10 and 15 March. */
async function sponsorWithMarchSales(name: string) {
  const s = await at("2026-01-05T10:00:00+08:00", async (ctx) => (await registerMember(ctx, { username: name, ip: `ip-${name}`, device: `d-${name}` })).id);
  const d = await at("2026-01-05T10:00:00+08:00", async (ctx) => (await registerMember(ctx, { username: `${name}-d`, sponsorId: s, ip: `ip-${name}-d`, device: `d-${name}-d` })).id);
  for (const completed of ["2026-03-10T12:00:00+08:00", "2026-03-15T12:00:00+08:00"]) {
    await at(completed, (ctx) => recordCompletedGmv(ctx, { id: ++orderId, memberId: d, goodsFen: 10_000, completedAt: new Date(completed) }));
  }
  return s;
}
const suspend = (id: number, when: string, enabled: boolean) => at(when, (ctx) => setDistributorEnabled(ctx, id, enabled, enabled ? "核查完毕" : "核查", staff));

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
});
afterEach(() => database.close());

describe("阶梯奖励 of a suspended distributor", () => {
  it("the view data carries no estimate while suspended; the month's sales, suspended days included, still reach their bracket", async () => {
    const active = await sponsorWithMarchSales("active");
    const suspended = await sponsorWithMarchSales("suspended");
    // Suspended between the two sales.
    await suspend(suspended, "2026-03-12T10:00:00+08:00", false);

    const mine = await myDistribution(database.prisma, config, suspended, MARCH_20);
    expect(mine.distributor.disabled).toBe(true);
    // 100 + 100 元 = 20 000 fen, under 500 元: the 5% bracket, with 30 000 fen to the 8% one; no bonus estimated.
    expect(mine.step).toMatchObject({ salesFen: 20_000, current: { minFen: 0, bps: 500 }, next: { minFen: 50_000, bps: 800 }, remainingFen: 30_000, estimatedFen: null });

    // The same sales of a distributor not suspended: 5% of 20 000 = 1 000 fen estimated.
    const other = await myDistribution(database.prisma, config, active, MARCH_20);
    expect(other.step).toMatchObject({ salesFen: 20_000, current: { minFen: 0, bps: 500 }, estimatedFen: 1_000 });
  });

  it("as the card words it: restored before the month closes, the whole month is paid; still suspended then, nothing", async () => {
    const restored = await sponsorWithMarchSales("restored");
    const still = await sponsorWithMarchSales("still");
    await suspend(restored, "2026-03-12T10:00:00+08:00", false);
    await suspend(still, "2026-03-12T10:00:00+08:00", false);
    await suspend(restored, "2026-03-25T10:00:00+08:00", true);
    await payMonthlyStepBonus(database.prisma, { now: APRIL_1, instant: APRIL_1, config });
    const paid = await database.prisma.stepBonus.findMany({ select: { memberId: true, month: true, salesFen: true, amountFen: true } });
    // 5% of March's 20 000 fen (the 15 March sale made while suspended included) = 1 000, to `restored` only.
    expect(paid).toEqual([{ memberId: restored, month: "2026-03", salesFen: 20_000n, amountFen: 1_000 }]);
  });

  it("the card shows 已暂停 and why instead of the estimate and the next bracket's nudge, in both languages", async () => {
    const s = await sponsorWithMarchSales("s");
    await suspend(s, "2026-03-12T10:00:00+08:00", false);
    const data = await myDistribution(database.prisma, config, s, MARCH_20);
    const board = { month: "2026-03", top: [], me: null, shown: true };
    const render = (locale: "zh-CN" | "en") => {
      const t = createT(locale, MESSAGES[locale]);
      return renderInProviders(createElement(DistributionSection, { data, board, t, fmtDate: (x: Date) => x.toISOString() }), locale).html.replaceAll("<!-- -->", "").replaceAll("&#x27;", "'");
    };
    const zh = render("zh-CN");
    expect(zh).toMatch(/data-testid="step-estimate-paused"><div[^>]*>已暂停<\/div><div[^>]*>预计奖励<\/div>/);
    expect(zh).toContain("分销资格恢复后才可获得阶梯奖励");
    expect(zh).toContain("分销资格停用期间不发放阶梯奖励。本月直推销售仍计入档位：下月 1 日 0 点结算时如已恢复分销员身份，按所达档位发放；仍在停用则本月不发放。");
    // The month's sales (¥200.00, the shop's money format) and its bracket stay; no ¥10.00 estimate, no compliance label for a figure not shown, no nudge.
    expect(zh).toContain('data-testid="step-sales">¥200.00</div>');
    expect(zh).not.toContain("¥10.00");
    expect(zh).not.toContain("¥10<");
    expect(zh).not.toContain('data-testid="step-projection-label"');
    expect(zh).not.toContain('data-testid="step-next"');
    expect(zh).not.toContain("再推广");
    const en = render("en");
    expect(en).toContain(">Paused</div>");
    expect(en).toContain("This month's direct sales still count toward the bracket");
  });
});
