// The 手工调账 form (app/merchant/adjustments/form.ts): every field that is wrong is reported in the same
// submit — an amount that is not one does not hide a missing member or reason — and a reason that is too
// short says how long it must be, in the page's language.
import { describe, expect, it } from "vitest";
import { zodResolver } from "@hookform/resolvers/zod";
import { adjustmentForm, type AdjustmentFormIn } from "@/app/merchant/adjustments/form";
import { createT } from "@/lib/i18n/core";
import { en } from "@/lib/i18n/messages/en";
import { zhCN } from "@/lib/i18n/messages/zh-CN";

const zh = adjustmentForm(createT("zh-CN", zhCN));
const blank: AdjustmentFormIn = { member: "", bucket: "available", direction: "credit", amount: "", reason: "" };
const refusals = (v: AdjustmentFormIn, schema = zh) => Object.fromEntries(schema.safeParse(v).error?.issues.map((i) => [i.path.join("."), i.message]) ?? []);

describe("the adjustment form", () => {
  it("reports the member, the amount and the reason of an empty form at once", () => {
    expect(refusals(blank)).toEqual({ member: "请填写会员手机号或 ID", amount: "请输入正确的金额，如 100 或 100.50", reason: "请填写调账原因，至少 2 个字" });
  });

  it("says how long a reason must be, and refuses an amount of 0 or beyond the limit on the amount", () => {
    // The request schema wants 2 characters after trimming; its limit per adjustment is 1 000 000 元.
    expect(refusals({ ...blank, member: "3", direction: "debit", amount: "99999", reason: " x " })).toEqual({ reason: "请填写调账原因，至少 2 个字" });
    expect(refusals({ ...blank, member: "3", amount: "0", reason: "补发" })).toEqual({ amount: "请输入正确的金额，如 100 或 100.50" });
    expect(refusals({ ...blank, member: "3", direction: "debit", amount: "1000000.01", reason: "补发" })).toEqual({ amount: "单笔调账最多 ¥1000000.00" });
    expect(refusals({ ...blank, amount: "abc", reason: "x" }, adjustmentForm(createT("en", en)))).toEqual({
      member: "Enter the member's phone number or ID",
      amount: "Enter an amount such as 100 or 100.50",
      reason: "Give a reason of at least 2 characters",
    });
  });

  it("gives react-hook-form each field's message, and the request in signed fen when all is well", async () => {
    const resolve = zodResolver(zh);
    const options = { fields: {}, shouldUseNativeValidation: false } as const;
    const { errors } = await resolve({ ...blank, amount: "12.345" }, undefined, options);
    expect([errors.member?.message, errors.amount?.message, errors.reason?.message]).toEqual(["请填写会员手机号或 ID", "请输入正确的金额，如 100 或 100.50", "请填写调账原因，至少 2 个字"]);
    const ok = await resolve({ member: " 3 ", bucket: "credit", direction: "debit", amount: "100.5", reason: "线下活动补发" }, undefined, options);
    expect(ok).toEqual({ errors: {}, values: { member: "3", bucket: "credit", amountFen: -10050, reason: "线下活动补发" } });
  });
});
