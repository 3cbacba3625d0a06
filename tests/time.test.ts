import { describe, expect, it } from "vitest";
import { nextLocalMidnight, nextMonthStart, monthKey, monthStart, startsLocalPeriodWithinHour } from "../server/clock/time";
import { applyBps, fenToYuanString, mulDivFloor } from "../server/money";
import { cashbackFor } from "../server/rebate";
import { referralCodeFor, normaliseCode } from "../server/referral/codes";

describe("merchant calendar", () => {
  it("T+1 is the next local midnight in Asia/Shanghai, also across a month end", () => {
    // 2026-03-31 07:00 +08:00 is still March 30 in UTC.
    expect(nextLocalMidnight(new Date("2026-03-30T23:00:00Z"), "Asia/Shanghai").toISOString()).toBe("2026-03-31T16:00:00.000Z");
    expect(nextLocalMidnight(new Date("2026-03-31T15:59:59Z"), "Asia/Shanghai").toISOString()).toBe("2026-03-31T16:00:00.000Z");
    expect(nextLocalMidnight(new Date("2026-03-31T16:00:00Z"), "Asia/Shanghai").toISOString()).toBe("2026-04-01T16:00:00.000Z");
  });
  it("follows DST where the zone has it", () => {
    // New York switches to DST on 2026-03-08.
    expect(nextLocalMidnight(new Date("2026-03-07T12:00:00Z"), "America/New_York").toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(nextLocalMidnight(new Date("2026-03-08T12:00:00Z"), "America/New_York").toISOString()).toBe("2026-03-09T04:00:00.000Z");
  });
  it("months follow the merchant calendar", () => {
    const t = new Date("2026-12-31T17:00:00Z"); // 2027-01-01 01:00 in Shanghai
    expect(monthKey(t, "Asia/Shanghai")).toBe("2027-01");
    expect(monthStart(t, "Asia/Shanghai").toISOString()).toBe("2026-12-31T16:00:00.000Z");
    expect(nextMonthStart(t, "Asia/Shanghai").toISOString()).toBe("2027-01-31T16:00:00.000Z");
  });
});

describe("money is integer fen", () => {
  it("floors basis points exactly, even for large amounts", () => {
    expect(applyBps(3333, 1000)).toBe(333);
    expect(applyBps(9_007_199_254_740, 9999)).toBe(9_006_298_534_814);
    expect(mulDivFloor(9900, 35, 100)).toBe(3465);
    expect(() => applyBps(1.5, 100)).toThrow();
  });
  it("caps cashback", () => {
    expect(cashbackFor(19999, 35, 5000)).toBe(5000);
    expect(cashbackFor(9999, 35, 5000)).toBe(3499);
    expect(cashbackFor(9900, 100, null)).toBe(9900);
  });
  it("formats fen as yuan without floats", () => {
    expect(fenToYuanString(12345)).toBe("123.45");
    expect(fenToYuanString(5)).toBe("0.05");
    expect(fenToYuanString(-250)).toBe("-2.50");
  });
});

describe("referral codes", () => {
  it("are unique over a large id range and normalise user input", () => {
    const seen = new Set<string>();
    for (let id = 1; id <= 50_000; id++) seen.add(referralCodeFor(id));
    expect(seen.size).toBe(50_000);
    const c = referralCodeFor(42);
    expect(normaliseCode(` ${c.toLowerCase()} `)).toBe(c);
    expect(normaliseCode("O0I1L")).toBeNull();
  });
});

describe("startsLocalPeriodWithinHour", () => {
  it("is true only for the hourly firing that begins a local day or month", () => {
    // Kolkata is UTC+5:30: 2026-01-31T19:00Z is 1 Feb 00:30 there, the first firing of the day and month.
    expect(startsLocalPeriodWithinHour(new Date("2026-01-31T19:00:00Z"), "Asia/Kolkata", "day")).toBe(true);
    expect(startsLocalPeriodWithinHour(new Date("2026-01-31T19:00:00Z"), "Asia/Kolkata", "month")).toBe(true);
    // One hour later (01:30) and one hour earlier (23:30 on 31 Jan): no new day.
    expect(startsLocalPeriodWithinHour(new Date("2026-01-31T20:00:00Z"), "Asia/Kolkata", "day")).toBe(false);
    expect(startsLocalPeriodWithinHour(new Date("2026-01-31T18:00:00Z"), "Asia/Kolkata", "day")).toBe(false);
    // Shanghai (UTC+8): 2026-03-14T16:00Z is 15 Mar 00:00, a new day but not a new month.
    expect(startsLocalPeriodWithinHour(new Date("2026-03-14T16:00:00Z"), "Asia/Shanghai", "day")).toBe(true);
    expect(startsLocalPeriodWithinHour(new Date("2026-03-14T16:00:00Z"), "Asia/Shanghai", "month")).toBe(false);
  });
});
