// Back-office displays group an amount's thousands as the KPI cards and MoneyCell lists do (¥1,234.50): a risk
// flag's evidence and a rule version's settings in the history's diff. Other numbers there stay as they are.
import { describe, expect, it } from "vitest";
import { MESSAGES } from "@/lib/i18n/messages";
import { createT } from "@/lib/i18n/core";
import { evidenceRows } from "@/app/merchant/risk/format";
import { formatRuleValue } from "@/app/merchant/rules/RuleHistory";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);

describe("a risk flag's evidence", () => {
  it("shows fen as 元 grouped by thousands, a list of them each grouped, and other numbers as they are", () => {
    // The large first order (server/orders recordRiskEvent): 2 394 元 of goods.
    expect(evidenceRows({ order: "FM2026120600001", goodsFen: 239_400 })).toEqual([
      { key: "order", value: "FM2026120600001" },
      { key: "goodsFen", value: "¥2,394.00" },
    ]);
    expect(evidenceRows({ amountsFen: [100_000, 99_999, 123_456_789], refundedFen: -123_450, orders: 1234 })).toEqual([
      { key: "amountsFen", value: "¥1,000.00、¥999.99、¥1,234,567.89" },
      { key: "refundedFen", value: "-¥1,234.50" },
      { key: "orders", value: "1234" },
    ]);
  });
});

describe("a rule version's settings in the history", () => {
  it("shows fen as 元 grouped by thousands; rates, counts and days as before", () => {
    expect(formatRuleValue("rebate.capFen", 500_000, zh)).toBe("¥5,000.00");
    expect(formatRuleValue("stepBonus.brackets.1.minFen", 100_000, zh)).toBe("¥1,000.00");
    expect(formatRuleValue("commission.distributorMinSpendFen", 123_456_789, zh)).toBe("¥1,234,567.89");
    expect(formatRuleValue("withdrawal.feeMinFen", 200, zh)).toBe("¥2.00");
    expect(formatRuleValue("commission.ratesBps.0", 1000, zh)).toBe("10%");
    expect(formatRuleValue("paymentTimeoutMinutes", 1440, zh)).toBe("1440");
  });
});
