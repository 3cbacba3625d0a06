// A bill download that failed is retried hourly by the bill job — the in-process sweep and the hourly Inngest cron call
// the same reconcileYesterday — while it is one of the last 7 days' bills, also after later days' bills were fetched;
// a retry that fails again is an [alert] line.
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

/** A provider with no trades whose bill download fails while `down`; `calls` lists the days asked for. */
function provider() {
  const p = {
    name: "wechatpay",
    down: true,
    calls: [] as string[],
    async downloadBill(day: string) {
      p.calls.push(day);
      if (p.down) throw new Error("timeout");
      return [];
    },
  };
  return p;
}

const statusOf = async (billDate: string) =>
  (await database.prisma.reconciliationRun.findUniqueOrThrow({ where: { provider_billDate: { provider: "wechatpay", billDate } } })).status;
const alerts = () => errors.filter((line) => line.startsWith("[alert]")).length;

it("a failed bill is retried an hour on, before 10:00 the next day too, and then compared", async () => {
  const wechat = provider();
  const run = (beijing: string) => reconcileYesterday(database.prisma, [wechat], new Date(`${beijing}+08:00`));
  await run("2026-03-02T10:30:00"); // the bill of 1 March: the provider is down
  expect(await statusOf("2026-03-01")).toBe("FAILED");
  expect(alerts()).toBe(0); // a first failure is only logged
  await run("2026-03-02T11:00:00"); // half an hour on: not yet
  await run("2026-03-02T11:30:00"); // an hour on: fails again
  expect(wechat.calls).toEqual(["2026-03-01", "2026-03-01"]);
  expect(alerts()).toBe(1);
  wechat.down = false;
  // 3 March 09:30: 1 March's bill is retried; 2 March's is not out before 10:00.
  await run("2026-03-03T09:30:00");
  expect(wechat.calls).toEqual(["2026-03-01", "2026-03-01", "2026-03-01"]);
  expect(await statusOf("2026-03-01")).toBe("MATCHED");
  await run("2026-03-03T10:30:00");
  await run("2026-03-03T11:30:00");
  expect(wechat.calls).toEqual(["2026-03-01", "2026-03-01", "2026-03-01", "2026-03-02"]);
  expect(await statusOf("2026-03-02")).toBe("MATCHED");
});

it("a failed bill is retried while it is one of the last 7 days' bills, not after", async () => {
  const wechat = provider();
  const run = (beijing: string) => reconcileYesterday(database.prisma, [wechat], new Date(`${beijing}+08:00`));
  await run("2026-03-02T10:30:00");
  // 8 March: the bills of 1 to 7 March are the last 7 days'; 1 March's is retried, and fails again.
  await run("2026-03-08T10:30:00");
  expect(wechat.calls).toEqual(["2026-03-01", "2026-03-01", "2026-03-07"]);
  // 9 March: 1 March's bill is 8 days old; 7 March's (failed) and 8 March's are asked for.
  await run("2026-03-09T10:30:00");
  expect(wechat.calls.slice(3)).toEqual(["2026-03-07", "2026-03-08"]);
  expect(await statusOf("2026-03-01")).toBe("FAILED"); // left for staff, on the reconciliation page
});
