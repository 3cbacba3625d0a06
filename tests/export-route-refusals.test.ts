// The merchant's CSV routes answer a refused request with a 4xx and its reason, never a 500: a list's own
// rules refusing the page's filters (a partial phone, a minimum above the maximum) is a 400, and a
// download whose id no int4 row can have is a 404.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { freshDatabase } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";

const holder = vi.hoisted(() => ({ db: null as unknown, staffToken: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  cookies: async () => ({ get: (name: string) => (name === "fm_staff" && holder.staffToken ? { name, value: holder.staffToken } : undefined) }),
  headers: async () => new Headers(),
}));
vi.mock("@/lib/i18n/server", () => ({ getT: async () => createT("zh-CN", MESSAGES["zh-CN"]) }));

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
  holder.db = database.prisma;
  holder.staffToken = (await signedInStaff(database.prisma, "owner")).token;
});
afterAll(() => database.close());

const get = (path: string) => new Request(`http://127.0.0.1:3100${path}`);

describe("a list's refusal of the export's filters", () => {
  it("orders by a partial phone: 400 with the reason", async () => {
    const { GET } = await import("../app/merchant/orders/export/route");
    const res = await GET(get("/merchant/orders/export?phone=1380000"));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "请输入完整的 11 位手机号", code: "INVALID_PHONE" });
  });

  it("withdrawals from 100 元 to 1 元: 400 with the reason", async () => {
    const { GET } = await import("../app/merchant/withdrawals/export/route");
    const res = await GET(get("/merchant/withdrawals/export?min=100&max=1"));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "最低金额不能高于最高金额", code: "INVALID_RANGE" });
  });

  it("the same lists with filters they accept still download", async () => {
    const { GET } = await import("../app/merchant/withdrawals/export/route");
    const res = await GET(get("/merchant/withdrawals/export?min=1&max=100"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  });
});

describe("export download by id", () => {
  it.each(["3000000000", "2147483648", "0", "-1", "abc"])("id %s: 404", async (id) => {
    const { GET } = await import("../app/merchant/exports/[id]/download/route");
    const res = await GET(get(`/merchant/exports/${id}/download`), { params: Promise.resolve({ id }) });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: "NOT_FOUND" });
  });

  it("the largest int4 id is looked up (no such export): 404", async () => {
    const { GET } = await import("../app/merchant/exports/[id]/download/route");
    const res = await GET(get("/merchant/exports/2147483647/download"), { params: Promise.resolve({ id: "2147483647" }) });
    expect(res.status).toBe(404);
  });
});

describe("rowIdParam (the id of every [id] page and route)", () => {
  it("is a positive int4 or null", async () => {
    const { rowIdParam } = await import("../server/validation");
    expect(["1", "2147483647", "2147483648", "3000000000", "0", "-5", "1.5", "", "abc"].map(rowIdParam)).toEqual([1, 2_147_483_647, null, null, null, null, null, null, null]);
  });
});
