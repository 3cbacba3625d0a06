// A custom KPI period with a day that does not exist (2026-02-31, month 13) is refused with INVALID_PERIOD,
// by the dashboard procedure (tRPC BAD_REQUEST) and by the CSV export route (back to the dashboard with a message),
// instead of charting or exporting the days date arithmetic makes of it (review r2).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { freshPglite } from "./helpers/db";
import { domainRefusal, refusal, signedInStaff, staffCaller } from "./helpers/caller";

const holder = vi.hoisted(() => ({ db: null as unknown, staffToken: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  cookies: async () => ({ get: (name: string) => (name === "fm_staff" && holder.staffToken ? { name, value: holder.staffToken } : undefined) }),
  headers: async () => new Headers(),
}));

let database: Database;
let token: string;

beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
  token = (await signedInStaff(database.prisma, "owner")).token;
  holder.staffToken = token;
});
afterAll(() => database.close());

const BAD: [string, string][] = [
  ["2026-02-01", "2026-02-31"],
  ["2026-02-30", "2026-03-01"],
  ["2026-13-01", "2026-13-31"],
];

describe("an impossible custom day", () => {
  it.each(BAD)("the dashboard refuses %s – %s (INVALID_PERIOD, BAD_REQUEST)", async (from, to) => {
    const call = () => staffCaller(database.prisma, token).merchantKpi.dashboard({ preset: "custom", from, to });
    expect(await domainRefusal(call())).toBe("INVALID_PERIOD");
    expect((await refusal(call())).code).toBe("BAD_REQUEST");
  });

  // The export is opened as a page (a link): a refusal sends the person back to the dashboard with the dates and a message, never raw JSON.
  it.each(BAD)("the CSV export refuses %s – %s: back to the dashboard with its dates and a message, no file", async (from, to) => {
    const { GET } = await import("../app/merchant/kpi/export/route");
    const res = await GET(new Request(`http://127.0.0.1/merchant/kpi/export?preset=custom&from=${from}&to=${to}`, { headers: { cookie: `fm_staff=${token}` } }));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/merchant/kpi?preset=custom&from=${from}&to=${to}&exportError=period`);
    expect(await res.text()).toBe("");
  });

  it("自定义 without dates (导出 before 查看) is sent back the same way, not answered with JSON", async () => {
    const { GET } = await import("../app/merchant/kpi/export/route");
    const res = await GET(new Request("http://127.0.0.1/merchant/kpi/export?preset=custom", { headers: { cookie: `fm_staff=${token}` } }));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/merchant/kpi?preset=custom&exportError=period");
    expect(res.headers.get("content-type")).toBeNull();
  });

  it("a failure is logged under the request id, and the person is sent back with that id rather than a JSON body", async () => {
    const { GET } = await import("../app/merchant/kpi/export/route");
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const db = holder.db;
    try {
      // The session check passes; the dashboard's aggregate read (one raw statement) fails.
      holder.db = new Proxy(database.prisma, { get: (target, key) => (key === "$queryRawUnsafe" ? () => Promise.reject(new Error("boom")) : Reflect.get(target, key)) });
      const res = await GET(new Request("http://127.0.0.1/merchant/kpi/export?preset=7d", { headers: { cookie: `fm_staff=${token}`, "x-request-id": "req-kpi-fail-1" } }));
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/merchant/kpi?preset=7d&exportError=failed&ref=req-kpi-fail-1");
      expect(log.mock.calls.flat().join(" ")).toContain("req-kpi-fail-1");
    } finally {
      holder.db = db;
      log.mockRestore();
    }
  });

  it("a real range still exports one row per day (29 February 2024 included)", async () => {
    const { GET } = await import("../app/merchant/kpi/export/route");
    const res = await GET(new Request("http://127.0.0.1/merchant/kpi/export?preset=custom&from=2024-02-28&to=2024-03-01", { headers: { cookie: `fm_staff=${token}` } }));
    expect(res.status).toBe(200);
    // The daily rows follow the 每日明细 line and their header.
    const lines = (await res.text()).replace(/^\uFEFF/, "").split("\n").map((l) => l.trim());
    const days = lines.slice(lines.indexOf("每日明细") + 2).filter(Boolean).map((l) => l.split(",")[0]);
    expect(days).toEqual(["2024-02-28", "2024-02-29", "2024-03-01"]);
  });
});
