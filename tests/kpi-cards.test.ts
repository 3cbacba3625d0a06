// The KPI cards' change against the previous period (review r2): a share moves in percentage points,
// not relative to itself; the colour says whether the move is good news, by each card's `better`.
import { describe, expect, it } from "vitest";
import { CARD_FIGURES, CARDS, cardChange, csvFigureRow } from "../app/merchant/kpi/cards";
import type { KpiFigures } from "../server/kpi/dashboard";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

const card = (id: string) => CARDS.find((c) => c.id === id)!;

describe("a card's change", () => {
  it("a share from 40% to 44% is +4.0 points, not +10.0%", () => {
    expect(cardChange(card("repurchase"), 0.44, 0.4)).toEqual({ amount: "+4.0", unit: "points", tone: "good" });
    expect(cardChange(card("referralShare"), 0.3, 0.35)).toEqual({ amount: "-5.0", unit: "points", tone: "bad" });
    // From 0%: points still say how far it moved (a relative change has no base).
    expect(cardChange(card("referralShare"), 0.25, 0)).toEqual({ amount: "+25.0", unit: "points", tone: "good" });
  });

  it("a rising CAC or payout ratio is bad news (red), a falling one good (green)", () => {
    expect(cardChange(card("cac"), 1_200, 1_000)).toEqual({ amount: "+20.0", unit: "percent", tone: "bad" });
    expect(cardChange(card("cac"), 800, 1_000)).toEqual({ amount: "-20.0", unit: "percent", tone: "good" });
    expect(cardChange(card("payoutRatio"), 0.12, 0.1)).toEqual({ amount: "+2.0", unit: "points", tone: "bad" });
    expect(cardChange(card("payoutRatio"), 0.08, 0.1)).toEqual({ amount: "-2.0", unit: "points", tone: "good" });
  });

  it("counts and amounts: relative change, more is good; none without a base; no change is neither colour", () => {
    expect(cardChange(card("gmv"), 15_000, 10_000)).toEqual({ amount: "+50.0", unit: "percent", tone: "good" });
    expect(cardChange(card("orders"), 1, 2)).toEqual({ amount: "-50.0", unit: "percent", tone: "bad" });
    expect(cardChange(card("orders"), 3, 0)).toBeNull();
    expect(cardChange(card("aov"), null, 1_000)).toBeNull();
    expect(cardChange(card("orders"), 5, 5)).toEqual({ amount: "0.0", unit: "percent", tone: "flat" });
    // −0.04 points rounds to no change, not "-0.0" in red.
    expect(cardChange(card("repurchase"), 0.4, 0.4004)).toEqual({ amount: "0.0", unit: "points", tone: "flat" });
  });

  it("an amount card reads ¥1,234,567.89 on the page; its CSV row is plain 元 with two decimals, its name saying 元", () => {
    // By hand: 123 456 789 fen = 1 234 567 元 89 分; 100 000 fen = exactly 1 000 元; −123 450 fen = −1 234.50 元.
    expect([card("gmv").format(123_456_789), card("aov").format(100_000), card("refunds").format(-123_450)]).toEqual(["¥1,234,567.89", "¥1,000.00", "-¥1,234.50"]);
    // Counts, ratios and shares are not amounts: no separator.
    expect([card("orders").format(12_345), card("kFactor").format(1_234.5)]).toEqual(["12345", "1234.50"]);
    expect(CARD_FIGURES.filter((f) => f.amount).map((f) => f.id)).toEqual(["gmv", "aov", "cac", "rewardsPaid", "refunds"]);
    // GMV 123 456 789 fen against 100 000 fen: 1234567.89 and 1000.00 元, +123356.8% (1 234 567.89 ÷ 1 000 − 1); 客单价 none this period.
    const cur = { gmvFen: 123_456_789, aovFen: null, paidOrders: 12_000, refundedFen: 0, refundRate: 0.125 } as unknown as KpiFigures;
    const prev = { gmvFen: 100_000, aovFen: 100_000, paidOrders: 10_000, refundedFen: 0, refundRate: 0.1 } as unknown as KpiFigures;
    const row = (id: string, t = zh) => csvFigureRow(t, CARD_FIGURES.find((f) => f.id === id)!, cur, prev);
    expect(row("gmv")).toEqual(["GMV(元)", "1234567.89", "1000.00", "+123356.8", "%"]);
    expect(row("aov")).toEqual(["客单价(元)", "—", "1000.00", "", ""]);
    expect(row("refunds")).toEqual(["退款金额(元)", "0.00", "0.00", "", ""]);
    expect(row("gmv", en)[0]).toBe("GMV (yuan)");
    // Not amounts: as the page shows them, the name alone.
    expect(row("orders")).toEqual(["支付订单数", "12000", "10000", "+20.0", "%"]);
    expect(row("refundRate")).toEqual(["退款率", "12.5%", "10.0%", "+2.5", "个百分点"]);
  });

  it("every share card shows points; the costs are the ones where lower is better", () => {
    expect(CARDS.filter((c) => c.share).map((c) => c.id)).toEqual(["repurchase", "payoutRatio", "referralShare"]);
    expect(CARDS.filter((c) => c.better === "down").map((c) => c.id)).toEqual(["cac", "payoutRatio", "rewardsPaid", "refunds"]);
  });

  it("the 退款 card: amount, orders and rate (a share, in points), each worse when it rises", () => {
    const refunds = card("refunds");
    expect([refunds.format(12_345), ...refunds.details!.map((f) => f.format(f.id === "refundRate" ? 0.125 : 3))]).toEqual(["¥123.45", "3", "12.5%"]);
    expect(cardChange(refunds, 15_000, 10_000)).toEqual({ amount: "+50.0", unit: "percent", tone: "bad" });
    const [orders, rate] = refunds.details!;
    expect(cardChange(orders!, 2, 4)).toEqual({ amount: "-50.0", unit: "percent", tone: "good" });
    expect(cardChange(rate!, 0.05, 0.02)).toEqual({ amount: "+3.0", unit: "points", tone: "bad" });
    // With no GMV there is no rate.
    expect(rate!.format(null)).toBeNull();
    // The CSV's rows: one per figure, the card's own under its own name.
    expect(CARD_FIGURES.map((f) => f.id).slice(-4)).toEqual(["rewardsPaid", "refunds", "refundedOrders", "refundRate"]);
    expect(CARD_FIGURES.map((f) => f.label).slice(-3)).toEqual(["kpi.refunds.amount", "kpi.refunds.orders", "kpi.refunds.rate"]);
  });
});
