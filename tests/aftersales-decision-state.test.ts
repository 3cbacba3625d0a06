// The back office's approve / reject dialogs (app/merchant/after-sales/Decision.tsx): a refusal is shown only in
// the dialog it answered, and one that says the row is out of date blocks a retry and refetches the list on close.
import { describe, expect, it } from "vitest";
import { closedDecision, decisionStep, type DecisionEvent, type DecisionState } from "../app/merchant/after-sales/decision-state";

const steps = (...events: DecisionEvent[]): DecisionState => events.reduce(decisionStep, closedDecision);

describe("the after-sales decision dialogs", () => {
  it("an approval's refusal is not shown in the reject dialog opened next", () => {
    const s = steps({ type: "open", dialog: "approve" }, { type: "refused", text: "退款失败", code: "NOT_REFUNDABLE" }, { type: "close" }, { type: "open", dialog: "reject" });
    expect(s).toEqual({ open: "reject", error: null, stale: false });
  });

  it("reopening the same dialog after a refusal starts without the old message", () => {
    const s = steps({ type: "open", dialog: "reject" }, { type: "refused", text: "请填写拒绝原因", code: "REASON_REQUIRED" }, { type: "open", dialog: "reject" });
    expect(s.error).toBeNull();
  });

  it("decided meanwhile (by another operator or the 48 h approval): the message stays, the row is out of date", () => {
    const s = steps({ type: "open", dialog: "reject" }, { type: "refused", text: "该申请已处理", code: "ALREADY_DECIDED" });
    expect(s).toEqual({ open: "reject", error: "该申请已处理", stale: true });
    expect(steps({ type: "open", dialog: "reject" }, { type: "refused", text: "已超过处理时限", code: "AUTO_APPROVE_DUE" }).stale).toBe(true);
  });

  it("a refusal of the input itself leaves the row as it is, for a corrected try", () => {
    expect(steps({ type: "open", dialog: "reject" }, { type: "refused", text: "拒绝原因不能超过 200 字", code: "REASON_TOO_LONG" }).stale).toBe(false);
    expect(steps({ type: "open", dialog: "approve" }, { type: "refused", text: "网络错误", code: null }).stale).toBe(false);
  });
});
