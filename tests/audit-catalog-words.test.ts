// The audit log showed internals to the merchant (a walk of /merchant/audit): a product edit read
// "options: 红 / S; priceFen: ¥59.90", its option groups "values: 红 / 蓝", its category by slug ("分类: tea"),
// an after-sales request "原因: damaged" and "处理方式: merchant", a staff target "员工 #6", and an edit listed every
// SKU before and after instead of what changed. Facts read in words (the words the rest of the back office has for
// them), a category and a staff account by name, a product edit's SKUs by what changed in them; the CSV alike.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { auditChanges, auditFields, auditTargetLabel, type AuditNames } from "../server/audit/display";
import { listAudit } from "../server/audit/query";
import { auditExport } from "../server/exports/audit";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { freshDatabase } from "./helpers/db";

const TZ = "Asia/Shanghai";
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
const lines = (cs: ReturnType<typeof auditChanges>) => cs.map((c) => `${c.label}: ${c.before ?? ""} → ${c.after ?? ""}`);
const NAMES: AuditNames = { members: { 7: { name: "阿明", deleted: false } }, staff: { 6: "王店长" }, categories: { tea: "茶饮" } };

const sku = (code: string, options: string[], priceFen: number, stock: number) => ({ code, options, priceFen, stock, imageUrl: null });

describe("a product's facts in words", () => {
  it("a new product's SKUs and option groups: price, options and option values by name (zh, en)", () => {
    const after = { optionGroups: [{ name: "颜色", values: ["红", "蓝"] }], skus: [sku("T-R", ["红"], 5990, 10)] };
    expect(lines(auditChanges(zh, TZ, undefined, after, "catalog.product.create"))).toEqual([
      "规格:  → 名称: 颜色; 规格值: 红 / 蓝",
      "SKU:  → SKU 编码: T-R; 规格: 红; 价格: ¥59.90; 库存: 10",
    ]);
    expect(lines(auditChanges(en, TZ, undefined, after, "catalog.product.create"))).toEqual([
      "Options:  → Name: 颜色; Option values: 红 / 蓝",
      "SKUs:  → SKU code: T-R; Options: 红; Price: ¥59.90; Stock: 10",
    ]);
  });

  it("the category by its name while it exists, by its slug once it is gone", () => {
    const changes = auditChanges(zh, TZ, { category: "tea" }, { category: "gone" }, "catalog.product.update", undefined, NAMES);
    expect(lines(changes)).toEqual(["分类: 茶饮 → gone"]);
    expect(auditTargetLabel(zh, "category:tea", NAMES)).toBe("分类 茶饮");
    expect(auditTargetLabel(en, "category:tea", NAMES)).toBe("Category 茶饮");
    expect(auditTargetLabel(en, "category:gone", NAMES)).toBe("Category gone");
  });

  it("an edit shows only the SKUs that changed: a price changed, one added, one removed; an unchanged one left out", () => {
    const before = { skus: [sku("T-R-S", ["红", "S"], 5990, 10), sku("T-B-S", ["蓝", "S"], 5990, 5), sku("T-R-M", ["红", "M"], 5990, 4)] };
    const after = { skus: [sku("T-R-S", ["红", "S"], 4990, 10), sku("T-R-M", ["红", "M"], 5990, 4), sku("T-G-S", ["绿", "S"], 6990, 3)] };
    expect(lines(auditChanges(zh, TZ, before, after, "catalog.product.update"))).toEqual([
      "SKU T-R-S (红 / S): 价格: ¥59.90 → 价格: ¥49.90",
      "SKU T-G-S (绿 / S):  → 规格: 绿 / S; 价格: ¥69.90; 库存: 3",
      "SKU T-B-S (蓝 / S): 规格: 蓝 / S; 价格: ¥59.90; 库存: 5 → ",
    ]);
    expect(lines(auditChanges(en, TZ, { skus: [sku("A", [], 100, 1)] }, { skus: [sku("A", [], 100, 2)] }, "catalog.product.update"))).toEqual(["SKU A: Stock: 1 → Stock: 2"]);
    // Nothing changed in the SKUs: no line for them.
    expect(auditChanges(zh, TZ, { skus: [sku("A", [], 100, 1)] }, { skus: [sku("A", [], 100, 1)] }, "catalog.product.update")).toEqual([]);
  });
});

