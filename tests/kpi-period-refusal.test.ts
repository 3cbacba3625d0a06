// A custom KPI period with a day that does not exist (2026-02-31, month 13) is refused with INVALID_PERIOD,
// by the dashboard procedure (tRPC BAD_REQUEST) and by the CSV export route (400), instead of charting or
// exporting the days date arithmetic makes of it (review r2).
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

  it.each(BAD)("the CSV export refuses %s – %s with a 400 and no file", async (from, to) => {
    const { GET } = await import("../app/merchant/kpi/export/route");
    const res = await GET(new Request(`http://127.0.0.1/merchant/kpi/export?preset=custom&from=${from}&to=${to}`, { headers: { cookie: `fm_staff=${token}` } }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "INVALID_PERIOD" });
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
