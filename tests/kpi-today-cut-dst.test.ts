// The KPI comparison's cut: the previous period's last day counts up to the same wall-clock time as now (the
// `time` it is labelled with), also when that day or today has a DST change (America/New_York, 2026: clocks go
// forward 02:00 → 03:00 on 8 March, back 02:00 → 01:00 on 1 November; EST = UTC-5, EDT = UTC-4).
import { describe, expect, it } from "vitest";
import { resolvePeriod } from "../server/kpi/periods";

const NY = "America/New_York";

describe("KPI previous-day cut on DST change days", () => {
  it("today at 10:00 EDT against 8 March (spring forward): 05:00Z (00:00 EST) to 14:00Z (10:00 EDT)", () => {
    const p = resolvePeriod("today", new Date("2026-03-09T14:00:00Z"), NY);
    expect(p.previous).toEqual({ from: "2026-03-08", to: "2026-03-08" });
    expect(p.previousCut).toEqual({ from: "2026-03-08T05:00:00.000Z", to: "2026-03-08T14:00:00.000Z", time: "10:00" });
  });

  it("today is the change day (10:00 EDT on 8 March) against 7 March: up to 10:00 EST = 15:00Z", () => {
    const p = resolvePeriod("today", new Date("2026-03-08T14:00:00Z"), NY);
    expect(p.previousCut).toEqual({ from: "2026-03-07T05:00:00.000Z", to: "2026-03-07T15:00:00.000Z", time: "10:00" });
  });

  it("today at 10:00 EST against 1 November (fall back): 04:00Z (00:00 EDT) to 15:00Z (10:00 EST)", () => {
    const p = resolvePeriod("today", new Date("2026-11-02T15:00:00Z"), NY);
    expect(p.previousCut).toEqual({ from: "2026-11-01T04:00:00.000Z", to: "2026-11-01T15:00:00.000Z", time: "10:00" });
  });

  it("7 d, 30 d, 本月 and a custom period ending today cut their last previous day (8 March) at 10:00 EDT too", () => {
    const cut = { from: "2026-03-08T05:00:00.000Z", to: "2026-03-08T14:00:00.000Z", time: "10:00" };
    // Sunday 15 March: current 9–15 March, previous 2–8 March.
    const week = resolvePeriod("7d", new Date("2026-03-15T14:00:00Z"), NY);
    expect(week.previous).toEqual({ from: "2026-03-02", to: "2026-03-08" });
    expect(week.previousCut).toEqual(cut);
    // 7 April: current 9 March – 7 April, previous 7 February – 8 March.
    const days30 = resolvePeriod("30d", new Date("2026-04-07T14:00:00Z"), NY);
    expect(days30.previous).toEqual({ from: "2026-02-07", to: "2026-03-08" });
    expect(days30.previousCut).toEqual(cut);
    // 8 April: 1–8 April against 1–8 March.
    const month = resolvePeriod("month", new Date("2026-04-08T14:00:00Z"), NY);
    expect(month.previous).toEqual({ from: "2026-03-01", to: "2026-03-08" });
    expect(month.previousCut).toEqual(cut);
    // 9–10 March against 7–8 March.
    const custom = resolvePeriod("custom", new Date("2026-03-10T14:00:00Z"), NY, { from: "2026-03-09", to: "2026-03-10" });
    expect(custom.previous).toEqual({ from: "2026-03-07", to: "2026-03-08" });
    expect(custom.previousCut).toEqual(cut);
  });

  it("a clock time the change day skips or repeats: moved on by the skip, or its first occurrence; seconds and milliseconds kept", () => {
    // 02:30:15.250 EDT on 9 March: 02:30 does not exist on 8 March; moved on one hour, 03:30:15.250 EDT = 07:30:15.250Z.
    expect(resolvePeriod("today", new Date("2026-03-09T06:30:15.250Z"), NY).previousCut).toEqual({ from: "2026-03-08T05:00:00.000Z", to: "2026-03-08T07:30:15.250Z", time: "02:30" });
    // 01:30 EST on 2 November: 1 November shows 01:30 twice, first at 01:30 EDT = 05:30Z.
    expect(resolvePeriod("today", new Date("2026-11-02T06:30:00Z"), NY).previousCut).toEqual({ from: "2026-11-01T04:00:00.000Z", to: "2026-11-01T05:30:00.000Z", time: "01:30" });
  });
});
