// Dates on every page are shown in the merchant's configured time zone (the rules' timeZone, SPEC §1), the one the
// server's T+1 and month rules and the CSV exports use, not always Asia/Shanghai: formatDate / formatDateTime take the
// zone, client components get it from useTimeZone() (the root layout provides it), and the wallet's 预计到账 day is
// the merchant's calendar day. Expected strings are worked out by hand from each zone's UTC offset.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import type { Locale } from "../lib/i18n/core";
import { formatDate, formatDateTime } from "../lib/format-date";
import { TimeZoneProvider, useTimeZone } from "../lib/time-zone";
import { WalletView } from "../app/wallet/WalletView";
import { BUCKET_LABEL, WITHDRAWAL_RULES } from "../server/wallet/view";
import { renderInProviders } from "./helpers/render";

describe("formatDateTime / formatDate in a configured zone other than Shanghai", () => {
  it("Asia/Tokyo (UTC+9): the settlement instant of a commission confirmed 12-01 10:00 is 12-02 00:00", () => {
    // 2026-12-01T15:00Z + 9 h = 2026-12-02 00:00 in Tokyo; + 8 h = 2026-12-01 23:00 in Shanghai.
    expect(formatDateTime("2026-12-01T15:00:00Z", { timeZone: "Asia/Tokyo" })).toBe("2026-12-02 00:00");
    expect(formatDate(new Date("2026-12-01T15:00:00Z"), { timeZone: "Asia/Tokyo" })).toBe("2026-12-02");
    expect(formatDate(new Date("2026-12-01T15:00:00Z"), { timeZone: "Asia/Shanghai" })).toBe("2026-12-01");
    // A rule version scheduled for 2026-12-10 00:00 Tokyo time (2026-12-09T15:00Z).
    expect(formatDateTime(new Date("2026-12-09T15:00:00Z"), { timeZone: "Asia/Tokyo", seconds: true })).toBe("2026-12-10 00:00:00");
  });

  it("a zone west of UTC with daylight saving, and a half-hour offset", () => {
    // America/Los_Angeles is UTC-7 in July (PDT), UTC-8 in December (PST).
    expect(formatDateTime(Date.parse("2026-07-01T06:59:30Z"), { timeZone: "America/Los_Angeles", seconds: true })).toBe("2026-06-30 23:59:30");
    expect(formatDateTime("2026-12-01T07:30:00Z", { timeZone: "America/Los_Angeles" })).toBe("2026-11-30 23:30");
    expect(formatDate("2026-12-01T08:00:00Z", { timeZone: "America/Los_Angeles" })).toBe("2026-12-01");
    // Asia/Kolkata is UTC+5:30: 18:45Z is 00:15 the next day.
    expect(formatDateTime("2026-12-01T18:45:00Z", { timeZone: "Asia/Kolkata" })).toBe("2026-12-02 00:15");
  });
});

describe("useTimeZone", () => {
  const Probe = () => createElement("output", null, useTimeZone());
  it("is the provided zone, and Asia/Shanghai (the config's default) outside a provider", () => {
    expect(renderToString(createElement(TimeZoneProvider, { timeZone: "Europe/Berlin", children: createElement(Probe) }))).toBe("<output>Europe/Berlin</output>");
    expect(renderToString(createElement(Probe))).toBe("<output>Asia/Shanghai</output>");
  });
});

describe("the wallet in the merchant's zone", () => {
  // Confirmed 2026-12-01 10:00 in Tokyo: T+1 is 2026-12-02 00:00 Tokyo = 2026-12-01T15:00Z (server/wallet/expected.ts).
  const summary = {
    expected: { totalFen: 990, rows: [{ kind: "commission", id: 1, orderNo: "FM1", amountFen: 990, expectedAt: new Date("2026-12-01T15:00:00Z"), why: null }], more: 0 },
    balances: { pending: 990, available: 0, withdrawing: 100_000, withdrawn: 0, credit: 0 },
    bucketLabels: BUCKET_LABEL,
    history: [],
    withdrawals: [{ id: 1, payoutNo: "WD1", amountFen: 100_000, feeFen: 0, netFen: 100_000, status: "PAID", label: "", tone: "done", reason: null, failure: null, createdAt: new Date("2026-12-05T02:00:00Z"), decidedAt: null, confirm: null }],
    identity: null,
    frozen: false,
    rules: WITHDRAWAL_RULES,
  };
  function render(locale: Locale, timeZone: string | null) {
    const view = createElement(WalletView);
    const node = timeZone ? createElement(TimeZoneProvider, { timeZone, children: view }) : view;
    const html = renderInProviders(node, locale, (trpc, qc) => qc.setQueryData(trpc.wallet.summary.queryKey(), summary as never)).html.replaceAll("<!-- -->", "");
    return {
      when: /data-testid="expected-when">([^<]*)</.exec(html)?.[1],
      withdrawal: /data-testid="withdrawal-row"[\s\S]*?<\/li>/.exec(html)?.[0] ?? "",
    };
  }

  it("预计到账 is the day after confirmation in the merchant's calendar (12月2日 in Tokyo, not Shanghai's 12月1日)", () => {
    expect(render("zh-CN", "Asia/Tokyo").when).toBe("预计12月2日到账");
    expect(render("en", "Asia/Tokyo").when).toBe("Expected December 2");
    // Nothing configured: Shanghai, where that instant is still 2026-12-01 23:00.
    expect(render("zh-CN", null).when).toBe("预计12月1日到账");
  });

  it("a withdrawal's time is on the merchant's clock (02:00Z is 11:00 in Tokyo)", () => {
    expect(render("zh-CN", "Asia/Tokyo").withdrawal).toContain("WD1 · 2026-12-05 11:00");
  });
});

describe("every date shown passes the configured zone", () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
    });
  const sources = [...files("app"), ...files("components")].map((path) => ({ path, text: readFileSync(path, "utf8") }));

  it("each call of formatDate / formatDateTime in app/ and components/ gives a timeZone", () => {
    const missing: string[] = [];
    let calls = 0;
    for (const { path, text } of sources.filter((s) => s.text.includes("formatDate"))) {
      const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, path.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
      const visit = (node: ts.Node) => {
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ["formatDate", "formatDateTime"].includes(node.expression.text)) {
          calls++;
          const options = node.arguments[1];
          const zoned = options && ts.isObjectLiteralExpression(options) && options.properties.some((p) => p.name && ts.isIdentifier(p.name) && p.name.text === "timeZone");
          if (!zoned) missing.push(`${path}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(calls).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });

  it("no page hard-codes Asia/Shanghai (the developer's SMS outbox aside)", () => {
    const hardCoded = sources.filter(({ path, text }) => text.includes("Asia/Shanghai") && path !== join("app", "dev", "sms", "page.tsx")).map(({ path }) => path);
    expect(hardCoded).toEqual([]);
  });
});
