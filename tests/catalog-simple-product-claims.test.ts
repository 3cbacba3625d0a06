// A product made without the back office (a scenario's products, the demo seed) passes the same compliance guard
// as the back office's product form: no title or description may promise earnings.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { DomainError } from "../server/context";
import { createSimpleProduct } from "../server/catalog/admin";
import { runScenario } from "../server/scenario/run";
import { freshPglite, reusablePglite } from "./helpers/db";

let database: Database;

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
});
afterAll(() => database.close());

const TEA = { sku: "tea", name: "龙井", priceFen: 9900, category: "tea", stock: 5 };

/** The refusal's code and message. */
async function refused(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { code: e.code, message: e.message };
  }
  throw new Error("expected a refusal");
}

describe("createSimpleProduct and the compliance guard", () => {
  it("refuses a title or description that promises earnings, and saves nothing", async () => {
    expect(await refused(createSimpleProduct(database.prisma, { ...TEA, name: "躺赚好茶" }))).toEqual({
      code: "CATALOG_FORBIDDEN_CLAIM",
      message: "商品（tea）未保存：商品标题：含有禁用的收益承诺用语：“躺赚”",
    });
    expect(await refused(createSimpleProduct(database.prisma, { ...TEA, description: "喝了稳赚，保证收益" }))).toEqual({
      code: "CATALOG_FORBIDDEN_CLAIM",
      message: "商品（tea）未保存：商品详情：含有禁用的收益承诺用语：“稳赚”、“保证收益”",
    });
    expect(await database.prisma.product.count()).toBe(0);
  });

  it("applies the merchant's configured claims and lets a plain disclaimer through", async () => {
    await database.prisma.mallConfig.upsert({
      where: { id: "default" },
      create: { data: { compliance: { forbiddenClaims: ["包赚"] } } },
      update: { data: { compliance: { forbiddenClaims: ["包赚"] } } },
    });
    expect(await refused(createSimpleProduct(database.prisma, { ...TEA, name: "包赚礼盒" }))).toEqual({
      code: "CATALOG_FORBIDDEN_CLAIM",
      message: "商品（tea）未保存：商品标题：含有禁用的收益承诺用语：“包赚”",
    });
    const made = await createSimpleProduct(database.prisma, { ...TEA, description: "本品为食品，不保证收益。" });
    expect(made.description).toBe("本品为食品，不保证收益。");
  });

  it("a scenario whose product makes an earnings claim is refused before any event", async () => {
    const scenario = { products: [{ sku: "t1", name: "稳赚茶", priceFen: 100, category: "tea", stock: 1 }], events: [] };
    expect(await refused(runScenario(scenario, { open: reusablePglite }))).toEqual({
      code: "CATALOG_FORBIDDEN_CLAIM",
      message: "商品（t1）未保存：商品标题：含有禁用的收益承诺用语：“稳赚”",
    });
    const dir = mkdtempSync(path.join(tmpdir(), "fm-scenario-"));
    try {
      writeFileSync(path.join(dir, "s.json"), JSON.stringify(scenario));
      const run = await promisify(execFile)("npx", ["tsx", "scripts/scenario.ts", path.join(dir, "s.json")], { cwd: process.cwd() }).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
      expect(run?.code).toBe(2);
      expect(run?.stderr.trim()).toBe("invalid scenario: 商品（t1）未保存：商品标题：含有禁用的收益承诺用语：“稳赚”");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