describe("an after-sales request's reason and resolution in the after-sales pages' words", () => {
  it("原因 and 处理方式 (zh, en)", () => {
    expect(auditFields(zh, TZ, { reason: "damaged" }, "aftersales.requested").map((f) => `${f.label}: ${f.value}`)).toEqual(["原因: 商品破损"]);
    expect(auditFields(en, TZ, { reason: "wrong_item" }, "aftersales.refunded_unshipped").map((f) => f.value)).toEqual(["Wrong item sent"]);
    const approved = auditChanges(zh, TZ, { request: "PENDING" }, { request: "APPROVED", resolution: "merchant" }, "aftersales.approved");
    expect(approved.find((c) => c.key === "resolution")?.after).toBe("商家已处理");
    const auto = auditChanges(en, TZ, undefined, { request: "APPROVED", resolution: "auto" }, "aftersales.auto_approved");
    expect(auto.find((c) => c.key === "resolution")?.after).toBe("The shop did not answer in time: approved automatically");
  });
});

describe("a staff or member target by name", () => {
  it("员工 王店长 rather than 员工 #6; an unknown account by its id", () => {
    expect(auditTargetLabel(zh, "staff:6", NAMES)).toBe("员工 王店长");
    expect(auditTargetLabel(en, "staff:6", NAMES)).toBe("Staff 王店长");
    expect(auditTargetLabel(zh, "staff:8", NAMES)).toBe("员工 #8");
    expect(auditTargetLabel(zh, "member:7", NAMES)).toBe("会员 阿明 #7");
    expect(auditTargetLabel(en, "member:7", NAMES)).toBe("Member 阿明 #7");
  });
});

describe("the page's names: staff targets and categories read once for the page, the CSV alike", () => {
  let database: Database;
  let db: Db;
  const ids = { staff: 0, product: 0 };
  beforeAll(async () => {
    database = await freshDatabase();
    db = database.prisma;
    ids.staff = await db.staffAccount.create({ data: { username: "acw-op", displayName: "赵运营", role: "operator", passwordHash: "x", createdAt: new Date() } }).then((s) => s.id);
    await db.category.create({ data: { slug: "acw-tea", name: "茶饮", sort: 0 } });
    const at = new Date("2026-12-01T02:00:00Z");
    await db.auditLog.createMany({
      data: [
        { actorType: "system", action: "staff.role_changed", target: `staff:${ids.staff}`, before: { role: "operator" }, after: { role: "finance" }, createdAt: at },
        { actorType: "system", action: "catalog.product.update", target: "product:1", before: { category: "acw-gone" }, after: { category: "acw-tea" }, createdAt: at },
        { actorType: "system", action: "catalog.category.update", target: "category:acw-tea", before: { name: "茶" }, after: { name: "茶饮" }, createdAt: at },
      ],
    });
  });
  afterAll(() => database.close());

  it("the list's names hold the staff target and the categories that exist", async () => {
    const { names } = await listAudit(db, {}, TZ, { page: 1, pageSize: 50 });
    expect(names.staff[ids.staff]).toBe("赵运营");
    expect(names.categories).toEqual({ "acw-tea": "茶饮" });
  });

  it("the CSV's target and before / after columns read as the page", async () => {
    const columns = auditExport.columns(TZ, zh);
    const col = (header: Parameters<typeof zh>[0]) => columns.find((c) => c.header === zh(header))!;
    const rows = [];
    for await (const row of auditExport.rows(db, auditExport.parse({}), TZ)) rows.push(row);
    const role = rows.find((r) => r.action === "staff.role_changed")!;
    expect(col("mx.csv.target").value(role)).toBe("员工 赵运营");
    const product = rows.find((r) => r.action === "catalog.product.update")!;
    expect([col("mx.csv.before").value(product), col("mx.csv.after").value(product)]).toEqual(["分类: acw-gone", "分类: 茶饮"]);
    const category = rows.find((r) => r.action === "catalog.category.update")!;
    expect(col("mx.csv.target").value(category)).toBe("分类 茶饮");
  });
});
