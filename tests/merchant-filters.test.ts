// A list's filters that cannot match what was meant are said beside their field (FilterBar `errors`):
// a date range whose start is after its end, an amount that is not one, a minimum above the maximum.
import { describe, expect, it } from "vitest";
import { notAnAmount, reversedAmounts, reversedDates } from "@/components/merchant/filter-checks";

describe("list filter checks", () => {
  it("finds a reversed date range only when both days are given", () => {
    expect(reversedDates("2026-11-20", "2026-11-10")).toBe(true);
    expect(reversedDates("2026-11-10", "2026-11-10")).toBe(false);
    expect(reversedDates("2026-11-10", "2026-11-20")).toBe(false);
    expect(reversedDates("2026-11-20", "")).toBe(false);
  });

  it("finds an amount that is not one, leaving a blank filter alone", () => {
    expect(notAnAmount("abc")).toBe(true);
    expect(notAnAmount("12.345")).toBe(true);
    expect(notAnAmount("")).toBe(false);
    expect(notAnAmount(" 99.5 ")).toBe(false);
    expect(notAnAmount("¥1,000")).toBe(false);
  });

  it("finds a minimum above the maximum, in fen", () => {
    expect(reversedAmounts("100", "99.99")).toBe(true);
    expect(reversedAmounts("100", "100.00")).toBe(false);
    expect(reversedAmounts("abc", "1")).toBe(false);
  });
});
