// Back-office catalogue review: product and category texts pass the compliance guard (no text shoppers see may
// promise earnings), the product audit records the description and SKU images, a stale category save is refused,
// and a stock adjustment's audit entry names the SKU by id.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import type { Database } from "../server/db";
import { freshPglite } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";
import { serverIssuePath } from "@/app/merchant/products/form";

let database: Database;
let operator: Awaited<ReturnType<typeof signedInStaff>>;

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.category.create({ data: { slug: "gifts", name: "礼盒" } });
  operator = await signedInStaff(database.prisma, "operator");
});
afterAll(() => database.close());

/** The refusal's code, message, domain code and per-field issues (path → message). */
async function refused(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    const cause = e.cause as { code?: string; issues?: { path: string; message: string }[] } | undefined;
    return { code: e.code, message: e.message, domainCode: cause?.code, issues: Object.fromEntries((cause?.issues ?? []).map((i) => [i.path, i.message])) };
  }
  throw new Error("expected a refusal");
}

const BOX = {
  name: "新春礼盒",
  category: "gifts",
  description: "坚果与茶",
  optionGroups: [{ name: "规格", values: ["小盒", "大盒"] }],
  skus: [
    { options: ["小盒"], code: "BOX-S", priceFen: 9900, stock: 5 },
    { options: ["大盒"], code: "BOX-L", priceFen: 19900, stock: 5 },
  ],
};

describe("catalogue texts and the compliance guard", () => {
  it("a product whose title, description or option texts promise earnings is refused field by field, and nothing is saved", async () => {
    const op = operator.caller.merchantCatalog;
    const count = await database.prisma.product.count();
    const r = await refused(
      op.createProduct({
        ...BOX,
        name: "稳赚不赔礼包",
        description: "买了躺赚，月入过万，零风险",
        optionGroups: [{ name: "规格", values: ["小盒", "保本盒"] }],
        skus: [BOX.skus[0]!, { ...BOX.skus[1]!, options: ["保本盒"] }],
      }),
    );
    expect(r).toMatchObject({ code: "BAD_REQUEST", domainCode: "CATALOG_FORBIDDEN_CLAIM" });
    // 稳赚 is in the fixed core, 稳赚不赔 and 保本 in the merchant's configured (default) list.
    expect(r.issues).toEqual({
      name: "含有禁用的收益承诺用语：“稳赚”、“稳赚不赔”",
      description: "含有禁用的收益承诺用语：“躺赚”、“零风险”、“月入过万”",
      "optionGroups.0.values.1": "含有禁用的收益承诺用语：“保本”",
    });
    expect(r.message).toBe("商品未保存：商品标题：含有禁用的收益承诺用语：“稳赚”、“稳赚不赔”；商品详情：含有禁用的收益承诺用语：“躺赚”、“零风险”、“月入过万”；规格值：含有禁用的收益承诺用语：“保本”");
    expect(await database.prisma.product.count()).toBe(count);
  });

  it("an option group name promising earnings is refused; a plain disclaimer in the description is not", async () => {
    const op = operator.caller.merchantCatalog;
    const r = await refused(op.createProduct({ ...BOX, optionGroups: [{ name: "日赚档", values: ["小盒", "大盒"] }] }));
    expect(r.issues).toEqual({ "optionGroups.0.name": "含有禁用的收益承诺用语：“日赚”" });
    const { id } = await op.createProduct({ ...BOX, description: "本礼盒为食品，不保证收益。" });
    expect((await op.product({ id })).description).toBe("本礼盒为食品，不保证收益。");
  });

  it("an update that adds an earnings claim is refused and leaves the product as it was", async () => {
    const op = operator.caller.merchantCatalog;
    const { id } = await op.createProduct({ ...BOX, skus: BOX.skus.map((s) => ({ ...s, code: `${s.code}-U` })) });
    const loaded = await op.product({ id });
    const product = { ...BOX, skus: loaded.skus.map((s) => ({ options: s.options, code: s.code, priceFen: s.priceFen, stock: s.stock, baseStock: s.baseStock })) };
    const r = await refused(op.updateProduct({ id, version: loaded.version, product: { ...product, name: "日赚礼盒" } }));
    expect(r).toMatchObject({ code: "BAD_REQUEST", domainCode: "CATALOG_FORBIDDEN_CLAIM", issues: { name: "含有禁用的收益承诺用语：“日赚”" } });
    expect((await op.product({ id })).name).toBe("新春礼盒");
  });

  it("a category whose name or text icon promises earnings is refused, on create and on update", async () => {
    const op = operator.caller.merchantCatalog;
    const created = await refused(op.createCategory({ slug: "earn", name: "躺赚专区" }));
    expect(created).toMatchObject({ code: "BAD_REQUEST", domainCode: "CATALOG_FORBIDDEN_CLAIM", message: "分类未保存：分类名称：含有禁用的收益承诺用语：“躺赚”" });
    expect(created.issues).toEqual({ name: "含有禁用的收益承诺用语：“躺赚”" });
    expect(await database.prisma.category.findUnique({ where: { slug: "earn" } })).toBeNull();
    const version = (await op.categories()).find((c) => c.slug === "gifts")!.version;
    const updated = await refused(op.updateCategory({ slug: "gifts", name: "礼盒", icon: "稳赚", version }));
    expect(updated.issues).toEqual({ icon: "含有禁用的收益承诺用语：“稳赚”" });
    expect(await database.prisma.category.findUniqueOrThrow({ where: { slug: "gifts" } })).toMatchObject({ name: "礼盒", icon: null });
  });
});

