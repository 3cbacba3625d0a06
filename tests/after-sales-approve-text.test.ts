// The 同意退款 confirmation names the amount going back and its 购物金 part (an order paid ¥120.00 with ¥18.50 of
// 购物金 refunds ¥138.50 in all), in the staff member's language.
import { describe, expect, it } from "vitest";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { approveRefundText } from "@/app/merchant/after-sales/approve-text";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

describe("the refund approval's confirmation", () => {
  it("names the whole refund and its 购物金 part", () => {
    const r = { orderNo: "FM20261207001", totalFen: 13_850, creditFen: 1_850 };
    expect(approveRefundText(zh, r)).toBe("订单 FM20261207001 将全额原路退款 ¥138.50（其中购物金 ¥18.50），相关佣金作废、返现任务按规则处理。");
    expect(approveRefundText(en, r)).toBe("Order FM20261207001 is refunded in full, ¥138.50 (of which store credit ¥18.50), to the original path; its commissions become void and its cashback task follows the rules.");
  });

  it("says no 购物金 part when none was used, and groups thousands", () => {
    expect(approveRefundText(zh, { orderNo: "A1", totalFen: 1_234_500, creditFen: 0 })).toBe("订单 A1 将全额原路退款 ¥12,345.00，相关佣金作废、返现任务按规则处理。");
  });

  it("without an amount at hand, the order alone", () => {
    expect(approveRefundText(zh, { orderNo: "A1" })).toBe("订单 A1 将全额原路退款，相关佣金作废、返现任务按规则处理。");
  });
});
