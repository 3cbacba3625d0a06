// The product editor's form (app/merchant/products/form.ts): every field that is wrong is reported in the
// same submit, each on its own field — an unreadable price does not hide a missing title or category,
// and the catalogue's own rules land on the row the merchant typed them in.
import { describe, expect, it } from "vitest";
import { zodResolver } from "@hookform/resolvers/zod";
import { EMPTY_PRODUCT, productForm, type ProductFormValues } from "@/app/merchant/products/form";
import { createT } from "@/lib/i18n/core";
import { zhCN } from "@/lib/i18n/messages/zh-CN";

const productFormSchema = productForm(createT("zh-CN", zhCN));

const filled: ProductFormValues = { ...EMPTY_PRODUCT, name: "明前龙井", category: "tea", skus: [{ options: [], code: "", price: "99", stock: "10", imageUrl: null }] };

/** The refusals as { "dotted.path": message }. */
const refusals = (v: ProductFormValues) => Object.fromEntries(productFormSchema.safeParse(v).error?.issues.map((i) => [i.path.join("."), i.message]) ?? []);

describe("the product form", () => {
  it("reports every missing field of an empty form at once: title, category, price and stock", () => {
    expect(refusals(EMPTY_PRODUCT)).toEqual({
      name: "请填写商品标题",
      category: "请选择分类",
      "skus.0.price": "价格：请输入金额，如 99.00",
      "skus.0.stock": "库存：请输入非负整数",
    });
  });

  it("refuses a price with three decimals on its own cell, and the other rows' and fields' faults with it", () => {
    expect(refusals({ ...filled, skus: [{ ...filled.skus[0]!, price: "12.345" }] })).toEqual({ "skus.0.price": "价格：请输入金额，如 99.00" });
    expect(refusals({ ...filled, name: " ", sort: "abc", skus: [{ ...filled.skus[0]!, price: "12.345", stock: "-1" }] })).toEqual({
      name: "请填写商品标题",
      sort: "排序值：请输入整数",
      "skus.0.price": "价格：请输入金额，如 99.00",
      "skus.0.stock": "库存：请输入非负整数",
    });
  });

  it("puts an option group's fault on the row it was typed in, past a blank row the form leaves out", () => {
    const groups = [
      { name: "", values: "" },
      { name: "颜色", values: "红 红" },
    ];
    const skus = [{ options: ["红"], code: "", price: "99", stock: "1", imageUrl: null }];
    expect(refusals({ ...filled, name: "", groups, skus })).toEqual({ name: "请填写商品标题", "groups.1.values": "规格值不能重复" });
  });

  it("hands react-hook-form one message per field, and the catalogue's input when all is well", async () => {
    const resolve = zodResolver(productFormSchema);
    const options = { fields: {}, shouldUseNativeValidation: false } as const;
    const { errors } = await resolve(EMPTY_PRODUCT, undefined, options);
    expect(errors.name?.message).toBe("请填写商品标题");
    expect(errors.category?.message).toBe("请选择分类");
    expect(errors.skus?.[0]?.price?.message).toBe("价格：请输入金额，如 99.00");
    expect(errors.skus?.[0]?.stock?.message).toBe("库存：请输入非负整数");
    const ok = await resolve({ ...filled, sort: "-3", skus: [{ ...filled.skus[0]!, price: "12.34" }] }, undefined, options);
    expect(ok.errors).toEqual({});
    expect(ok.values).toMatchObject({ name: "明前龙井", category: "tea", sort: -3, skus: [{ priceFen: 1234, stock: 10, code: "" }] });
  });
});
