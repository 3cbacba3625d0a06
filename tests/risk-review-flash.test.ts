// The 风控审核 case page's words around a decision (SPEC §8): the approve dialog names the held items as shoppers see
// them (审核中), not 冻结 — the account's freeze is the button beside it; and after 通过 / 驳回 the queue it returns to
// says what was done (app/merchant/risk/review-flash.ts), in zh and en.
import { describe, expect, it } from "vitest";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { clearReviewFlash, peekReviewFlash, reviewFlashText, setReviewFlash } from "../app/merchant/risk/review-flash";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

describe("the approve dialog", () => {
  it("says the items under review resume, with no word of a freeze", () => {
    const vars = { name: "酷酷小鹿", n: 1 };
    expect(zh("mr.case.confirmApprove", vars)).toBe("确定通过 酷酷小鹿 的全部 1 个标记？审核中的佣金与返现任务将恢复。");
    expect(en("mr.case.confirmApprove", vars)).toBe("Approve the open flags of 酷酷小鹿 (1 in all)? Their commissions and cashback tasks under review resume.");
  });
});

describe("the queue's confirmation of a decision", () => {
  it("an approval names the member and what resumed", () => {
    const f = { decision: "approve" as const, name: "酷酷小鹿", commissions: 2, tasks: 1, frozen: false };
    expect(reviewFlashText(zh, f)).toBe("已通过 酷酷小鹿 的审核：2 笔佣金、1 个返现任务已恢复");
    expect(reviewFlashText(en, f)).toBe("Approved 酷酷小鹿: commissions resumed: 2, cashback tasks resumed: 1");
    expect(reviewFlashText(zh, { ...f, commissions: 0, tasks: 0 })).toBe("已通过 酷酷小鹿 的审核");
  });

  it("a rejection names what was voided, and a freeze it made", () => {
    const f = { decision: "reject" as const, name: "酷酷小鹿", commissions: 3, tasks: 0, frozen: true };
    // Only the kinds the decision touched: no "0 个返现任务".
    expect(reviewFlashText(zh, f)).toBe("已驳回 酷酷小鹿 的审核：3 笔佣金已作废，账户已冻结");
    expect(reviewFlashText(en, f)).toBe("Rejected 酷酷小鹿: commissions voided: 3; the account is frozen");
    expect(reviewFlashText(zh, { ...f, commissions: 0, tasks: 2 })).toBe("已驳回 酷酷小鹿 的审核：2 个返现任务已作废，账户已冻结");
    expect(reviewFlashText(zh, { ...f, commissions: 0, frozen: false })).toBe("已驳回 酷酷小鹿 的审核");
  });

  it("is told once: set by the case page, read by the queue, then cleared", () => {
    expect(peekReviewFlash()).toBeNull();
    const f = { decision: "approve" as const, name: "x", commissions: 0, tasks: 0, frozen: false };
    setReviewFlash(f);
    expect(peekReviewFlash()).toEqual(f);
    clearReviewFlash();
    expect(peekReviewFlash()).toBeNull();
  });
});
