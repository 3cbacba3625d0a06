// An export.downloaded entry on /merchant/audit names its list and its filter's status in the viewer's words
// (List: Low stock, Filter: Status: Waiting for the shop), not the codes the export was recorded with.
import { describe, expect, it } from "vitest";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { auditChanges, auditFields } from "@/server/audit/display";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
const line = (f: { label: string; value: string }) => `${f.label}: ${f.value}`;

describe("export entries in the audit log", () => {
  it("the list and an after-sales filter's status read in English", () => {
    const data = { kind: "after-sales", rows: 0, filter: { status: "PENDING" } };
    expect(auditFields(en, "Asia/Shanghai", data, "export.downloaded").map(line)).toEqual(["List: After-sales", "Rows: 0", "Filter: Status: Waiting for the shop"]);
  });

  it("and in Chinese, each list's status in its own domain's words", () => {
    expect(auditFields(zh, "Asia/Shanghai", { kind: "orders", rows: 2, filter: { status: "PAID" } }, "export.downloaded").map(line)).toEqual(["导出列表: 订单", "行数: 2", "筛选条件: 状态: 待发货"]);
    expect(auditFields(zh, "Asia/Shanghai", { kind: "withdrawals", rows: 1, filter: { status: "PENDING_REVIEW" } }, "export.downloaded").map((f) => f.value)).toEqual(["提现", "1", "状态: 待审核"]);
    expect(auditFields(en, "Asia/Shanghai", { kind: "low-stock", rows: 0, filter: { threshold: 10 } }, "export.downloaded").map(line)).toEqual(["List: Low stock", "Rows: 0", "Filter: Threshold: 10"]);
  });

  it("a queued export's list in its after; an unknown list or status stays as recorded", () => {
    expect(auditChanges(en, "Asia/Shanghai", null, { kind: "staff", rows: 3 }, "export.queued").map((c) => c.after)).toEqual(["Staff", "3"]);
    expect(auditFields(en, "Asia/Shanghai", { kind: "new-list", filter: { status: "X" } }, "export.downloaded").map(line)).toEqual(["List: new-list", "Filter: Status: X"]);
    // "kind" outside an export is not a list.
    expect(auditFields(en, "Asia/Shanghai", { kind: "orders" }, "job.retried").map((f) => f.value)).toEqual(["orders"]);
  });

  it("a sponsor change's status reads in the member page's words", () => {
    expect(auditChanges(zh, "Asia/Shanghai", { status: "PENDING" }, { status: "APPROVED" }, "member.sponsor_change_approved").map((c) => [c.before, c.after])).toEqual([["待审批", "已批准"]]);
    expect(auditChanges(zh, "Asia/Shanghai", { status: "PENDING" }, { status: "WITHDRAWN" }, "member.sponsor_change_withdrawn").map((c) => [c.before, c.after])).toEqual([["待审批", "已撤回"]]);
  });
});
