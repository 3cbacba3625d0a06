// A provider bill that keeps failing is retried hourly for the last 7 days' bills (reconcileYesterday). Its first failure
// is only logged; the operator gets an [alert] when a retry fails, and then at most one a day for that bill, however many
// instances retry it: the last alert's time is kept on the reconcile run row, not in a process.
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { reconcileYesterday } from "../server/payments/reconcile";
import { freshDatabase } from "./helpers/db";

let database: Database;
let errors: string[];
beforeEach(async () => {
  database = await freshDatabase();
  errors = [];
  vi.spyOn(console, "error").mockImplementation((line: unknown) => void errors.push(String(line)));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await database.close();
});

/** A provider whose bill download always fails; `calls` lists the days asked for. */
function downProvider() {
  const p = {
    name: "wechatpay",
    calls: [] as string[],
    async downloadBill(day: string): Promise<never> {
      p.calls.push(day);
      throw new Error("timeout");
    },
  };
  return p;
}

const HOUR = 3_600_000;
/** Beijing wall time → instant (the bill days are Beijing days). */
const beijing = (wall: string) => new Date(`${wall}+08:00`);
const alertsFor = (billDate: string) => errors.filter((l) => l.startsWith("[alert]") && l.includes(`bill of ${billDate}`));

it("a bill failing for days is retried every hour but alerted when a retry first fails and then once a day", async () => {
  const wechat = downProvider();
  const run = (wall: string) => reconcileYesterday(database.prisma, [wechat], beijing(wall));
  const callsFor = (billDate: string) => wechat.calls.filter((d) => d === billDate).length;

  // 2 March 10:30: 1 March's bill is out and fails: only logged.
  await run("2026-03-02T10:30:00");
  expect(alertsFor("2026-03-01")).toHaveLength(0);
  // An hour on the retry fails: the alert.
  await run("2026-03-02T11:30:00");
  expect(alertsFor("2026-03-01")).toHaveLength(1);

  // The next morning (22 h after the alert) and at 10:30 (23 h): it fails each time, no new alert; 2 March's bill, out
  // at 10:30, fails for the first time: only logged.
  await run("2026-03-03T09:30:00");
  await run("2026-03-03T10:30:00");
  expect(alertsFor("2026-03-01")).toHaveLength(1);
  expect(alertsFor("2026-03-02")).toHaveLength(0);

  // 3 March 11:30, a day after 1 March's alert: its second; 2 March's retry fails: its first.
  await run("2026-03-03T11:30:00");
  expect(alertsFor("2026-03-01")).toHaveLength(2);
  expect(alertsFor("2026-03-02")).toHaveLength(1);

  // 4 March 10:30 (23 h on) neither; 11:30 both again.
  await run("2026-03-04T10:30:00");
  expect(alertsFor("2026-03-01")).toHaveLength(2);
  expect(alertsFor("2026-03-02")).toHaveLength(1);
  await run("2026-03-04T11:30:00");
  expect(alertsFor("2026-03-01")).toHaveLength(3);
  expect(alertsFor("2026-03-02")).toHaveLength(2);
  // Every firing asked for 1 March's bill again: seven firings, seven downloads, while only three alerts.
  expect(callsFor("2026-03-01")).toBe(7);
});

it("two instances retrying the same failed bill at once alert once", async () => {
  const a = downProvider();
  const b = downProvider();
  const at = beijing("2026-03-02T10:30:00");
  await Promise.all([reconcileYesterday(database.prisma, [a], at), reconcileYesterday(database.prisma, [b], at)]);
  expect([...a.calls, ...b.calls]).toEqual(["2026-03-01", "2026-03-01"]);
  expect(alertsFor("2026-03-01")).toHaveLength(0);

  // An hour on, each instance retries it and fails: one alert between them.
  const later = new Date(at.getTime() + HOUR);
  await Promise.all([reconcileYesterday(database.prisma, [a], later), reconcileYesterday(database.prisma, [b], later)]);
  expect(alertsFor("2026-03-01")).toHaveLength(1);
  expect((await database.prisma.reconciliationRun.findUniqueOrThrow({ where: { provider_billDate: { provider: "wechatpay", billDate: "2026-03-01" } } })).alertedAt).toEqual(later);
});
