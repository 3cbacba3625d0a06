// The back office's date format: "2026-12-04 06:16" in the merchant's time zone, whatever the language.
import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, MERCHANT_TIME_ZONE } from "@/lib/format-date";

describe("formatDateTime / formatDate", () => {
  it("four-digit year, zero-padded, 24-hour, in Asia/Shanghai by default", () => {
    expect(MERCHANT_TIME_ZONE).toBe("Asia/Shanghai");
    expect(formatDateTime(new Date("2026-12-03T22:16:05Z"))).toBe("2026-12-04 06:16");
    expect(formatDateTime(new Date("2026-12-03T22:16:05Z"), { seconds: true })).toBe("2026-12-04 06:16:05");
    expect(formatDateTime(new Date("2026-11-16T05:57:00Z"))).toBe("2026-11-16 13:57");
    expect(formatDate(new Date("2026-12-03T22:16:05Z"))).toBe("2026-12-04");
  });

  it("an instant that is a different day in UTC than in Shanghai shows the Shanghai day", () => {
    // 2026-03-31 23:30 UTC is 2026-04-01 07:30 in Shanghai (a new day and a new month).
    const late = new Date("2026-03-31T23:30:00Z");
    expect(formatDateTime(late)).toBe("2026-04-01 07:30");
    expect(formatDate(late)).toBe("2026-04-01");
    // Shanghai midnight is 16:00 UTC the day before: 00:xx, never 24:xx.
    expect(formatDateTime(new Date("2026-12-31T16:00:00Z"))).toBe("2027-01-01 00:00");
    expect(formatDate(new Date("2026-12-31T15:59:59Z"))).toBe("2026-12-31");
  });

  it("takes a configured zone, and ISO strings and epoch milliseconds as well as Dates", () => {
    expect(formatDateTime("2026-03-31T23:30:00Z", { timeZone: "UTC" })).toBe("2026-03-31 23:30");
    expect(formatDate(Date.parse("2026-03-31T23:30:00Z"), { timeZone: "America/New_York" })).toBe("2026-03-31");
    expect(formatDateTime("2026-12-04T06:16:00+08:00")).toBe("2026-12-04 06:16");
  });
});
