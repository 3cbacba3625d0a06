// The simulator's result as the merchant reads it (issue 11, walker findings): earnings bands that share no edge,
// tiers by their display names, lists in the reader's punctuation, a 30-day run's cash flow as 30 days and the close,
// labels that say what is counted, and the state of the run just queued (beside the button that queued it).
import { describe, expect, it } from "vitest";
import { createT, type Locale } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { EARNING_BANDS } from "@/server/simulator/bands";
import { parseConfig } from "@/server/config/schema";
import { cashFlowDayLabel, cashFlowPoints, earningBandLabel, earningsText, queuedRunState, tiersText, weightTotal } from "@/app/merchant/simulator/view";

const tr = (locale: Locale) =>
  createT(locale, MESSAGES[locale], (key) => {
    throw new Error(`missing message ${key}`);
  });
const zh = tr("zh-CN");
const en = tr("en");

describe("earnings bands", () => {
  it("name each band by its first and last cent: [1, 1000) fen is ¥0.01–9.99, the next starts at ¥10.00", () => {
    expect(EARNING_BANDS.slice(1).map(earningBandLabel)).toEqual(["¥0.01–9.99", "¥10.00–49.99", "¥50.00–199.99", "¥200.00–999.99", "¥1,000.00+"]);
  });

  it("list the members per band in the reader's punctuation", () => {
    // Members per band: nothing 147, then 0 / 17 / 26 / 10 / 0 (the walker's 200-member run).
    const members = [147, 0, 17, 26, 10, 0];
    expect(earningsText(zh, EARNING_BANDS, members)).toBe("¥0.01–9.99：0；¥10.00–49.99：17；¥50.00–199.99：26；¥200.00–999.99：10；¥1,000.00+：0");
    expect(earningsText(en, EARNING_BANDS, members)).toBe("¥0.01–9.99: 0; ¥10.00–49.99: 17; ¥50.00–199.99: 26; ¥200.00–999.99: 10; ¥1,000.00+: 0");
  });
});

describe("members per tier", () => {
  const tiers = parseConfig({}).tiers;

  it("are named by the tiers' display names in the rules' order, never by their codes, in the reader's list punctuation", () => {
    const counts = { promoter: 13, member: 187 };
    expect(tiersText(zh, counts, tiers)).toBe("会员 187、推广员 13");
    expect(tiersText(en, counts, tiers)).toBe("Member 187, Promoter 13");
    expect(tiersText(en, { partner: 1, member: 2, promoter: 3 }, tiers)).toBe("Member 2, Promoter 3, Partner 1");
  });

  it("name a tier the messages do not know by the name its rules give it; a code no rule names stays, last", () => {
    const own = [...tiers, { name: "vip", label: "金卡会员" }];
    expect(tiersText(zh, { zz: 1, vip: 2, member: 3 }, own)).toBe("会员 3、金卡会员 2、zz 1");
  });
});

describe("the cash-flow chart's days", () => {
  const day = (date: string, liabilityFen: number, paidFen: number) => ({ date, liabilityFen, paidFen });

  it("count a 3-day run as 3 days: the date after its last holds what fell due at its close, named so", () => {
    // 3-day horizon from 1 January: settlements due at 00:00 on the 4th (the horizon's exclusive end) are on a 4th date.
    const a = [day("2026-01-01", 100, 0), day("2026-01-02", 250, 30), day("2026-01-03", 250, 0), day("2026-01-04", 0, 250)];
    const points = cashFlowPoints([{ cashFlow: a }], 3);
    expect(points.days).toEqual([1, 2, 3, null]);
    expect(points.sets).toEqual([{ owedFen: [100, 250, 250, 0], paidFen: [0, 30, 0, 250] }]);
    expect(points.days.map((d) => cashFlowDayLabel(zh, d))).toEqual(["第1天", "第2天", "第3天", "期末"]);
    expect(points.days.map((d) => cashFlowDayLabel(en, d))).toEqual(["Day 1", "Day 2", "Day 3", "Close"]);
    // Nothing due at the close: the 3 days only.
    expect(cashFlowPoints([{ cashFlow: a.slice(0, 3) }], 3).days).toEqual([1, 2, 3]);
  });
});

describe("labels", () => {
  it("say the order share is a percentage, and which orders are counted", () => {
    expect(zh("sim.weight")).toBe("订单占比（%）");
    expect(en("sim.weight")).toBe("Share of orders (%)");
    expect(zh("sim.f.orders")).toBe("订单数（已付款未退款）");
    expect(en("sim.f.orders")).toBe("Orders (paid, not refunded)");
    expect(zh("sim.f.gmv")).toContain("已付款未退款");
  });

  it("say the payout ratio counts the rewards earned in the run, pending ones included, not those paid out", () => {
    expect(zh("sim.f.payoutRatio")).toBe("产生的奖励占 GMV");
    expect(en("sim.f.payoutRatio")).toBe("Rewards earned ÷ GMV");
    expect(zh("sim.f.payoutRatio.def")).toContain("含尚未结算、尚未发放的部分");
    expect(en("sim.f.payoutRatio.def")).toContain("including those not yet settled or paid out");
  });

  it("sum the category shares, to say when they do not make 100%", () => {
    expect(weightTotal([{ weight: 55 }, { weight: 18 }, { weight: 9 }, { weight: 9 }, { weight: 9 }, { weight: 0 }])).toBe(100);
    expect(weightTotal([{ weight: 50 }, { weight: 50 }, { weight: 50 }])).toBe(150);
    expect(weightTotal([{ weight: 33.3 }, { weight: Number.NaN }])).toBe(33.3);
    expect(zh("sim.weightTotal", { total: 150 })).toBe("占比合计 150%，模拟时按比例折算为 100%");
  });
});

describe("the run just queued", () => {
  it("waits (a bar that only moves) while queued or at 0%, and shows its share once it has one", () => {
    expect(queuedRunState(null, [])).toBeNull();
    // Not listed yet: queued a moment ago.
    expect(queuedRunState(7, [])).toEqual({ id: 7, status: "QUEUED", progress: 0, waiting: true });
    expect(queuedRunState(7, [{ id: 7, status: "RUNNING", progress: 0 }])).toMatchObject({ status: "RUNNING", waiting: true });
    expect(queuedRunState(7, [{ id: 8, status: "RUNNING", progress: 500 }, { id: 7, status: "RUNNING", progress: 250 }])).toEqual({ id: 7, status: "RUNNING", progress: 250, waiting: false });
    expect(queuedRunState(7, [{ id: 7, status: "DONE", progress: 1000 }])).toMatchObject({ status: "DONE", waiting: false });
  });
});
