// Each kind of notification the engine writes shows its own icon mark in the list (app/notifications): a new team
// member (kind "team") showed 单, the order's mark, as did a wallet adjustment. The kinds are read from the server's
// notify()/notifyMany() calls, so a new kind without a mark fails here.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kindMark } from "../app/notifications/NotificationList";
import { zhCN } from "../lib/i18n/messages/zh-CN";
import { en } from "../lib/i18n/messages/en";

const SERVER = join(import.meta.dirname, "../server");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (f === "generated") return [];
    if (statSync(p).isDirectory()) return sources(p);
    return /\.ts$/.test(f) && !/\.test\.ts$/.test(f) ? [p] : [];
  });
}

/** The kinds named in notify(ctx, member, "kind", ...) and in the items of notifyMany(ctx, [...{ kind: "..." }]). */
function notificationKinds(): Set<string> {
  const kinds = new Set<string>();
  for (const file of sources(SERVER)) {
    const src = readFileSync(file, "utf8");
    for (const m of src.matchAll(/\bnotify\(ctx,[^,]+,\s*"(\w+)"/g)) kinds.add(m[1]!);
    for (const m of src.matchAll(/\bnotifyMany\(/g)) {
      const kind = /\bkind: "(\w+)"/.exec(src.slice(m.index, m.index + 600));
      if (kind) kinds.add(kind[1]!);
    }
  }
  return kinds;
}

// The mark each kind means (payment is the order's own).
const EXPECTED: Record<string, string> = {
  payment: "notifications.mark.order",
  shipment: "notifications.mark.ship",
  refund: "notifications.mark.refund",
  commission: "notifications.mark.commission",
  commission_pending: "notifications.mark.commission",
  commission_lost: "notifications.mark.commission",
  rebate: "notifications.mark.rebate",
  rebate_paid: "notifications.mark.rebate",
  withdrawal: "notifications.mark.withdrawal",
  wallet: "notifications.mark.wallet",
  tier: "notifications.mark.tier",
  team: "notifications.mark.team",
  team_bonus: "notifications.mark.teamBonus",
  step_bonus: "notifications.mark.stepBonus",
  distributor: "notifications.mark.distributor",
  account: "notifications.mark.account",
};

describe("notification marks", () => {
  it("the server's kinds are all known here (the scan found them, a new one needs its mark)", () => {
    const kinds = notificationKinds();
    expect(kinds).toContain("team");
    expect([...kinds].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it("each kind gets its own mark; only the order's kinds read 单", () => {
    for (const [kind, mark] of Object.entries(EXPECTED)) expect(kindMark(kind), kind).toBe(mark);
  });

  it("different marks read differently, in Chinese and in English", () => {
    const marks = [...new Set(Object.values(EXPECTED))] as (keyof typeof zhCN)[];
    for (const messages of [zhCN, en]) {
      const texts = marks.map((k) => messages[k]);
      expect(new Set(texts).size, texts.join(" ")).toBe(marks.length);
    }
  });
});
