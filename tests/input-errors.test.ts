// A refused input reaches the page as one sentence in the staff member's language (fm_lang), never zod's
// JSON list of issues nor its English defaults; the issues stay in data.zodError for forms. Through tRPC's
// fetch adapter, as /api/trpc serves it (the error formatter only shapes HTTP answers).
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { appRouter } from "../server/api/root";
import type { TRPCContext } from "../server/api/trpc";
import { createT } from "../lib/i18n/core";
import { en } from "../lib/i18n/messages/en";
import { errorText } from "../lib/i18n/labels";
import { freshPglite } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";

let database: Database;
let token: string;

beforeAll(async () => {
  database = await freshPglite();
  token = (await signedInStaff(database.prisma, "owner")).token;
});
afterAll(() => database.close());

/** One call as the signed-in owner with the given language cookie; the answer's error. */
async function refused(path: string, input: unknown, lang: "zh-CN" | "en", method: "GET" | "POST") {
  const headers = new Headers({ host: "127.0.0.1:3110", cookie: `fm_staff=${token}; fm_lang=${lang}`, "content-type": "application/json" });
  const ctx: TRPCContext = { db: database.prisma, session: null, headers, staffToken: token, requestId: "test-input-0001" };
  const body = JSON.stringify({ json: input });
  const url = `http://127.0.0.1:3110/api/trpc/${path}${method === "GET" ? `?input=${encodeURIComponent(body)}` : ""}`;
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(url, { method, headers: Object.fromEntries(headers), ...(method === "POST" ? { body } : {}) }),
    router: appRouter,
    createContext: () => ctx,
  });
  expect(res.status).toBe(400);
  const { error } = (await res.json()) as { error: { json: { message: string; data: { zodError: { fieldErrors: Record<string, string[]> } | null } } } };
  return error.json;
}

/** What zod's own message is made of (a JSON list of issues). */
const zodJson = /[[\]{}"]/;

describe("a refused input is a sentence in the caller's language", () => {
  it("an empty new category (商品分类): the schema's own Chinese messages, one per field; the issues kept for forms", async () => {
    const e = await refused("merchantCatalog.createCategory", { slug: "", name: "", sort: 0, icon: null }, "zh-CN", "POST");
    expect(e.message).toBe("输入有误：请填写分类标识；请填写分类名称");
    expect(e.message).not.toMatch(zodJson);
    expect(e.data.zodError?.fieldErrors.slug).toContain("请填写分类标识");
    const inEnglish = await refused("merchantCatalog.createCategory", { slug: "", name: "", sort: 0, icon: null }, "en", "POST");
    expect(inEnglish.message).toBe("Invalid input: slug must not be empty; name must not be empty");
    // The page shows it as it is in English too (errorText would otherwise say something generic).
    expect(errorText(createT("en", en), inEnglish)).toBe(inEnglish.message);
  });

  it("a product's 排序 beyond its bound and a custom KPI range from \"abc\": zod's English worded by its rule, the field by its name for people", async () => {
    const sort = await refused("merchantCatalog.setSort", { id: 1, sort: 99_999_999_999 }, "zh-CN", "POST");
    expect(sort.message).toBe("输入有误：排序值 不能大于 1000000");
    const kpi = await refused("merchantKpi.dashboard", { preset: "custom", from: "abc", to: "2026-11-01" }, "zh-CN", "GET");
    expect(kpi.message).toBe("输入有误：开始日期 格式不正确");
    const kpiEn = await refused("merchantKpi.dashboard", { preset: "custom", from: "abc", to: "2026-11-01" }, "en", "GET");
    expect(kpiEn.message).toBe("Invalid input: start date must be in a valid format");
    for (const m of [sort.message, kpi.message, kpiEn.message]) expect(m).not.toMatch(zodJson);
  });
});
