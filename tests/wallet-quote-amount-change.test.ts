// The wallet's withdrawal fee confirmation (app/wallet/WithdrawQuote.tsx, app/wallet/WalletView.tsx) is for the amount
// in the box: changing the amount while it is open closes it (unless the box still says the same amount), so a
// shopper never taps 确认提现 on a fee for an amount they have since changed.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { quoteForAmount } from "@/app/wallet/WithdrawQuote";

// 2 500 元: a 15 元 fee, 2 485 元 arrives.
const QUOTE = { amountFen: 250_000, feeFen: 1_500, netFen: 248_500 };

describe("an open fee quote when the amount changes", () => {
  it("stays open while the box still says its amount, however written", () => {
    expect(quoteForAmount(QUOTE, "2500")).toBe(QUOTE);
    expect(quoteForAmount(QUOTE, "2500.00")).toBe(QUOTE);
    expect(quoteForAmount(QUOTE, "2,500.00")).toBe(QUOTE);
  });

  it("closes for any other amount, or none", () => {
    expect(quoteForAmount(QUOTE, "25000")).toBeNull();
    expect(quoteForAmount(QUOTE, "250")).toBeNull();
    expect(quoteForAmount(QUOTE, "2500.01")).toBeNull();
    expect(quoteForAmount(QUOTE, "")).toBeNull();
    expect(quoteForAmount(QUOTE, "abc")).toBeNull();
  });

  it("no quote stays none", () => {
    expect(quoteForAmount(null, "2500")).toBeNull();
  });

  it("the wallet passes every change of the amount (typed, or 全部) to it, and drops a quote asked for before the change", () => {
    const code = readFileSync("app/wallet/WalletView.tsx", "utf8");
    const change = /const changeAmount = \(value: string\) => \{([^}]*)\};/.exec(code)?.[1] ?? "";
    expect(change).toContain("setQuote((q) => quoteForAmount(q, value));");
    expect(change).toContain("amountEdits.current += 1;");
    expect(code).toContain("onChange={(e) => changeAmount(e.target.value)}");
    expect(code).toContain("onClick={() => changeAmount(formatFen(b.available))}");
    // The only other setAmount clears the box after a withdrawal succeeds, with the quote.
    expect(code.match(/setAmount\(/g)).toHaveLength(2);
    expect(code).toMatch(/\.then\(\(q\) => \{\s+if \(!current\(\)\) return;/);
  });
});
