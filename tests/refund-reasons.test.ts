// The refund request form offers before shipping only the reasons that do not need the goods in hand; after shipping
// every reason, in the one order the server accepts them.
import { describe, expect, it } from "vitest";
import { REFUND_REASONS, refundReasonsFor } from "@/server/aftersales/constants";

describe("refund reasons offered", () => {
  it("before shipping: 不想要了 and 其他 only", () => {
    expect(refundReasonsFor(false)).toEqual(["no_longer_needed", "other"]);
  });
  it("after shipping: all of them", () => {
    expect(refundReasonsFor(true)).toEqual(["no_longer_needed", "wrong_item", "damaged", "not_as_described", "quality", "missing_parts", "other"]);
    expect(refundReasonsFor(true)).toBe(REFUND_REASONS);
  });
});
