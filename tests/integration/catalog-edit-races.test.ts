// Concurrent saves of one product (or one category) from the same loaded version: the version check runs
// under the row's lock, so exactly one passes. On PostgreSQL these race for real (FM_TEST_DB=postgres);
// on PGlite they serialise.
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { DomainError, inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { categoryVersion, getProductForMerchant, saveCategory, saveProduct } from "../../server/catalog/admin";
import { freshDatabase } from "../helpers/db";

const config = parseConfig({});
let database: Database;

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.category.create({ data: { slug: "apparel", name: "服饰" } });
});
afterEach(() => database.close());

it("six editors save the same loaded version at once: one save applies, five are refused as stale", async () => {
  const db = database.prisma;
  const { id } = await inTx(db, { config }, (c) => saveProduct(c, null, null, { name: "T恤", category: "apparel", skus: [{ options: [], code: "TEE", priceFen: 100, stock: 10 }] }));
  const loaded = (await getProductForMerchant({ tx: db }, id))!;
  const names = ["甲", "乙", "丙", "丁", "戊", "己"];
  const results = await Promise.allSettled(
    names.map((name, i) =>
      inTx(db, { config }, (c) =>
        saveProduct(c, { staffId: i + 1 }, id, { name, category: "apparel", skus: [{ options: [], code: "TEE", priceFen: 100 + i, stock: 10 + i, baseStock: 10 }] }, loaded.version),
      ),
    ),
  );
  const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
  expect(won).toHaveLength(1);
  for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ constructor: DomainError, code: "STALE_PRODUCT" });
  // Only the winner's name, price and stock change (+i on 10): nothing of the others leaks in.
  const i = won[0]!;
  const after = (await getProductForMerchant({ tx: db }, id))!;
  expect([after.name, after.skus[0]!.priceFen, after.skus[0]!.stock]).toEqual([names[i], 100 + i, 10 + i]);
  expect(await db.auditLog.count({ where: { action: "catalog.product.update" } })).toBe(1);
});

it("six operators save one category from the same loaded version at once: one save applies, five are refused as stale", async () => {
  const db = database.prisma;
  const loaded = categoryVersion(await db.category.findUniqueOrThrow({ where: { slug: "apparel" } }));
  const names = ["甲", "乙", "丙", "丁", "戊", "己"];
  const results = await Promise.allSettled(
    names.map((name, i) => inTx(db, { config }, (c) => saveCategory(c, { staffId: i + 1 }, { slug: "apparel", name, sort: i }, "update", loaded))),
  );
  const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
  expect(won).toHaveLength(1);
  for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ constructor: DomainError, code: "CATEGORY_STALE" });
  const i = won[0]!;
  expect(await db.category.findUniqueOrThrow({ where: { slug: "apparel" } })).toMatchObject({ name: names[i], sort: i });
  expect(await db.auditLog.count({ where: { action: "catalog.category.update" } })).toBe(1);
});
