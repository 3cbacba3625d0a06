import { describe, expect, it } from "vitest";
import { localPeriodStart, nextLocalMidnight, nextLocalPeriodStart, nextMonthStart, monthKey, monthStart, zonedMidnight } from "../server/clock/time";
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
  it("a day whose midnight the clocks skip begins at the change, its first instant", () => {
    // Santiago goes from 00:00 (UTC-4) to 01:00 (UTC-3) on 6 September 2026: the day begins at 04:00Z, 01:00 local.
    expect(zonedMidnight(2026, 9, 6, "America/Santiago").toISOString()).toBe("2026-09-06T04:00:00.000Z");
    expect(nextLocalMidnight(new Date("2026-09-05T15:00:00Z"), "America/Santiago").toISOString()).toBe("2026-09-06T04:00:00.000Z");
    // East of UTC alike: Beirut goes from 00:00 (UTC+2) to 01:00 (UTC+3) on 29 March 2026, at 28 March 22:00Z.
    expect(zonedMidnight(2026, 3, 29, "Asia/Beirut").toISOString()).toBe("2026-03-28T22:00:00.000Z");
    // Santiago goes back from 00:00 (UTC-3) to 23:00 (UTC-4) on 5 April 2026: that day's one midnight is 04:00Z.
    expect(zonedMidnight(2026, 4, 5, "America/Santiago").toISOString()).toBe("2026-04-05T04:00:00.000Z");
  });
  it("months follow the merchant calendar", () => {
    const t = new Date("2026-12-31T17:00:00Z"); // 2027-01-01 01:00 in Shanghai
    expect(monthKey(t, "Asia/Shanghai")).toBe("2027-01");
    expect(monthStart(t, "Asia/Shanghai").toISOString()).toBe("2026-12-31T16:00:00.000Z");
    expect(nextMonthStart(t, "Asia/Shanghai").toISOString()).toBe("2027-01-31T16:00:00.000Z");
  });
  it("a local period's first instant and the next one's, by day or by month", () => {
    // Kolkata is UTC+5:30: 2026-01-31T19:00Z is 1 Feb 00:30 there.
    const t = new Date("2026-01-31T19:00:00Z");
    expect(localPeriodStart(t, "Asia/Kolkata", "day").toISOString()).toBe("2026-01-31T18:30:00.000Z");
    expect(localPeriodStart(t, "Asia/Kolkata", "month").toISOString()).toBe("2026-01-31T18:30:00.000Z");
    expect(nextLocalPeriodStart(t, "Asia/Kolkata", "day").toISOString()).toBe("2026-02-01T18:30:00.000Z");
    expect(nextLocalPeriodStart(t, "Asia/Kolkata", "month").toISOString()).toBe("2026-02-28T18:30:00.000Z");
    // 31 Jan 23:30 there: still January.
    expect(localPeriodStart(new Date("2026-01-31T18:00:00Z"), "Asia/Kolkata", "month").toISOString()).toBe("2025-12-31T18:30:00.000Z");
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
