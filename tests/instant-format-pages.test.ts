// Every page shows a full instant one way, formatDateTime's "2026-12-06 21:54" (lib/format-date): the promote
// page's commissions and the notification list drew their own "11/18, 21:55" with Intl. A page that formats
// an hour with its own Intl.DateTimeFormat fails here; day-only formats (the wallet's "December 6") are not instants.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(f) ? [p] : [];
  });
}

describe("instants on pages", () => {
  it("no page or component formats an hour with its own Intl.DateTimeFormat", () => {
    const offenders = ["app", "components"].flatMap((d) => sources(join(ROOT, d))).filter((file) => {
      const src = readFileSync(file, "utf8");
      return [...src.matchAll(/new Intl\.DateTimeFormat\(([^\n]*)/g)].some((m) => /\bhour\b/.test(m[1]!));
    });
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it("the promote page and the notification list use formatDateTime", () => {
    for (const file of ["app/promote/page.tsx", "app/notifications/NotificationList.tsx"]) expect(readFileSync(join(ROOT, file), "utf8"), file).toMatch(/formatDateTime\(/);
  });
});
