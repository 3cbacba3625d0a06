// A back-office table's date-time (components/merchant/DateTimeText.tsx): the date and the time each kept whole, so a
// squeezed column never splits a date at its hyphen ("2026-12-" over "07 17:20"); the text is formatDateTime's.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DateTimeText } from "@/components/merchant/DateTimeText";

describe("DateTimeText", () => {
  it("keeps the date and the time each on one line, in the merchant's time zone", () => {
    // 09:20 UTC is 17:20 in Shanghai (UTC+8).
    const html = renderToStaticMarkup(createElement(DateTimeText, { at: new Date("2026-12-07T09:20:00Z"), timeZone: "Asia/Shanghai" }));
    expect(html).toBe('<span class="tabular-nums" data-testid="date-time"><span class="whitespace-nowrap">2026-12-07</span> <span class="whitespace-nowrap">17:20</span></span>');
  });

  it("with seconds, the time keeps them", () => {
    const html = renderToStaticMarkup(createElement(DateTimeText, { at: new Date("2026-12-31T16:05:09Z"), timeZone: "Asia/Shanghai", seconds: true }));
    expect(html.replace(/<[^>]+>/g, "")).toBe("2027-01-01 00:05:09");
    expect(html).toContain('<span class="whitespace-nowrap">00:05:09</span>');
  });
});
