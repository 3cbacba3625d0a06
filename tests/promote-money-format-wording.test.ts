// Walker findings on the shopper's pages: one amount shown in three number formats (the stepped-bonus tile's
// "¥51883.90", the brackets' thin-spaced "¥50 000", /me's "9296.16" beside the wallet's "9,296.16"): every shopper amount
// now uses the shop's money format (components/money formatFenGrouped), thresholds without cents but grouped alike.
// And words: a forfeited commission counts the status when the order was PAID (SPEC §4: 付款时, not 下单时); 推三返一
// gives cashback (返现, SPEC §5), not a refund; a bonus month reads 2026年12月 / December 2026, not "2026-12 月".
import { readFileSync } from "node:fs";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { landingHeadline } from "@/lib/i18n/labels";
import { parseConfig } from "@/server/config/schema";
import { DistributionSection, LeaderboardBlock, yuanCompact } from "@/app/promote/DistributionSection";
import { historyForText } from "@/app/wallet/WalletView";
import { renderInProviders } from "./helpers/render";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

describe("one money format on /promote", () => {
  it("thresholds: grouped by commas as the wallet, cents only when there are some", () => {
    expect(yuanCompact(5_000_000)).toBe("50,000");
    expect(yuanCompact(120_000)).toBe("1,200");
    expect(yuanCompact(0)).toBe("0");
    expect(yuanCompact(1_230)).toBe("12.30");
    expect(yuanCompact(5_188_390)).toBe("51,883.90");
    expect(yuanCompact(123_456_789)).toBe("1,234,567.89");
  });

  // The walker's month: ¥51,883.90 of direct sales in the 8% bracket (from ¥50,000): floor(5 188 390 × 800 / 10 000)
  // = 415 071 fen = ¥4,150.71 estimated; last month paid 5% of ¥25,000.00 = ¥1,250.00. Spend mode: ¥287.70 spent of ¥300.
  const brackets = [
    { minFen: 0, bps: 500 },
    { minFen: 5_000_000, bps: 800 },
  ];
  const data = {
    distributor: { mode: "spend", isDistributor: false, disabled: false, frozen: false, since: null, minSpendFen: 30_000, spentFen: 28_770, remainingFen: 1_230 },
    step: { enabled: true, month: "2026-12", salesFen: 5_188_390, current: brackets[1], next: null, remainingFen: 0, estimatedFen: 415_071, brackets },
    bonuses: [{ month: "2026-11", salesFen: 2_500_000, bps: 500, amountFen: 125_000, paidAt: new Date("2026-12-01T00:00:00Z") }],
  } as unknown as Parameters<typeof DistributionSection>[0]["data"];
  const board = { month: "2026-12", top: [{ rank: 1, name: "王*", salesFen: 5_188_390, me: true }], me: { rank: 1 }, shown: true } as unknown as Parameters<typeof DistributionSection>[0]["board"];
  const html = (t: typeof zh) =>
    renderInProviders(createElement(DistributionSection, { data, board, t, fmtDate: (d: Date) => d.toISOString() }), t.locale as "zh-CN" | "en").html.replaceAll("<!-- -->", "");

  it("the stepped-bonus tile, the brackets, the paid month, the leaderboard and the spend progress", () => {
    const page = html(zh);
    expect(page).toContain('data-testid="step-sales">¥51,883.90</div>');
    expect(page).toContain(">¥4,150.71</div>");
    expect(page).toContain("满 ¥0 · 5%");
    expect(page).toContain("满 ¥50,000 · 8%");
    expect(page).toContain("2026-11 · 销售 ¥25,000.00 · 5%");
    expect(page).toContain("+¥1,250.00");
    expect(page).toContain("再消费 ¥12.30 即可成为分销员");
    expect(page).toContain("已消费 ¥287.70 / ¥300");
    expect(page).not.toMatch(/\u2009|51883|4150\.71|50 000/);
    expect(html(en)).toContain("From ¥50,000 · 8%");
  });

  it("the leaderboard alone", () => {
    const { html: board1 } = renderInProviders(createElement(LeaderboardBlock, { board: { top: [{ rank: 1, name: "王*", salesFen: 123_456_700, me: false }], me: null }, t: zh }));
    expect(board1.replaceAll("<!-- -->", "")).toContain(">¥1,234,567.00</span>");
  });

  it("/me and /promote show amounts with the grouped formatter, never formatFen's ungrouped digits", () => {
    // formatFen stays for inputs and CSV cells (read back as numbers); a shopper page shows money as the wallet does.
    for (const file of ["app/me/page.tsx", "app/promote/page.tsx", "app/promote/DistributionSection.tsx"]) {
      expect(readFileSync(file, "utf8"), file).not.toMatch(/\bformatFen\(/);
    }
  });
});

describe("words", () => {
  it("a forfeited commission: not a distributor when the order was paid (付款时), in both languages", () => {
    expect(zh("commission.reason.notDistributor")).toBe("付款时你还不是分销员");
    expect(en("commission.reason.notDistributor")).toBe("You were not a distributor when the order was paid");
  });

  it("推三返一 at 100% in cash: cashback, not a refund", () => {
    const on = parseConfig({}).rebate;
    expect(landingHeadline(en, on)).toBe("Invite 3, get this order's full price back as cashback");
    expect(landingHeadline(zh, on)).toBe("邀请 3 人，本单全额返现");
    expect(landingHeadline(en, on)).not.toMatch(/refund/i);
  });

  it("a monthly bonus's month in 资金明细: 2026年12月, December 2026", () => {
    const ref = { orderNo: null, buyer: null, level: null, friend: null, payoutNo: null, month: "2026-12" };
    expect(historyForText(zh, ref)).toBe("2026年12月");
    expect(historyForText(en, ref)).toBe("For December 2026");
    expect(historyForText(zh, { ...ref, month: "2027-03" })).toBe("2027年3月");
    expect(historyForText(en, { ...ref, month: "2027-03" })).toBe("For March 2027");
  });
});
