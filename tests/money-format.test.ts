// Money and rate display/input in the UI: integer fen and basis points by string arithmetic, never floats.
import { describe, expect, it } from "vitest";
import { formatBps, formatFen, formatYuan, percentToBps } from "../components/money";

describe("money display", () => {
  it("formats fen as yuan with two decimals, negatives included", () => {
    expect([formatFen(12_345), formatFen(-5), formatFen(0), formatFen(100_000_000)]).toEqual(["123.45", "-0.05", "0.00", "1000000.00"]);
    expect(formatYuan(-1_990)).toBe("-¥19.90");
    expect(() => formatFen(1.5)).toThrow();
  });
});

describe("rates", () => {
  it("reads a percentage typed by staff as basis points, refusing what is not one", () => {
    expect([percentToBps("10"), percentToBps("2.5"), percentToBps(" 0.07 "), percentToBps("100")]).toEqual([1_000, 250, 7, 10_000]);
    // 0.29 * 100 is 28.999999999999996 in floating point: string arithmetic gives the 29 bps typed.
    expect(percentToBps("0.29")).toBe(29);
    expect([percentToBps("1.234"), percentToBps("-1"), percentToBps("abc"), percentToBps("")]).toEqual([null, null, null, null]);
  });

  it("shows basis points as a percentage that reads back to the same basis points", () => {
    for (const bps of [0, 7, 29, 250, 1_000, 1_555]) expect(percentToBps(formatBps(bps).replace("%", ""))).toBe(bps);
    expect([formatBps(250), formatBps(1_000), formatBps(7)]).toEqual(["2.5%", "10%", "0.07%"]);
  });
});