describe("the product editor places a refused field", () => {
  it("on the row the merchant typed it in: blank option rows are not sent, so the server's group 1 is the form's row 2", () => {
    const groups = [{ name: "", values: "" }, { name: "规格", values: "小盒 大盒" }, { name: "日赚档", values: "甲 乙" }];
    expect(serverIssuePath("name", groups)).toBe("name");
    expect(serverIssuePath("description", groups)).toBe("description");
    expect(serverIssuePath("optionGroups.1.name", groups)).toBe("groups.2.name");
    // Values are typed in one field per group.
    expect(serverIssuePath("optionGroups.0.values.1", groups)).toBe("groups.1.values");
  });
});

describe("product audit snapshot", () => {
  it("an edit of the description (and of a SKU's image) shows in the audit entry's before and after", async () => {
    const op = operator.caller.merchantCatalog;
    const { id } = await op.createProduct({ ...BOX, skus: BOX.skus.map((s) => ({ ...s, code: `${s.code}-A` })) });
    const loaded = await op.product({ id });
    const skus = loaded.skus.map((s, i) => ({ options: s.options, code: s.code, priceFen: s.priceFen, stock: s.stock, baseStock: s.baseStock, imageUrl: i === 0 ? "/media/ab/box.webp" : null }));
    await op.updateProduct({ id, version: loaded.version, product: { ...BOX, description: "坚果、茶与果干", skus } });
    const entry = await database.prisma.auditLog.findFirstOrThrow({ where: { action: "catalog.product.update", target: `product:${id}` } });
    const before = entry.before as { description: string; skus: { code: string; imageUrl: string | null }[] };
    const after = entry.after as typeof before;
    expect([before.description, after.description]).toEqual(["坚果与茶", "坚果、茶与果干"]);
    expect(before.skus.map((s) => [s.code, s.imageUrl])).toEqual([["BOX-S-A", null], ["BOX-L-A", null]]);
    expect(after.skus.map((s) => [s.code, s.imageUrl])).toEqual([["BOX-S-A", "/media/ab/box.webp"], ["BOX-L-A", null]]);
    const create = await database.prisma.auditLog.findFirstOrThrow({ where: { action: "catalog.product.create", target: `product:${id}` } });
    expect((create.after as { description: string }).description).toBe("坚果与茶");
  });
});

describe("category edits from a stale form", () => {
  it("a save from a form loaded before someone else's save is refused and changes nothing; the current version saves", async () => {
    const op = operator.caller.merchantCatalog;
    await op.createCategory({ slug: "tea", name: "茶叶", sort: 1 });
    const loaded = (await op.categories()).find((c) => c.slug === "tea")!.version;
    // Operator A saves from the loaded version; operator B, who loaded the same version, is then refused.
    const saved = await op.updateCategory({ slug: "tea", name: "茗茶", sort: 1, version: loaded });
    expect(saved.version).not.toBe(loaded);
    const r = await refused(op.updateCategory({ slug: "tea", name: "好茶", sort: 2, version: loaded }));
    expect(r).toMatchObject({ domainCode: "CATEGORY_STALE", message: "分类已被他人修改，请刷新后再保存" });
    expect(await database.prisma.category.findUniqueOrThrow({ where: { slug: "tea" } })).toMatchObject({ name: "茗茶", sort: 1 });
    expect(await database.prisma.auditLog.count({ where: { action: "catalog.category.update", target: "category:tea" } })).toBe(1);
    // The version the save returned (what the form keeps) saves again.
    await op.updateCategory({ slug: "tea", name: "好茶", sort: 2, version: saved.version });
    expect((await op.categories()).find((c) => c.slug === "tea")).toMatchObject({ name: "好茶", sort: 2 });
  });
});

describe("stock adjustment audit", () => {
  it("names the SKU by id (codes change and are reused) and keeps its code in the data", async () => {
    const op = operator.caller.merchantCatalog;
    const { id } = await op.createProduct({ ...BOX, skus: BOX.skus.map((s) => ({ ...s, code: `${s.code}-K` })) });
    const sku = (await op.product({ id })).skus[0]!;
    await op.adjustStock({ skuId: sku.id, delta: 3, reason: "到货入库" });
    const entries = await database.prisma.auditLog.findMany({ where: { action: "catalog.stock.adjust" } });
    expect(entries.map((e) => [e.target, e.before, e.after, e.data])).toEqual([[`sku:${sku.id}`, { stock: 5 }, { stock: 8 }, { code: "BOX-S-K", delta: 3, reason: "到货入库" }]]);
  });
});
