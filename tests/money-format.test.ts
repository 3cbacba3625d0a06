// Money and rate display/input in the UI: integer fen and basis points by string arithmetic, never floats.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MoneyCell } from "../components/merchant/MoneyCell";
import { formatBps, formatFen, formatFenGrouped, formatYuan, formatYuanGrouped, percentToBps } from "../components/money";

describe("money display", () => {
  it("formats fen as yuan with two decimals, negatives included", () => {
    expect([formatFen(12_345), formatFen(-5), formatFen(0), formatFen(100_000_000)]).toEqual(["123.45", "-0.05", "0.00", "1000000.00"]);
    expect(formatYuan(-1_990)).toBe("-¥19.90");
    expect(() => formatFen(1.5)).toThrow();
  });
});

describe("grouped money for the back office", () => {
  it("groups the yuan by thousands with commas, the cents and the sign as formatYuan has them", () => {
    // By hand: 123 456 789 fen = 1 234 567 元 89 分; 123 450 fen = 1 234 元 50 分, owed.
    expect(formatYuanGrouped(123_456_789)).toBe("¥1,234,567.89");
    expect(formatYuanGrouped(-123_450)).toBe("-¥1,234.50");
    expect(formatYuanGrouped(-5)).toBe("-¥0.05");
    expect([formatYuanGrouped(0), formatYuanGrouped(5)]).toEqual(["¥0.00", "¥0.05"]);
    // 999.99 元 has no thousands; exactly 1 000 元 has one comma; 1 000 000 元 two.
    expect([formatYuanGrouped(99_999), formatYuanGrouped(100_000), formatYuanGrouped(100_000_000)]).toEqual(["¥999.99", "¥1,000.00", "¥1,000,000.00"]);
    // 99 999 999 999 fen = 999 999 999.99 元: still exact (no float division).
    expect(formatYuanGrouped(99_999_999_999)).toBe("¥999,999,999.99");
    expect([formatFenGrouped(123_456_789), formatFenGrouped(-100_000), formatFenGrouped(12_345)]).toEqual(["1,234,567.89", "-1,000.00", "123.45"]);
    expect(() => formatYuanGrouped(0.5)).toThrow();
  });

  it("the back office's money cell shows amounts grouped, an amount owed in red", () => {
    expect(renderToStaticMarkup(createElement(MoneyCell, { fen: 5_000_000 }))).toBe('<span class="tabular-nums ">¥50,000.00</span>');
    expect(renderToStaticMarkup(createElement(MoneyCell, { fen: -123_450 }))).toBe('<span class="tabular-nums text-rose-600">-¥1,234.50</span>');
  });

  it("leaves formatFen and formatYuan ungrouped: forms prefill with them and CSV cells are read as numbers", () => {
    expect([formatFen(100_000), formatYuan(123_456_789), formatYuan(-123_450)]).toEqual(["1000.00", "¥1234567.89", "-¥1234.50"]);
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
