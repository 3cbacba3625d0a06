// FM_SCHEDULER_INTERVAL_MS (instrumentation.ts): Number("15s") is NaN, and setInterval runs a NaN (or 0) period about
// every millisecond, a database sweep a millisecond. A value that is not a whole number of milliseconds from 100 to
// 3 600 000 (1 h) falls back to the default 15 s, with one warning line.
import { afterEach, describe, expect, it, vi } from "vitest";
import { schedulerIntervalMs } from "../instrumentation";

afterEach(() => vi.restoreAllMocks());

describe("the in-process scheduler's interval", () => {
  it("unset or empty: 15 s without a warning", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(schedulerIntervalMs(undefined)).toBe(15_000);
    expect(schedulerIntervalMs("")).toBe(15_000);
    expect(warn).not.toHaveBeenCalled();
  });

  it("a whole number of milliseconds in range is taken as given", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(schedulerIntervalMs("500")).toBe(500);
    expect(schedulerIntervalMs("100")).toBe(100);
    expect(schedulerIntervalMs("3600000")).toBe(3_600_000);
    expect(schedulerIntervalMs(" 2000 ")).toBe(2_000);
    expect(warn).not.toHaveBeenCalled();
  });

  it.each(["15s", "abc", "NaN", "0", "-5", "1.5", "1e3", "99", "3600001", "Infinity"])("%j: 15 s and one warning naming the setting", (raw) => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(schedulerIntervalMs(raw)).toBe(15_000);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain("FM_SCHEDULER_INTERVAL_MS");
  });
});
